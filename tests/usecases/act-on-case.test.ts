/** Acting on a case: approve, return and resubmit, exactly once per Idempotency-Key, and only over the version read. */
import { describe, expect, it, vi } from 'vitest';
import { actOnCase } from '../../functions/domain/cases/act-on-case.ts';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { stepKeyOf, type CaseRecord } from '../../functions/domain/cases/case.ts';
import { chaseTime, followUp } from '../../functions/domain/cases/follow-up.ts';
import { as, givenOffice, leave, type Office } from '../support/memory.ts';

async function open(office: Office, applicant: string, type: string, title: string, fields: Record<string, unknown>) {
  const response = await createCase(office, { caller: as(applicant), type, title, fields });
  return response.body as { id: string; version: number };
}

/** The case as stored now: its version and step, after the execution caught up. */
async function current(office: Office, id: string) {
  const c = (await office.cases.get(id))!;
  return { version: c.version, status: c.status, stepIndex: c.stepIndex };
}

const expense = { category: 'travel', amount: 1860.5, invoices: 3, payee: '马超', description: '赴省城参加培训' };

describe('act on a case', () => {
  it('an approval moves the leave on and the execution finishes it: completed, out of every inbox, the applicant told', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假1天', leave(1));
    const wait = await office.cases.waiting(c.id);

    const response = await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    expect(response.statusCode).toBe(200);
    // The execution waiting on the section head's step was woken, and ran the attendance notice.
    expect(office.workflows.woken).toEqual([wait!.token]);
    expect(await current(office, c.id)).toMatchObject({ status: 'completed' });
    // One day of leave: the deputy's and the head's steps are skipped.
    expect((await office.cases.trail(c.id)).map((t) => `${t.actorId}:${t.action}`)).toEqual([
      'xu-liang:submit',
      'system:enter',
      'zhou-tao:approve',
      'system:skip',
      'system:skip',
      'system:notify',
      'system:complete',
    ]);
    expect((await office.cases.tasksFor('zhou-tao', 10)).items).toEqual([]);
    const told = await office.notifications.list('xu-liang', { unreadOnly: true, limit: 10 });
    expect(told.items.map((n) => n.caseId)).toContain(c.id);
    // Assessment facts were written with the decision and the closing.
    expect((await office.registers.entries<{ caseId: string }>('facts', '2026-11')).filter((f) => f.caseId === c.id).length).toBeGreaterThan(0);
  });

  it('finance returns an incomplete claim to the claimant, who resubmits changed fields; it goes round again', async () => {
    const office = await givenOffice();
    const c = await open(office, 'ma-chao', 'expense', '差旅费报销', expense);
    const act = async (who: string, command: Record<string, unknown>) => {
      const { version } = await current(office, c.id);
      return actOnCase(office, { caller: as(who), caseId: c.id, version, command: command as never });
    };
    await act('sun-wei', { action: 'approve' });
    const returned = await act('wu-min', { action: 'return', toStep: 'applicant', comment: '缺住宿发票' });
    // Finance has no decision left to take on it; the claimant is the one to act.
    expect(returned.body).toMatchObject({ currentStep: 'applicant', assignees: [{ id: 'ma-chao' }] });
    expect((returned.body as { actions: string[] }).actions).not.toContain('approve');
    expect((await office.cases.tasksFor('wu-min', 10)).items).toEqual([]);

    const resubmitted = await act('ma-chao', { action: 'resubmit', fields: { invoices: 4 }, comment: '已补充发票' });
    expect(resubmitted.body).toMatchObject({ currentStep: 'department-leader', fields: { invoices: 4, amount: 1860.5 } });
    expect((await office.cases.tasksFor('sun-wei', 10)).items.map((t) => t.caseId)).toEqual([c.id]);
    expect((await office.cases.trail(c.id)).map((t) => t.action)).toEqual(expect.arrayContaining(['return', 'resubmit']));
  });

  it('does a decision exactly once per Idempotency-Key: a retry, even a concurrent one, gets the first answer and writes nothing', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const cmd = { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } as const, idempotencyKey: 'approve-once-1' };
    const [first, retry] = await Promise.all([actOnCase(office, cmd), actOnCase(office, cmd)]);
    expect(retry).toEqual(first);
    const later = await actOnCase(office, cmd);
    expect(later).toEqual(first);
    const approvals = (await office.cases.trail(c.id)).filter((t) => t.action === 'approve');
    expect(approvals).toHaveLength(1);
    expect(await current(office, c.id)).toMatchObject({ version: 2, status: 'open' });
    // The same key for another decision is refused, not replayed.
    await expect(actOnCase(office, { ...cmd, command: { action: 'reject', comment: '不同意' } as never })).rejects.toMatchObject({ name: 'UnprocessableError' });
  });

  it('of two conflicting decisions saved at once over the same version, one wins and the other gets a 409; nothing of the loser is written', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const approve = actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    const withdraw = actOnCase(office, { caller: as('xu-liang'), caseId: c.id, version: c.version, command: { action: 'withdraw', comment: '不请了' } });
    const results = await Promise.allSettled([approve, withdraw]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => [r.reason.name, r.reason.code])).toEqual([['ConflictError', 'stale-version']]);
    const actions = (await office.cases.trail(c.id)).map((t) => t.action);
    expect(actions.filter((a) => a === 'approve' || a === 'withdraw')).toHaveLength(1);
    expect((await office.cases.get(c.id))!.version).toBe(2);
  });

  it('tells the next approver in the decision’s own write, asking the notification store for nothing after it; a decision refused as stale tells no one', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const recorded = vi.spyOn(office.notifications, 'record');
    await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    const deputy = (await office.cases.get(c.id))!.slots[0]!.personId;
    const told = async () => (await office.notifications.list(deputy, { unreadOnly: false, limit: 50 })).items.filter((n) => n.caseId === c.id);
    expect((await told()).map((n) => n.code)).toEqual(['to-do']);
    expect(recorded).not.toHaveBeenCalled();

    await expect(actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '再次同意' } })).rejects.toMatchObject({ code: 'stale-version' });
    expect(await told()).toHaveLength(1);
    expect(recorded).not.toHaveBeenCalled();
  });

  it('makes a decision again when a restart moved the case to a new execution between its read and its write: 200, once, under the new execution', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    // The restart lands right after the decision's first read: only the save's check (the version and the execution read) can catch it.
    let swapped = false;
    const restore = afterFirstRead(office, async (found) => {
      swapped = await office.cases.replaceExecution(found.id, found.execution, `${found.id}-restarted`);
    });
    const decision = await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    restore();
    expect(swapped).toBe(true);
    expect(decision.statusCode).toBe(200);
    expect(await office.cases.get(c.id)).toMatchObject({ version: c.version + 1, execution: `${c.id}-restarted` });
    expect((await office.cases.trail(c.id)).filter((t) => t.action === 'approve')).toHaveLength(1);
  });

  it('wakes the wait the execution recorded after the decision read it: a reminder had woken it, and it waits again at the same step', async () => {
    const office = await givenOffice();
    // One day: the section head's approval leaves the attendance notice, an automatic step, for the execution.
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假1天', leave(1));
    const before = (await office.cases.waiting(c.id))!;
    // Right after the decision reads the wait, the execution is woken (as by a reminder) and, the case
    // not having moved, records a new wait for the same step: the token read is spent.
    const read = office.cases.waiting.bind(office.cases);
    let raced = false;
    office.cases.waiting = async (id) => {
      const found = await read(id);
      if (!raced) {
        raced = true;
        await office.workflows.wake(found!.token);
      }
      return found;
    };
    const decision = await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    office.cases.waiting = read;
    expect(decision.statusCode).toBe(200);
    // The spent token, then the new one: the execution caught up with the decision, sent the notice and ended.
    expect(office.workflows.woken).toEqual([before.token, expect.not.stringMatching(`^${before.token}$`)]);
    expect((await office.cases.get(c.id))!.status).toBe('completed');
    expect((await office.cases.trail(c.id)).map((t) => t.action)).toContain('notify');
  });

  it('leaves the execution waiting when people move the case from one of their steps to the next, and arms the new step’s chase', async () => {
    const office = await givenOffice();
    // Two days: the section head, then the deputy in charge.
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const wait = (await office.cases.waiting(c.id))!;
    await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    const next = (await office.cases.get(c.id))!;
    expect(stepKeyOf(next)).not.toBe(wait.stepKey);
    expect(office.workflows.woken).toEqual([]);
    expect(await office.cases.waiting(c.id)).toEqual(wait);
    expect(office.chases.armed.at(-1)).toEqual({ caseId: c.id, stepKey: stepKeyOf(next), at: chaseTime(next) });
    // The chase of the step left is removed: it would only fire to find the case gone from it.
    const first = office.chases.armed.find((a) => a.stepKey === wait.stepKey)!;
    expect(office.chases.disarmed).toEqual([first]);
    // The deputy's approval leaves the attendance notice: the execution is woken for it, and the case ends.
    await actOnCase(office, { caller: as(next.slots[0]!.personId), caseId: c.id, version: next.version, command: { action: 'approve' } });
    expect(office.workflows.woken).toEqual([wait.token]);
    expect((await office.cases.get(c.id))!.status).toBe('completed');
    // No chase is left armed for the case: neither of its steps is chased after it ended.
    expect(office.chases.disarmed).toEqual([first, office.chases.armed.at(-1)]);
    await office.clock.set('2026-12-31T00:00:00Z');
    expect(office.chases.due().filter((a) => a.caseId === c.id)).toEqual([]);
  });

  it('moves a step’s chase into the minute of the one it replaces (a time already passed is armed a minute on) without losing it: the old one is removed first', async () => {
    // 10 s past the minute: 90 s on and 60 s on both fall in the minute after next.
    const office = await givenOffice({ at: '2026-11-23T01:00:10.000Z' });
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const now = office.clock.now();
    const old = { ...(await office.cases.get(c.id))!, nextChaseAt: new Date(now + 90_000).toISOString() };
    await office.chases.arm({ caseId: c.id, stepKey: stepKeyOf(old), at: chaseTime(old)! });
    // The same step, its chase moved to a time that has passed.
    const moved = { ...old, nextChaseAt: new Date(now - 10_000).toISOString(), version: old.version + 1 };
    await followUp(office, moved, { before: old });
    await office.clock.set(new Date(now + 120_000).toISOString());
    expect(office.chases.due()).toEqual([{ caseId: c.id, stepKey: stepKeyOf(old), at: '2026-11-23T01:02:00.000Z' }]);
  });

  it('stands by a decision whose left step’s chase could not be removed, counting it as a failure to tidy up', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    office.chases.disarm = async () => {
      throw new Error('Scheduler is down');
    };
    const response = await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    expect(response.statusCode).toBe(200);
    expect(office.telemetry.failures.map((f) => f.counter)).toEqual(['TidyFailures']);
    const next = (await office.cases.get(c.id))!;
    expect(office.chases.armed.at(-1)).toMatchObject({ stepKey: stepKeyOf(next) });
  });

  it('refuses a decision when the case itself changed between its read and its write (409), the other change kept', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const restore = afterFirstRead(office, async (found) => {
      await actOnCase(office, { caller: as('xu-liang'), caseId: found.id, version: found.version, command: { action: 'withdraw', comment: '不请了' } });
    });
    const decision = actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    await expect(decision).rejects.toMatchObject({ name: 'ConflictError', code: 'stale-version' });
    restore();
    const actions = (await office.cases.trail(c.id)).map((t) => t.action);
    expect(actions).toContain('withdraw');
    expect(actions).not.toContain('approve');
  });

  it('refuses a stale version (409), a stranger (404) and someone not at the step (403), changing nothing', async () => {
    const office = await givenOffice();
    const c = await open(office, 'xu-liang', 'leave', '徐亮事假2天', leave(2));
    const before = await office.cases.chain(c.id);
    const act = (who: string, version: number) => actOnCase(office, { caller: as(who), caseId: c.id, version, command: { action: 'approve' } });
    await expect(act('zhou-tao', 7)).rejects.toMatchObject({ name: 'ConflictError', code: 'stale-version' });
    await expect(act('ma-chao', 1)).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(act('li-minghua', 1)).rejects.toMatchObject({ name: 'ForbiddenError' });
    expect(await office.cases.chain(c.id)).toEqual(before);
  });
});

/**
 * Someone else's write (`race`) lands right after the first read of a case, before the reader
 * writes: only the save's check can catch it. Returns what puts the store's reads back.
 */
function afterFirstRead(office: Office, race: (found: CaseRecord) => Promise<void>): () => void {
  const read = office.cases.get.bind(office.cases);
  let raced = false;
  office.cases.get = async (id) => {
    const found = await read(id);
    if (!raced && found) {
      raced = true;
      await race(found);
    }
    return found;
  };
  return () => {
    office.cases.get = read;
  };
}
