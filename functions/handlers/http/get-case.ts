/** GET /api/cases/{id}: the case, its latest trail entries, its routing slip and the actions the caller may take now. */
import * as z from 'zod/mini';
import { access, cases, clock, org, scanTexts, wire } from '../../adapters/deps.ts';
import { getCase } from '../../domain/cases/get-case.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, access, clock, scanTexts });

export const CasePath = z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)) });

export const handler = httpHandler({ path: CasePath }, async ({ path, caller }) => ({ body: await getCase(deps, caller, path.id) }));
