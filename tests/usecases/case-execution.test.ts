/** An admin's view of a case's execution: refused to others, 404 for no case, a page of history newest last. */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { caseExecution } from '../../functions/domain/cases/execution.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

describe('a case’s execution, for admins', () => {
  it('is refused (403) to anyone the org chart does not make an admin, before the case is looked up', async () => {
    const office = await givenOffice();
    const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮请假', fields: leave(1) })).body as { id: string };
    for (const caller of [as('xu-liang'), as('zhou-tao', ['admin'])]) {
      await expect(caseExecution(office, caller, c.id, { limit: 10 })).rejects.toMatchObject({ name: 'ForbiddenError', message: expect.stringMatching(/^只有管理员/) });
      await expect(caseExecution(office, caller, '20261127-nosuchcase', { limit: 10 })).rejects.toMatchObject({ name: 'ForbiddenError' });
    }
  });

  it('is 404 for a case that does not exist', async () => {
    const office = await givenOffice();
    await expect(caseExecution(office, as('chen-zhiqiang'), '20261127-nosuchcase', { limit: 10 })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('shows the execution the case names, and its history a page at a time, newest last, back to the start', async () => {
    const office = await givenOffice();
    const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮请假', fields: leave(1) })).body as { id: string };
    const execution = office.workflows.of(c.id)[0]!;
    const states = ['Drive Case', 'Drive Case', 'Drive Case'];
    for (const state of states) {
      office.workflows.event(execution, 'StateEntered', { state });
      office.clock.advance(1000);
    }
    office.workflows.event(execution, 'TaskFailed', { state: 'Drive Case', error: 'StepMoved', cause: 'moved on' });

    const total = (await office.workflows.history(execution, { limit: 1000 })).events.length;
    expect(total).toBeGreaterThanOrEqual(4);

    const latest = await caseExecution(office, as('chen-zhiqiang'), c.id, { limit: 2 });
    expect(latest).toMatchObject({ caseId: c.id, executionName: execution, execution: { name: execution, status: 'RUNNING' } });
    expect(latest.events.map((e) => [e.id, e.state])).toEqual([
      [total - 1, 'Drive Case'],
      [total, 'Drive Case'],
    ]);
    expect(latest.events[1]).toMatchObject({ type: 'TaskFailed', error: 'StepMoved', cause: 'moved on' });
    // Paged back with `next` until the first event: every id once, each page oldest first.
    const ids = latest.events.map((e) => e.id);
    let next = latest.next;
    while (next) {
      const earlier = await caseExecution(office, as('chen-zhiqiang'), c.id, { limit: 2, next });
      ids.unshift(...earlier.events.map((e) => e.id));
      next = earlier.next;
    }
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('says so when the case names an execution Step Functions no longer has', async () => {
    const office = await givenOffice();
    const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮请假', fields: leave(1) })).body as { id: string };
    // As after a restart of the local system: the case names an execution the engine never ran.
    expect(await office.cases.replaceExecution(c.id, c.id, `${c.id}-forgotten`)).toBe(true);
    expect(await caseExecution(office, as('chen-zhiqiang'), c.id, { limit: 10 })).toEqual({ caseId: c.id, executionName: `${c.id}-forgotten`, execution: null, events: [] });
  });
});
