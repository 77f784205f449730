/** 待办 and 待阅: the caller's open work, soonest due first, each marked as overdue the one way (overdue.ts). */
import type { Caller, Deps } from '../ports.ts';
import { daysOverdue } from './overdue.ts';

export async function listTasks(deps: Pick<Deps, 'cases' | 'clock'>, caller: Caller, page: { limit: number; cursor?: string }) {
  const now = deps.clock.now();
  const tasks = await deps.cases.tasksFor(caller.personId, page.limit, page.cursor);
  const items = tasks.items.map((t) => ({ ...t, overdue: daysOverdue(t.dueAt, now) > 0, daysOverdue: daysOverdue(t.dueAt, now) }));
  return { items, next: tasks.next };
}
