/** GET /api/cases/{id}/verify: whether the case's trail is as written — its hash chain, its head, the routing slip's copies and the latest daily digest — and where it first breaks. */
import { access, cases, clock, org, vault, wire } from '../../adapters/deps.ts';
import { verifyCaseTrail } from '../../domain/cases/trail-digest.ts';
import { httpHandler } from '../middleware.ts';
import { CasePath } from './case-path.ts';

const deps = wire({ cases, vault, clock, org, access });

export const handler = httpHandler({ path: CasePath }, async ({ path, caller }) => ({ body: await verifyCaseTrail(deps, caller, path.id) }));
