/** GET /api/overdue/export?department=&format=xlsx|csv: the 超期督办 board as a file to print or send round. */
import * as z from 'zod/mini';
import { access, cases, clock, org, wire } from '../../adapters/deps.ts';
import { overdueBoard, overdueRegister } from '../../domain/cases/overdue-board.ts';
import { exportRegister } from '../../domain/registers/export.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, access, clock });

const Query = z.object({
  department: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '部门编号无效。Invalid department.'))),
  format: z._default(z.enum(['csv', 'xlsx'], { error: '导出格式须为 csv 或 xlsx。format: csv or xlsx.' }), 'xlsx'),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => {
    const board = await overdueBoard(deps, caller, query.department);
  return { file: await exportRegister(overdueRegister(board, deps.clock.now()), query.format) };
});
