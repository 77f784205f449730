/** GET /api/tasks: the caller's open work (待办), soonest due first, overdue marked. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { httpHandler } from '../middleware.ts';

const Query = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(2000).optional() });

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => {
  const deps = defaultDeps();
  const now = deps.clock.now();
  const page = await deps.cases.tasksFor(caller.personId, query.limit, query.cursor);
  const items = page.items.map((t) => ({
    ...t,
    overdue: t.dueAt !== undefined && Date.parse(t.dueAt) < now,
    daysOverdue: t.dueAt !== undefined && Date.parse(t.dueAt) < now ? Math.floor((now - Date.parse(t.dueAt)) / 86_400_000) : 0,
  }));
  return { body: { items, next: page.next } };
});
