/** POST /api/archive/jobs {kind: check-year | handover, year}: asks the archive worker for a year's 四性检测 or its handover package (202; asking again while one runs returns it). */
import * as z from 'zod/mini';
import { archive, clock, newId, org, wire } from '../../adapters/deps.ts';
import { requestArchiveJob } from '../../domain/archive/check-archive.ts';
import { httpHandler } from '../middleware.ts';
import { Year } from './archive-query.ts';

const deps = wire({ archive, org, clock, newId });

const Body = z.object({
  kind: z.enum(['check-year', 'handover'], { error: '任务类型须为 check-year 或 handover。kind: check-year or handover.' }),
  year: Year,
});

export const handler = httpHandler({ body: Body }, async ({ body, caller }) => ({ statusCode: 202, body: await requestArchiveJob(deps, caller, body.kind, body.year) }));
