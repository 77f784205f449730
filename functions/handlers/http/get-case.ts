/** GET /api/cases/{id}: the case, its latest trail entries, its routing slip and the actions the caller may take now. */
import { access, cases, clock, org, scanTextStates, wire } from '../../adapters/deps.ts';
import { getCase } from '../../domain/cases/get-case.ts';
import { httpHandler } from '../middleware.ts';
import { CasePath } from './case-path.ts';

// The scans' reading states only: the page needs no S3 client.
const deps = wire({ cases, org, access, clock, scanTexts: scanTextStates });

export const handler = httpHandler({ path: CasePath }, async ({ path, caller }) => ({ body: await getCase(deps, caller, path.id) }));
