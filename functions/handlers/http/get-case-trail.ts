/** GET /api/cases/{id}/trail?cursor=&limit= : the trail entries before the cursor (the case view's `trailEarlier`), oldest first. */
import * as z from 'zod/mini';
import { access, cases, clock, org, wire } from '../../adapters/deps.ts';
import { getCaseTrail } from '../../domain/cases/get-case.ts';
import { httpHandler } from '../middleware.ts';
import { CasePath } from './case-path.ts';

const deps = wire({ cases, org, access, clock });

const Query = z.object({
  limit: z._default(z.coerce.number({ error: '每页条数须为 1–200。limit: 1 to 200.' }).check(z.int('每页条数须为 1–200。limit: 1 to 200.'), z.gte(1, '每页条数须为 1–200。limit: 1 to 200.'), z.lte(200, '每页条数须为 1–200。limit: 1 to 200.')), 100),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const handler = httpHandler({ path: CasePath, query: Query }, async ({ path, query, caller }) => ({ body: await getCaseTrail(deps, caller, path.id, query) }));
