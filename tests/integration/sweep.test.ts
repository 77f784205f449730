import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/clock.ts';
import { defaultDeps } from '../../functions/adapters/deps.ts';
import { sweepOverdue } from '../../functions/domain/cases/sweep-overdue.ts';
import { openDueObligations } from '../../functions/domain/obligations/open-obligations.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { bulkLoad, makeCases } from '../support/bulk-load.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
// Monday 2026-11-23, 08:30 in Shanghai: when the daily sweep runs.
const SWEEP_AT = Date.parse('2026-11-23T00:30:00Z');

describe('the daily overdue sweep', () => {
  const clock = new ManualClock(SWEEP_AT);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  const cases = makeCases(10_000, { end: SWEEP_AT, spacingMs: 5 * 60_000, openEvery: 7, prefix: 'sweep' });

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    await bulkLoad(system.urls.dynamodb, cases);
  }, 180_000);
  afterAll(() => system?.stop());

  it('finds exactly the overdue items among 10,000 cases, reading only open ones through the due index', async () => {
    const open = cases.filter((c) => c.status === 'open');
    const expectedOverdue = open.filter((c) => Date.parse(c.dueAt!) <= SWEEP_AT).map((c) => c.id).sort();
    expect(expectedOverdue.length).toBeGreaterThan(100);
    expect(open.length).toBeLessThan(cases.length / 5);

    const result = await sweepOverdue(defaultDeps(), SWEEP_AT);
    expect(result.overdue.map((i) => i.caseId).sort()).toEqual(expectedOverdue);
    const dueBy = new Date(Date.parse('2026-11-24T09:30:00Z')).getTime(); // end of the next working day
    expect(result.dueSoon.map((i) => i.caseId).sort()).toEqual(open.filter((c) => Date.parse(c.dueAt!) > SWEEP_AT && Date.parse(c.dueAt!) <= dueBy).map((c) => c.id).sort());
    // Closed cases are not in the index: it read no more than the open ones.
    expect(result.itemsRead).toBeLessThanOrEqual(open.length);
  }, 120_000);

  it('sends one digest per person with such work and one per department head, fired by the schedule', async () => {
    const summary = (await system.scheduler.fire('OverdueSweep')) as { overdue: number; digests: number };
    expect(summary.overdue).toBeGreaterThan(100);
    const api = apiClient(system.urls.api);
    const digests = (await api.get('zhou-tao', '/api/notifications?limit=100')).body.items.filter((n: any) => n.kind === 'digest');
    // 周涛 heads 计划财务科 and also signs its leave requests: his own digest and his department's.
    expect(digests.map((d: any) => d.title).sort()).toEqual([expect.stringContaining('每日待办提醒'), expect.stringContaining('计划财务科超期督办')].sort());
    expect(digests[0].message).toMatch(/已超期 \d+ 天/);
    expect(digests[0]).toMatchObject({ code: 'digest', text: { zh: expect.stringMatching(/已超期 \d+ 天/), en: expect.stringMatching(/^· .*\d+ days? overdue/) }, heading: { en: expect.stringMatching(/^(Your overdue and due-soon work|Overdue in [A-Za-z ]+) \(\d{4}-\d{2}-\d{2}\)$/) } });
    expect(digests[0].text.zh).not.toMatch(/overdue/);
    // Each line names its step in the digest's language.
    expect(digests[0].text.en).toMatch(/^· 请假 \d+ \(Section head approves, /);
    expect(digests.find((d: any) => d.title.includes('计划财务科')).message).toMatch(/周涛/);
    const outbox = (await api.get('zhou-tao', '/local/outbox?to=zhou-tao@demo.bangong.cn')).body as { messages: { subject: string }[] };
    expect(outbox.messages.filter((m) => m.subject.includes('超期督办') || m.subject.includes('每日待办提醒'))).toHaveLength(2);
  }, 120_000);
});

describe('recurring obligations', () => {
  // 1 December 2026, 08:00 in Shanghai.
  const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
  });
  afterAll(() => system?.stop());

  it('opens the month’s report case once, for the clerk, due before the 25th, and puts it in the clerk’s inbox', async () => {
    const first = (await system.scheduler.fire('RecurringObligations')) as { opened: string[] };
    // December: this month's reports, and this year's certificate review (opened from 1 November).
    expect(first.opened).toEqual(['obl-monthly-reports-2026-12', 'obl-certificate-review-2026']);
    const again = (await system.scheduler.fire('RecurringObligations')) as { opened: string[] };
    expect(again.opened).toEqual([]);
    const api = apiClient(system.urls.api);
    const c = await api.get('liu-fang', '/api/cases/obl-monthly-reports-2026-12');
    expect(c.body).toMatchObject({ title: '2026年12月 月度报表报送', currentStep: 'compile', dueAt: '2026-12-24T09:30:00.000Z' });
    expect(c.body.due.rule.zh).toBe('每月 25 日前');
    expect((await api.get('liu-fang', '/api/tasks')).body.items.map((t: any) => t.caseId)).toContain('obl-monthly-reports-2026-12');
    const review = await api.get('liu-fang', '/api/cases/obl-certificate-review-2026');
    expect(review.body).toMatchObject({ title: '2026年度证照审验', dueAt: '2026-12-31T09:30:00.000Z' });
  });

  it('opens the archive hand-in in June only, due by the end of June', async () => {
    // (Run for a given day rather than by moving the clock half a year past every hourly schedule.)
    expect(await openDueObligations(defaultDeps(), Date.parse('2027-05-31T00:00:00Z'))).not.toContain('obl-archive-hand-in-2027');
    expect(await openDueObligations(defaultDeps(), Date.parse('2027-06-01T00:00:00Z'))).toEqual(['obl-monthly-reports-2027-06', 'obl-archive-hand-in-2027']);
    const api = apiClient(system.urls.api);
    const c = await api.get('huang-li', '/api/cases/obl-archive-hand-in-2027');
    expect(c.body).toMatchObject({ title: '2026年度档案移交（2027年6月底前）', currentStep: 'prepare', dueAt: '2027-06-30T09:30:00.000Z' });
  });
});
