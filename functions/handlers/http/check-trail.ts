/** GET /api/admin/trail-check?from=2026-11-01&to=2026-11-27[&after=]: the period's digests (there, chained), and every case they name verified against each head they recorded (admin, archivist). */
import * as z from 'zod/mini';
import { cases, clock, org, vault, wire } from '../../adapters/deps.ts';
import { checkTrailRange } from '../../domain/cases/trail-digest.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, vault, clock, org });

const day = (field: string, zh: string) =>
  z.string({ error: `${zh}须为日期（YYYY-MM-DD）。${field}: a date (YYYY-MM-DD).` }).check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${zh}须为日期（YYYY-MM-DD）。${field}: a date (YYYY-MM-DD).`),
    z.refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${zh}不是有效日期。${field}: not a valid date.`),
  );

const Query = z.object({
  from: day('from', '开始日期'),
  to: day('to', '结束日期'),
  /** Going on from where a check stopped (its `next`). */
  after: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{1,60}$/, '续查位置无效。after: invalid.'))),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await checkTrailRange(deps, caller, query) }));
