/** GET /api/tasks: the caller's open work — to sign (待办, kind `sign`) and to read (待阅, kind `read`) — soonest due first. */
import * as z from 'zod/mini';
import { cases, clock, wire } from '../../adapters/deps.ts';
import { listTasks } from '../../domain/cases/list-tasks.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, clock });

const Query = z.object({
  limit: z._default(z.coerce.number({ error: '每页条数须为 1–100。limit: 1 to 100.' }).check(z.int('每页条数须为 1–100。limit: 1 to 100.'), z.gte(1, '每页条数须为 1–100。limit: 1 to 100.'), z.lte(100, '每页条数须为 1–100。limit: 1 to 100.')), 50),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await listTasks(deps, caller, query) }));
