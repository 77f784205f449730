/** GET /api/stats/export?month=2026-11&format=xlsx|csv: the month's assessment as a file. */
import * as z from 'zod/mini';
import { clock, org, registers, wire } from '../../adapters/deps.ts';
import { exportRegister } from '../../domain/registers/export.ts';
import { assessmentRegister, readAssessment } from '../../domain/stats/stats.ts';
import { httpHandler } from '../middleware.ts';
import { MonthQuery, thisMonth } from './month-query.ts';

const deps = wire({ registers, org, clock });

const Query = z.extend(MonthQuery, { format: z._default(z.enum(['csv', 'xlsx'], { error: '导出格式须为 csv 或 xlsx。format: csv or xlsx.' }), 'xlsx') });

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => {
    const assessment = await readAssessment(deps, caller, query.month ?? thisMonth(deps.clock.now()));
  return { file: await exportRegister(assessmentRegister(assessment), query.format) };
});
