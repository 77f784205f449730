/** GET /api/overdue?department=: the 超期督办 board, most overdue first, with counts per department. */
import * as z from 'zod/mini';
import { access, cases, clock, org, wire } from '../../adapters/deps.ts';
import { overdueBoard } from '../../domain/cases/overdue-board.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, access, clock });

const Query = z.object({ department: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '部门编号无效。Invalid department.'))) });

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await overdueBoard(deps, caller, query.department) }));
