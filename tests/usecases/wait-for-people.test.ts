/** The wait state's task: a token recorded beside an open case; a closed case's wait failed at once, ending its execution. */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { stepKeyOf } from '../../functions/domain/cases/case.ts';
import { CASE_CLOSED, waitForPeople } from '../../functions/domain/cases/orchestrate.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

describe('wait for people', () => {
  it('records the token of an open case, and fails the wait of a closed one with CaseClosed (recording nothing)', async () => {
    const office = await givenOffice();
    const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) })).body as { id: string };
    const open = (await office.cases.get(c.id))!;
    const at = { caseId: c.id, stepKey: stepKeyOf(open), execution: open.execution! };

    await waitForPeople(office, { ...at, token: 'token-open', closed: false });
    expect(await office.cases.waiting(c.id)).toMatchObject({ token: 'token-open', stepKey: at.stepKey });
    expect(office.workflows.failed).toEqual([]);

    await waitForPeople(office, { ...at, token: 'token-closed', closed: true });
    expect(office.workflows.failed).toEqual([{ token: 'token-closed', error: CASE_CLOSED }]);
    expect((await office.cases.waiting(c.id))?.token).toBe('token-open');
  });
});
