/** GET /api/archive/jobs?year=2026: the year's 四性检测 runs and handover packages, newest first, with their state and summary. */
import * as z from 'zod/mini';
import { archive, clock, org, wire } from '../../adapters/deps.ts';
import { listArchiveJobs } from '../../domain/archive/check-archive.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { httpHandler } from '../middleware.ts';
import { Year } from './archive-query.ts';

const deps = wire({ archive, org, clock });

const Query = z.object({ year: z.optional(Year) });

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => {
    const year = query.year ?? numberingYear(deps.clock.now());
  return { body: { year, items: await listArchiveJobs(deps, caller, year) } };
});
