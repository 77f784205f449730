/** Restarting executions: an admin's, once per Idempotency-Key, every open case handed to a fresh execution. */
import { describe, expect, it } from 'vitest';
import { actOnCase } from '../../functions/domain/cases/act-on-case.ts';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { restartExecutions } from '../../functions/domain/cases/orchestrate.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

describe('restart executions', () => {
  it('refuses anyone but an admin (403) and restarts nothing', async () => {
    const office = await givenOffice();
    const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮请假', fields: leave(1) })).body as { id: string };
    // The Cognito group is not what counts: the org chart's admin role is.
    await expect(restartExecutions(office, as('xu-liang', ['admin']), 'restart-0001')).rejects.toMatchObject({ name: 'ForbiddenError' });
    expect(office.workflows.of(c.id)).toEqual([c.id]);
    expect((await office.cases.get(c.id))!.execution).toBe(c.id);
    // The refused request's key is free again, not kept as if it had been answered.
    expect(await office.cases.storedResponse('xu-liang', 'restart-0001')).toBeUndefined();
  });

  it('hands every open case to a new execution for an admin, once per key; the old execution no longer drives it', async () => {
    const office = await givenOffice();
    const ids = [];
    for (const who of ['xu-liang', 'ma-chao']) ids.push(((await createCase(office, { caller: as(who), type: 'leave', title: `${who}请假`, fields: leave(1) })).body as { id: string }).id);
    const versions = await Promise.all(ids.map(async (id) => (await office.cases.get(id))!.version));

    const first = await restartExecutions(office, as('chen-zhiqiang'), 'restart-0002');
    expect(first).toEqual({ statusCode: 200, body: { restarted: 2 } });
    for (const [i, id] of ids.entries()) {
      const c = (await office.cases.get(id))!;
      expect(office.workflows.of(id)).toEqual([id, c.execution]);
      expect(c.execution).not.toBe(id);
      // The version stays, so the pages people have open stay current (a change read under the
      // old execution can no longer be saved: act-on-case.test.ts).
      expect(c.version).toBe(versions[i]);
    }
    // A decision made on a page opened before the restart goes through.
    const decided = await actOnCase(office, { caller: as('zhou-tao'), caseId: ids[0]!, version: versions[0]!, command: { action: 'approve', comment: '同意' } });
    expect(decided.statusCode).toBe(200);
    office.clock.advance(1000);
    expect(await restartExecutions(office, as('chen-zhiqiang'), 'restart-0002')).toEqual(first);
    expect(office.workflows.started).toBe(4);
  });
});
