/** GET /api/cases?type=&status=&mine=&handled=&overdue=&department=&year=&cursor=&limit= : cases the caller may see, newest first. */
import * as z from 'zod';
import { access, cases, clock, org, wire } from '../../adapters/deps.ts';
import { listCases } from '../../domain/cases/list-cases.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, access, clock });

const flag = z.enum(['true', 'false'], { error: '须为 true 或 false。true or false.' }).transform((v) => v === 'true');

const Query = z.object({
  type: z.string().max(40).optional(),
  status: z.enum(['open', 'completed', 'rejected', 'withdrawn'], { error: '状态须为 open/completed/rejected/withdrawn。status: open, completed, rejected or withdrawn.' }).optional(),
  mine: flag.optional(),
  handled: flag.optional(),
  overdue: flag.optional(),
  department: z.string().max(40).optional(),
  year: z.coerce.number({ error: '年份无效。Invalid year.' }).int('年份无效。Invalid year.').min(2000, '年份无效。Invalid year.').max(2100, '年份无效。Invalid year.').optional(),
  limit: z.coerce.number({ error: '每页条数须为 1–100。limit: 1 to 100.' }).int('每页条数须为 1–100。limit: 1 to 100.').min(1, '每页条数须为 1–100。limit: 1 to 100.').max(100, '每页条数须为 1–100。limit: 1 to 100.').default(20),
  cursor: z.string().max(2000).optional(),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await listCases(deps, caller, query) }));
