/** The 四性检测 rules (DA/T 70) on facts already read: each check passes or fails with why, per item and per year. */
import { describe, expect, it } from 'vitest';
import { documentNumberChecks, itemChecks, itemNumberChecks, type FileFacts, type ItemFacts } from '../../functions/domain/archive/four-checks.ts';
import { retainUntil, type ArchiveItem } from '../../functions/domain/archive/archive.ts';
import type { TrailEntry } from '../../functions/domain/cases/case.ts';

const file = { attachmentId: 'a1', fileName: '发文稿.pdf', key: 'attachments/c1/a1', size: 1000, sha256: 'ab'.repeat(32), contentType: 'application/pdf' };
const item: ArchiveItem = {
  caseId: 'c1',
  number: 'Z123-2026-D10-BGS-0003',
  fonds: 'Z123',
  organCode: 'BGS',
  sequence: 3,
  responsible: '示范市机关事务管理局',
  documentDate: '20261123',
  year: 2026,
  category: 'documents',
  retention: '10y',
  retainUntil: retainUntil(2026, '10y'),
  departmentId: 'office',
  title: '关于做好节能工作的通知',
  documentNumber: '示事管发〔2026〕12号',
  confidentiality: 'internal',
  filedAt: '2026-11-23T02:00:00.000Z',
  files: [file],
  status: 'kept',
};
const goodFile: FileFacts = {
  read: { sha256: file.sha256, size: 1000, opening: { opens: true, encrypted: false, pages: 2 } },
  lock: { by: 'object-lock', mode: 'GOVERNANCE', retainUntil: item.retainUntil, legalHold: false },
};
const attached: TrailEntry = { at: '2026-11-23T01:00:00.000Z', actorId: 'liu-fang', actorName: '刘芳', action: 'attach', detail: { attachmentId: 'a1', fileName: '发文稿.pdf' } };
const facts = (over: Partial<ItemFacts> = {}): ItemFacts => ({
  item,
  files: new Map([[file.key, goodFile]]),
  trail: { caseId: 'c1', ok: true, entries: 5, sealed: 5, unsealed: 0, digests: [] },
  entries: [attached],
  grants: [],
  entitled: () => false,
  now: Date.parse('2026-12-01T00:00:00Z'),
  ...over,
});
const failed = (checks: ReturnType<typeof itemChecks>) => checks.filter((c) => !c.pass).map((c) => c.id);

describe('the 四性检测 of one item', () => {
  it('a sound item passes every check of all four properties, each with its property named', () => {
    const checks = itemChecks(facts());
    expect(failed(checks)).toEqual([]);
    expect(new Set(checks.map((c) => c.property))).toEqual(new Set(['authenticity', 'integrity', 'usability', 'security']));
    expect(checks.find((c) => c.id === 'usability.opens')!.why).toContain('共 2 页');
  });

  it('真实性: bytes that differ from those recorded, a malformed 文号 or 档号, a broken trail', () => {
    const changed = new Map([[file.key, { ...goodFile, read: { ...goodFile.read!, sha256: 'cd'.repeat(32) } }]]);
    expect(failed(itemChecks(facts({ files: changed })))).toEqual(['authenticity.checksum']);
    for (const bad of ['示事管发〔2026〕012号', '示事管发[2026]12号', '示事管发〔2026〕第12号', '示事管发〔26〕12号']) {
      const checks = itemChecks(facts({ item: { ...item, documentNumber: bad } }));
      expect(failed(checks), bad).toEqual(['authenticity.metadata']);
      expect(checks.find((c) => c.id === 'authenticity.metadata')!.why).toContain('GB/T 9704');
    }
    expect(failed(itemChecks(facts({ item: { ...item, number: 'Z123-2026-D10-BGS-0004' } })))).toEqual(['authenticity.metadata']);
    expect(failed(itemChecks(facts({ item: { ...item, documentDate: '20260231' } })))).toEqual(['authenticity.metadata']);
    const broken = { caseId: 'c1', ok: false, entries: 5, sealed: 5, unsealed: 0, digests: [], broken: { problem: 'altered' as const, n: 2, message: '条目内容与其校验值不符（被修改）。' } };
    const trail = itemChecks(facts({ trail: broken })).find((c) => c.id === 'authenticity.trail')!;
    expect(trail).toMatchObject({ pass: false, why: expect.stringContaining('第 3 条') });
  });

  it('完整性: required metadata missing (全宗号, 责任者) and a file the trail attached that was not filed or is gone', () => {
    const checks = itemChecks(facts({ item: { ...item, fonds: undefined, responsible: undefined } }));
    expect(checks.find((c) => c.id === 'integrity.metadata')).toMatchObject({ pass: false, why: expect.stringMatching(/全宗号、责任者/) });
    const another: TrailEntry = { ...attached, detail: { attachmentId: 'a2', fileName: '附件.pdf' } };
    expect(itemChecks(facts({ entries: [attached, another] })).find((c) => c.id === 'integrity.files')).toMatchObject({ pass: false, why: expect.stringContaining('附件.pdf') });
    // A version replaced before filing is not missing.
    const replacing: TrailEntry = { ...attached, detail: { attachmentId: 'a1', fileName: '发文稿.pdf', replaces: 'a0' } };
    const replaced: TrailEntry = { ...attached, detail: { attachmentId: 'a0', fileName: '初稿.pdf' } };
    expect(failed(itemChecks(facts({ entries: [replaced, replacing] })))).toEqual([]);
    expect(failed(itemChecks(facts({ files: new Map() })))).toEqual(expect.arrayContaining(['authenticity.checksum', 'integrity.files', 'usability.opens', 'security.lock']));
  });

  it('可用性: a file that does not open, an encrypted one, a non-standard format', () => {
    const opening = (o: object) => new Map([[file.key, { ...goodFile, read: { ...goodFile.read!, opening: { opens: true, encrypted: false, ...o } } }]]);
    expect(itemChecks(facts({ files: opening({ opens: false, reason: '文件已损坏。Corrupt.' }) })).find((c) => c.id === 'usability.opens')).toMatchObject({ pass: false, why: '文件已损坏。Corrupt.' });
    expect(failed(itemChecks(facts({ files: opening({ encrypted: true }) })))).toEqual(['usability.opens']);
    expect(failed(itemChecks(facts({ item: { ...item, files: [{ ...file, contentType: 'application/msword' }] } })))).toEqual(['usability.opens']);
  });

  it('安全性: Object Lock shorter than the period, a permanent item without a legal hold; the local application rule', () => {
    const locked = (lock: FileFacts['lock']) => new Map([[file.key, { ...goodFile, lock }]]);
    expect(itemChecks(facts({ files: locked({ by: 'object-lock', mode: 'GOVERNANCE', retainUntil: '2030-01-01T00:00:00.000Z' }) })).find((c) => c.id === 'security.lock')).toMatchObject({
      pass: false,
      why: expect.stringContaining('短于保管期限'),
    });
    const permanent = { ...item, number: 'Z123-2026-Y-BGS-0003', retention: 'permanent' as const, retainUntil: undefined };
    expect(failed(itemChecks(facts({ item: permanent, files: locked({ by: 'object-lock', legalHold: false }) })))).toEqual(['security.lock']);
    expect(failed(itemChecks(facts({ item: permanent, files: locked({ by: 'object-lock', legalHold: true }) })))).toEqual([]);
    expect(itemChecks(facts({ files: locked({ by: 'application' }) })).find((c) => c.id === 'security.lock')).toMatchObject({ pass: true, why: expect.stringContaining('应用规则') });
  });

  it('安全性: a classified item downloaded outside a live grant by someone not entitled fails, naming who and when; within a grant passes', () => {
    const secret = { ...item, confidentiality: 'secret' };
    const download: TrailEntry = { at: '2026-11-25T02:00:00.000Z', actorId: 'ma-chao', actorName: '马超', action: 'download', detail: { attachmentId: 'a1' } };
    const outside = itemChecks(facts({ item: secret, entries: [attached, download] })).find((c) => c.id === 'security.access')!;
    expect(outside).toMatchObject({ pass: false, why: expect.stringContaining('马超（2026-11-25 02:00）') });
    const grant = { personId: 'ma-chao', grantedAt: '2026-11-24T00:00:00.000Z', until: '2026-11-26T00:00:00.000Z', viaCaseId: 'r1' };
    expect(itemChecks(facts({ item: secret, entries: [attached, download], grants: [grant] })).find((c) => c.id === 'security.access')!.pass).toBe(true);
    const expired = { ...grant, until: '2026-11-25T01:00:00.000Z' };
    expect(itemChecks(facts({ item: secret, entries: [attached, download], grants: [expired] })).find((c) => c.id === 'security.access')!.pass).toBe(false);
    expect(itemChecks(facts({ item: secret, entries: [attached, download], entitled: (id) => id === 'ma-chao' })).find((c) => c.id === 'security.access')!.pass).toBe(true);
    // Not classified: no access check at all.
    expect(itemChecks(facts({ entries: [attached, download] })).some((c) => c.id === 'security.access')).toBe(false);
  });
});

describe('the 四性检测 of a year', () => {
  it('件号 continuous in each class, a gap passing only when the number was voided', () => {
    const at = (sequence: number, organCode = 'BGS') => ({ ...item, sequence, organCode });
    const [continuous] = itemNumberChecks([at(1), at(2), at(3)], new Map());
    expect(continuous).toMatchObject({ pass: true, why: expect.stringContaining('0001–0003') });
    const checks = itemNumberChecks([at(1), at(3), at(1, 'JCK')], new Map());
    expect(checks.map((c) => [c.name.zh, c.pass])).toEqual([
      ['件号连续（2026-10年-BGS）', false],
      ['件号连续（2026-10年-JCK）', true],
    ]);
    expect(checks[0]!.why).toContain('0002');
    expect(itemNumberChecks([at(1), at(3)], new Map([['2026-10y-BGS', new Set([2])]]))[0]!.pass).toBe(true);
  });

  it('document numbers continuous, every gap named', () => {
    expect(documentNumberChecks([{ label: '发文字号：示事管发', last: 12, gaps: [], voided: 1 }])[0]).toMatchObject({ pass: true, why: expect.stringContaining('1 个已登记作废') });
    expect(documentNumberChecks([{ label: '收文号', last: 9, gaps: [{ from: 4, to: 4 }, { from: 7, to: 8 }], voided: 0 }])[0]).toMatchObject({ pass: false, why: expect.stringContaining('4、7–8') });
  });
});
