/** GET /api/cases/{id}/trail?cursor=&limit= : the trail entries before the cursor (the case view's `trailEarlier`), oldest first. */
import * as z from 'zod';
import { access, cases, clock, org, wire } from '../../adapters/deps.ts';
import { getCaseTrail } from '../../domain/cases/get-case.ts';
import { httpHandler } from '../middleware.ts';
import { CasePath } from './get-case.ts';

const deps = wire({ cases, org, access, clock });

const Query = z.object({
  limit: z.coerce.number({ error: '每页条数须为 1–200。limit: 1 to 200.' }).int('每页条数须为 1–200。limit: 1 to 200.').min(1, '每页条数须为 1–200。limit: 1 to 200.').max(200, '每页条数须为 1–200。limit: 1 to 200.').default(100),
  cursor: z.string().max(2000).optional(),
});

export const handler = httpHandler({ path: CasePath, query: Query }, async ({ path, query, caller }) => ({ body: await getCaseTrail(deps, caller, path.id, query) }));
