/** Pure rules of the archive, the register exports and the assessment facts. */
import { describe, expect, it } from 'vitest';
import { archiveNumber, renumbered, retainUntil, retentionOver, type ArchiveItem } from '../../functions/domain/archive/archive.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { OrgChart } from '../../functions/domain/org/org.ts';
import { exportRegister } from '../../functions/domain/registers/export.ts';
import { factsOf, factMonth } from '../../functions/domain/stats/assessment.ts';
import type { CaseRecord, TrailEntry } from '../../functions/domain/cases/case.ts';

describe('retention (DA/T 22: counted from 1 January after the filing year)', () => {
  it('ends at midnight in China on 1 January, N years after the year following filing; never for permanent items', () => {
    expect(retainUntil(2026, '10y')).toBe('2036-12-31T16:00:00.000Z');
    expect(retainUntil(2026, '30y')).toBe('2056-12-31T16:00:00.000Z');
    expect(retainUntil(2026, 'permanent')).toBeUndefined();
    const item = { retainUntil: retainUntil(2026, '10y') };
    expect(retentionOver(item, Date.parse('2036-12-31T15:59:59Z'))).toBe(false);
    expect(retentionOver(item, Date.parse('2036-12-31T16:00:00Z'))).toBe(true);
    expect(retentionOver({ retainUntil: undefined }, Date.parse('2999-01-01T00:00:00Z'))).toBe(false);
  });

  it('item numbers (档号) are DA/T 22’s 全宗号-年度-保管期限代码-机构代码-件号', () => {
    expect(archiveNumber('Z123', 2026, '30y', 'BGS', 3)).toBe('Z123-2026-D30-BGS-0003');
    expect(archiveNumber('Z123', 2026, 'permanent', 'JCK', 12)).toBe('Z123-2026-Y-JCK-0012');
    expect(archiveNumber(undefined, 2026, '10y', 'ZH', 10000)).toBe('2026-D10-ZH-10000');
  });

  it('an item numbered before DA/T 22 is renumbered from its own parts, keeping the old number; one numbered since is left alone', () => {
    const org = new OrgChart({ ...demoOrg, standIns: [], version: 1, updatedAt: '', updatedBy: '' } as never);
    const legacy = { number: '2026-D30-OFFICE-0007', year: 2026, retention: '30y', departmentId: 'office' } as ArchiveItem;
    expect(renumbered(legacy, org)).toEqual({ number: 'Z123-2026-D30-BGS-0007', fonds: 'Z123', organCode: 'BGS', sequence: 7, formerNumbers: ['2026-D30-OFFICE-0007'] });
    expect(renumbered({ ...legacy, number: '2026-D10-GENERAL-0002', retention: '10y', departmentId: undefined } as ArchiveItem, org)).toMatchObject({ number: 'Z123-2026-D10-ZH-0002' });
    expect(renumbered({ ...legacy, number: 'Z123-2026-D30-BGS-0007', sequence: 7 } as ArchiveItem, org)).toBeUndefined();
  });
});

describe('register exports', () => {
  const register = {
    name: { zh: '收文登记', en: 'Incoming register' },
    year: 2026,
    columns: [
      { key: 'title', label: { zh: '标题', en: 'Title' } },
      { key: 'note', label: { zh: '备注', en: 'Note' } },
      { key: 'copies', label: { zh: '份数', en: 'Copies' } },
    ],
    rows: [
      { title: '关于"节能"的通知', note: '=HYPERLINK("http://x")', copies: 3 },
      { title: '第二行, 含英文逗号', note: null, copies: -1 },
    ],
  };

  it('CSV: a BOM for Excel, quoting where needed, and formulas defused', async () => {
    const csv = await exportRegister(register, 'csv');
    expect(csv.fileName).toBe('收文登记-2026年.csv');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.bytes.subarray(3).toString('utf8')).toBe(
      ['标题,备注,份数', '"关于""节能""的通知","\'=HYPERLINK(""http://x"")",3', '"第二行, 含英文逗号",,-1', ''].join('\r\n'),
    );
  });
});

describe('assessment facts', () => {
  const open = { id: 'c1', type: 'leave', status: 'open', applicantId: 'xu-liang', departmentId: 'finance', stepStartedAt: '2026-12-01T01:00:00.000Z', dueAt: '2026-12-02T01:00:00.000Z', updatedAt: '' } as unknown as CaseRecord;
  const entry = (action: string, at: string, actorId = 'zhou-tao'): TrailEntry => ({ at, actorId, actorName: '', action, stepId: 'section-head' });

  it('a decision counts for the person who made it, on time or not against the due time it had', () => {
    const next = { ...open, status: 'open' } as CaseRecord;
    expect(factsOf(open, next, [entry('approve', '2026-12-03T01:00:00.000Z')])).toEqual([
      expect.objectContaining({ kind: 'decision', personId: 'zhou-tao', onTime: false, startedAt: open.stepStartedAt, dueAt: open.dueAt }),
    ]);
    expect(factsOf(open, next, [entry('comment', '2026-12-01T02:00:00.000Z'), entry('enter', '2026-12-01T02:00:00.000Z', 'system')])).toEqual([]);
  });

  it('a closing case is first-pass only if approved and never sent back, looking at its whole trail', () => {
    const done = { ...open, status: 'completed', closedAt: '2026-12-01T03:00:00.000Z' } as CaseRecord;
    const returned = factsOf(open, done, [entry('approve', '2026-12-01T03:00:00.000Z')], [entry('return', '2026-12-01T02:00:00.000Z')]);
    expect(returned.find((f) => f.kind === 'closed')).toMatchObject({ firstPass: false, at: '2026-12-01T03:00:00.000Z' });
    const clean = factsOf(open, done, [entry('approve', '2026-12-01T03:00:00.000Z')], []);
    expect(clean.find((f) => f.kind === 'closed')).toMatchObject({ firstPass: true });
    const rejected = factsOf(open, { ...done, status: 'rejected' } as CaseRecord, [entry('reject', '2026-12-01T03:00:00.000Z')], []);
    expect(rejected.find((f) => f.kind === 'closed')).toMatchObject({ firstPass: false });
  });

  it('months are China’s: 23:30 UTC on 30 November is December', () => {
    expect(factMonth('2026-11-30T23:30:00.000Z')).toBe('2026-12');
    expect(factMonth('2026-11-30T15:59:59.000Z')).toBe('2026-11');
  });
});

describe('filing rules in the catalogue', () => {
  it('every process that files its cases says under which category and for how long (本机关发文 永久, 收文 30 年)', async () => {
    const { catalog } = await import('../../functions/domain/definitions/catalog/index.ts');
    const filing = [...catalog.values()].filter((d) => d.fileWhenClosed || d.steps.some((s) => s.type === 'auto' && s.action.do === 'file'));
    expect(filing.length).toBeGreaterThan(10);
    for (const d of filing) expect(d.archive, `${d.type}@${d.version}`).toBeDefined();
    const latest = (type: string) => [...catalog.values()].filter((d) => d.type === type).sort((a, b) => b.version - a.version)[0]!;
    expect(latest('outgoing-document').archive).toEqual({ category: 'documents', retention: 'permanent' });
    expect(latest('incoming-document').archive).toEqual({ category: 'documents', retention: '30y' });
    expect(latest('monthly-report').archive).toEqual({ category: 'reports', retention: '10y' });
  });
});
