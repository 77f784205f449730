/**
 * The state machine's one task and the chases armed beside it: Drive Case records the wait and
 * arms the step's next chase; a chase at its time chases once and arms the next; a chase for a
 * step the case has left, or one fired twice, does nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { actOnCase } from '../../functions/domain/cases/act-on-case.ts';
import { stepKeyOf } from '../../functions/domain/cases/case.ts';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { chaseCase, driveCase, LATE_CHASE_MS, restartStalledCases } from '../../functions/domain/cases/orchestrate.ts';
import { CASE_CLOSED, chaseTime } from '../../functions/domain/cases/follow-up.ts';
import { as, givenOffice, leave } from '../support/memory.ts';
import { petition } from '../support/case-fields.ts';

const open = async (office: Awaited<ReturnType<typeof givenOffice>>) => {
  const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) })).body as { id: string };
  return (await office.cases.get(c.id))!;
};

describe('drive case', () => {
  it('records the token of the open step and arms the step’s first chase; a decision closing the case ends that wait with CaseClosed', async () => {
    const office = await givenOffice();
    const c = await open(office);
    expect(c.dueAt).toBeDefined();
    expect(await office.cases.waiting(c.id)).toMatchObject({ stepKey: stepKeyOf(c), execution: c.execution });
    expect(office.chases.armed).toEqual([{ caseId: c.id, stepKey: stepKeyOf(c), at: chaseTime(c) }]);

    const { token } = (await office.cases.waiting(c.id))!;
    await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'reject', comment: '不同意' } });
    // Nothing is left for the execution (a leave is not filed): the decision ended its wait with
    // CaseClosed, caught into Case Closed, rather than waking Drive Case to find that out.
    expect(office.workflows.failed).toEqual([{ token, error: CASE_CLOSED }]);
    expect(office.workflows.woken).not.toContain(token);
    expect(office.chases.armed).toHaveLength(1);
  });

  it('ends its own wait with CaseClosed when it runs on a closed case (a restart)', async () => {
    const office = await givenOffice();
    const c = await open(office);
    await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'reject', comment: '不同意' } });
    await driveCase(office, { caseId: c.id, execution: c.execution!, token: 'after-restart' });
    expect(office.workflows.failed.at(-1)).toEqual({ token: 'after-restart', error: CASE_CLOSED });
  });

  it('is woken for a closed case it still has to file (a petition not accepted), files it, then ends', async () => {
    const office = await givenOffice();
    const { id } = (await createCase(office, { caller: as('hu-jun'), type: 'petition', title: '来信反映停车收费问题', fields: petition() })).body as { id: string };
    const registered = (await office.cases.get(id))!;
    await actOnCase(office, { caller: as('hu-jun'), caseId: id, version: registered.version, command: { action: 'approve' } });
    const proposed = (await office.cases.get(id))!;
    const { token } = (await office.cases.waiting(id))!;
    await actOnCase(office, { caller: as('zhu-hong'), caseId: id, version: proposed.version, command: { action: 'reject', comment: '不属于本机关职责，已书面告知信访人' } });
    const closed = (await office.cases.get(id))!;
    expect([closed.status, closed.filedAt]).toEqual(['rejected', expect.any(String)]);
    // Woken, not ended: Drive Case wrote the archive item, then failed its next wait with CaseClosed.
    expect(office.workflows.woken).toContain(token);
    expect(office.workflows.failed.map((f) => f.token)).not.toContain(token);
    expect(office.workflows.failed.at(-1)?.error).toBe(CASE_CLOSED);
    expect(await office.archive.get(id)).toMatchObject({ caseId: id });
  });

  it('chases a chase that fell due while nothing was armed (a restart) before it waits again', async () => {
    const office = await givenOffice();
    const c = await open(office);
    office.clock.set(chaseTime(c)!);
    await driveCase(office, { caseId: c.id, execution: c.execution!, token: 'after-restart' });
    const after = (await office.cases.get(c.id))!;
    expect((await office.cases.trail(c.id)).filter((t) => t.action === 'remind')).toHaveLength(1);
    expect(await office.cases.waiting(c.id)).toMatchObject({ token: 'after-restart' });
    expect(office.chases.armed.at(-1)).toEqual({ caseId: c.id, stepKey: stepKeyOf(c), at: after.nextChaseAt });
  });
});

describe('chase case', () => {
  it('at its time chases once and arms the next chase; fired again it does nothing', async () => {
    const office = await givenOffice();
    const c = await open(office);
    expect(office.chases.due()).toEqual([]);
    office.clock.set(chaseTime(c)!);
    const [due] = office.chases.due();
    expect(due).toEqual({ caseId: c.id, stepKey: stepKeyOf(c), at: chaseTime(c) });

    const recorded = vi.spyOn(office.notifications, 'record');
    await chaseCase(office, due!);
    const chased = (await office.cases.get(c.id))!;
    expect(chased.version).toBe(c.version + 1);
    expect((await office.cases.trail(c.id)).filter((t) => t.action === 'remind')).toHaveLength(1);
    // The reminder is written with the chase (nothing recorded after it), and mailed once, its email's outcome on it.
    expect(recorded).not.toHaveBeenCalled();
    const waiting = c.slots[0]!.personId;
    const reminders = (await office.notifications.list(waiting, { unreadOnly: false, limit: 50 })).items.filter((n) => n.caseId === c.id && n.kind === 'chase');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.email?.status).toBe('sent');
    const mailed = office.mailer.sent.length;
    expect(mailed).toBeGreaterThan(0);
    expect(chased.nextChaseAt! > chaseTime(c)!).toBe(true);
    expect(office.chases.armed.at(-1)).toEqual({ caseId: c.id, stepKey: stepKeyOf(c), at: chased.nextChaseAt });
    // Scheduler delivers at least once: the same chase again changes nothing, and arms only the
    // chase already armed (the same schedule: nothing new).
    const armed = office.chases.armed.length;
    const calls = office.chases.calls;
    await chaseCase(office, due!);
    expect((await office.cases.get(c.id))!.version).toBe(chased.version);
    expect(office.chases.calls).toBe(calls + 1);
    expect(office.chases.armed).toHaveLength(armed);
    expect(office.mailer.sent).toHaveLength(mailed);
  });

  it('escalates to the superior at the step’s second chase time', async () => {
    const office = await givenOffice();
    const c = await open(office);
    for (let i = 0; i < 2; i++) {
      office.clock.set(chaseTime((await office.cases.get(c.id))!)!);
      for (const due of office.chases.due()) await chaseCase(office, due);
    }
    const actions = (await office.cases.trail(c.id)).map((t) => t.action);
    expect(actions.filter((a) => a === 'remind' || a === 'escalate')).toEqual(['remind', 'escalate']);
  });

  it('does nothing for a step the case has left, and arms nothing for it', async () => {
    const office = await givenOffice();
    const c = await open(office);
    await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    const decided = (await office.cases.get(c.id))!;
    const calls = office.chases.calls;
    const woken = office.workflows.woken.length;
    office.clock.set(chaseTime(c)!);
    await chaseCase(office, { caseId: c.id, stepKey: stepKeyOf(c) });
    expect((await office.cases.get(c.id))!.version).toBe(decided.version);
    expect(office.chases.calls).toBe(calls);
    // The execution already waits on the step the case is at: nobody is woken.
    expect(office.workflows.woken).toHaveLength(woken);
  });

  it('for a step people moved the case on from, arms the chase of the step it is at (mending one whose arming failed), waking no one', async () => {
    const office = await givenOffice();
    const { id } = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假2天', fields: leave(2) })).body as { id: string };
    const c = (await office.cases.get(id))!;
    const arm = office.chases.arm.bind(office.chases);
    office.chases.arm = async () => {
      throw new Error('Scheduler unavailable');
    };
    const decision = await actOnCase(office, { caller: as('zhou-tao'), caseId: id, version: c.version, command: { action: 'approve', comment: '同意' } });
    office.chases.arm = arm;
    // The decision stands; its follow-up failed and was counted.
    expect(decision.statusCode).toBe(200);
    const next = (await office.cases.get(id))!;
    expect(office.chases.armed.map((a) => a.stepKey)).not.toContain(stepKeyOf(next));
    // The chase of the step left fires (both steps happen to be chased at the same time: set it a minute early).
    office.clock.set(new Date(Date.parse(chaseTime(c)!) - 60_000).toISOString());
    await chaseCase(office, { caseId: id, stepKey: stepKeyOf(c) });
    expect(office.chases.armed.at(-1)).toEqual({ caseId: id, stepKey: stepKeyOf(next), at: chaseTime(next) });
    expect(office.workflows.woken).toEqual([]);
    expect((await office.cases.get(id))!.version).toBe(next.version);
    // Had it fired after the new step's chase time, that chase would be armed for a minute on, never for the past.
    office.clock.set(new Date(Date.parse(chaseTime(next)!) + 10 * 60_000).toISOString());
    await chaseCase(office, { caseId: id, stepKey: stepKeyOf(c) });
    expect(office.chases.armed.at(-1)).toEqual({ caseId: id, stepKey: stepKeyOf(next), at: new Date(office.clock.now() + 60_000).toISOString() });
  });

  it('wakes an execution still waiting on the step the case has left (its wake was lost)', async () => {
    const office = await givenOffice({ executions: false });
    const c = await open(office);
    await office.cases.recordWait(c.id, { stepKey: stepKeyOf(c), execution: c.execution!, token: 'stale' });
    await actOnCase(office, { caller: as('zhou-tao'), caseId: c.id, version: c.version, command: { action: 'approve', comment: '同意' } });
    office.workflows.woken.splice(0);
    await chaseCase(office, { caseId: c.id, stepKey: stepKeyOf(c) });
    expect(office.workflows.woken).toEqual(['stale']);
  });

  it('is run by the hourly safety net when its time passed with nothing armed to call it, and only then', async () => {
    const office = await givenOffice();
    const c = await open(office);
    office.chases.due(); // lost: the schedule never fires
    office.clock.set(chaseTime(c)!);
    office.clock.advance(LATE_CHASE_MS);
    expect((await restartStalledCases(office)).chased).toBe(0);
    office.clock.advance(1000);
    expect((await restartStalledCases(office)).chased).toBe(1);
    expect((await office.cases.trail(c.id)).filter((t) => t.action === 'remind')).toHaveLength(1);
    // Chased, its next chase armed: the next hour finds nothing late.
    expect(office.chases.armed.at(-1)).toMatchObject({ caseId: c.id, stepKey: stepKeyOf(c) });
    expect((await restartStalledCases(office)).chased).toBe(0);
  });

  it('does nothing before its time but arm the step’s chase time again', async () => {
    const office = await givenOffice();
    const c = await open(office);
    await chaseCase(office, { caseId: c.id, stepKey: stepKeyOf(c) });
    expect((await office.cases.get(c.id))!.version).toBe(c.version);
    expect(office.chases.armed).toEqual([{ caseId: c.id, stepKey: stepKeyOf(c), at: chaseTime(c) }]);
  });
});
