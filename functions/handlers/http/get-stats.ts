/** GET /api/stats?month=2026-11: on-time rate, first-pass rate, overdue count and average handling time per department and person. */
import { clock, org, registers, wire } from '../../adapters/deps.ts';
import { readAssessment } from '../../domain/stats/stats.ts';
import { httpHandler } from '../middleware.ts';
import { MonthQuery, thisMonth } from './month-query.ts';

const deps = wire({ registers, org, clock });

export const handler = httpHandler({ query: MonthQuery }, async ({ query, caller }) => {
    return { body: await readAssessment(deps, caller, query.month ?? thisMonth(deps.clock.now())) };
});
