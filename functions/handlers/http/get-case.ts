/** GET /api/cases/{id}: the case, its latest trail entries, its routing slip and the actions the caller may take now. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { getCase } from '../../domain/cases/get-case.ts';
import { httpHandler } from '../middleware.ts';

export const CasePath = z.object({ id: z.string().min(1).max(60) });

export const handler = httpHandler({ path: CasePath }, async ({ path, caller }) => ({ body: await getCase(defaultDeps(), caller, path.id) }));
