/** GET /api/archive/gaps?year=2026&format=json|xlsx|csv: 断号报告, each number sequence's gaps and voids for a year. */
import * as z from 'zod/mini';
import { clock, numbering, org, wire } from '../../adapters/deps.ts';
import { numberGaps } from '../../domain/archive/number-gaps.ts';
import { exportNumberGaps } from '../../domain/archive/number-gaps-export.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org, numbering, clock });

const YEAR = '年份（year）须为 2000 至 2100 之间的整数。year: a whole number from 2000 to 2100.';

const Query = z.object({
  year: z.optional(z.coerce.number({ error: YEAR }).check(z.int(YEAR), z.gte(2000, YEAR), z.lte(2100, YEAR))),
  format: z._default(z.enum(['json', 'xlsx', 'csv'], { error: '格式（format）须为 json、xlsx 或 csv。format: json, xlsx or csv.' }), 'json'),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => {
    const report = await numberGaps(deps, caller, query.year ?? numberingYear(deps.clock.now()));
  return query.format === 'json' ? { body: report } : { file: await exportNumberGaps(report, query.format) };
});
