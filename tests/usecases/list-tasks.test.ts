/** 待办 and 超期: the inbox soonest due first, overdue counted one way, and the overdue list of cases. */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { listCases } from '../../functions/domain/cases/list-cases.ts';
import { listTasks } from '../../functions/domain/cases/list-tasks.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

const DAY = 86_400_000;

describe('list tasks and overdue work', () => {
  it('lists the section head’s work soonest due first, and marks what is past due in whole days', async () => {
    const office = await givenOffice();
    const first = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮请假', fields: leave(1) })).body as { id: string };
    office.clock.advance(DAY);
    const second = (await createCase(office, { caller: as('wu-min'), type: 'leave', title: '吴敏请假', fields: leave(1) })).body as { id: string };

    const today = await listTasks(office, as('zhou-tao'), { limit: 10 });
    expect(today.items.map((t) => t.caseId)).toEqual([first.id, second.id]);
    const due = today.items.map((t) => t.dueAt!);
    expect([...due].sort()).toEqual(due);

    // A week on, nothing signed: both are overdue, the first by more days.
    office.clock.advance(7 * DAY);
    const later = await listTasks(office, as('zhou-tao'), { limit: 10 });
    expect(later.items.map((t) => [t.caseId, t.overdue])).toEqual([
      [first.id, true],
      [second.id, true],
    ]);
    const expected = (dueAt: string) => Math.ceil((office.clock.now() - Date.parse(dueAt)) / DAY);
    expect(later.items.map((t) => t.daysOverdue)).toEqual(later.items.map((t) => expected(t.dueAt!)));
    expect(later.items[0]!.daysOverdue).toBeGreaterThan(later.items[1]!.daysOverdue);
    // The leader's overdue list has them; the applicant has nothing to sign.
    expect((await listCases(office, as('wang-jianguo'), { limit: 10, overdue: true })).items.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    expect((await listTasks(office, as('xu-liang'), { limit: 10 })).items).toEqual([]);
  });

  it('is not overdue before the due time, and pages the inbox with a cursor for the same person only', async () => {
    const office = await givenOffice();
    for (let i = 0; i < 3; i++) await createCase(office, { caller: as('xu-liang'), type: 'leave', title: `徐亮请假${i}`, fields: leave(1) });
    const page = await listTasks(office, as('zhou-tao'), { limit: 2 });
    expect(page.items.map((t) => t.overdue)).toEqual([false, false]);
    const rest = await listTasks(office, as('zhou-tao'), { limit: 2, cursor: page.next });
    expect(rest.items).toHaveLength(1);
    expect(rest.next).toBeUndefined();
    await expect(listTasks(office, as('wu-min'), { limit: 2, cursor: page.next })).rejects.toMatchObject({ name: 'ValidationError', field: 'cursor' });
  });
});
