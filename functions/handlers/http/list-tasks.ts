/** GET /api/tasks: the caller's open work — to sign (待办, kind `sign`) and to read (待阅, kind `read`) — soonest due first. */
import * as z from 'zod';
import { cases, clock, wire } from '../../adapters/deps.ts';
import { listTasks } from '../../domain/cases/list-tasks.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, clock });

const Query = z.object({
  limit: z.coerce.number({ error: '每页条数须为 1–100。limit: 1 to 100.' }).int('每页条数须为 1–100。limit: 1 to 100.').min(1, '每页条数须为 1–100。limit: 1 to 100.').max(100, '每页条数须为 1–100。limit: 1 to 100.').default(50),
  cursor: z.string().max(2000).optional(),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await listTasks(deps, caller, query) }));
