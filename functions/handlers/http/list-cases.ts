/** GET /api/cases?type=&status=&mine=&handled=&overdue=&department=&year=&cursor=&limit= : cases the caller may see, newest first. */
import * as z from 'zod/mini';
import { access, cases, clock, org, wire } from '../../adapters/deps.ts';
import { listCases } from '../../domain/cases/list-cases.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, access, clock });

const flag = z.pipe(z.enum(['true', 'false'], { error: '须为 true 或 false。true or false.' }), z.transform((v) => v === 'true'));

const Query = z.object({
  type: z.optional(z.string().check(z.maxLength(40))),
  status: z.optional(z.enum(['open', 'completed', 'rejected', 'withdrawn'], { error: '状态须为 open/completed/rejected/withdrawn。status: open, completed, rejected or withdrawn.' })),
  mine: z.optional(flag),
  handled: z.optional(flag),
  overdue: z.optional(flag),
  department: z.optional(z.string().check(z.maxLength(40))),
  year: z.optional(z.coerce.number({ error: '年份无效。Invalid year.' }).check(z.int('年份无效。Invalid year.'), z.gte(2000, '年份无效。Invalid year.'), z.lte(2100, '年份无效。Invalid year.'))),
  limit: z._default(z.coerce.number({ error: '每页条数须为 1–100。limit: 1 to 100.' }).check(z.int('每页条数须为 1–100。limit: 1 to 100.'), z.gte(1, '每页条数须为 1–100。limit: 1 to 100.'), z.lte(100, '每页条数须为 1–100。limit: 1 to 100.')), 20),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await listCases(deps, caller, query) }));
