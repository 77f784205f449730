/** POST /api/archive/jobs/{year}/{id}/download: a link (valid 10 minutes) to a finished handover package. */
import { archive, org, vault, wire } from '../../adapters/deps.ts';
import { handoverLink } from '../../domain/archive/check-archive.ts';
import { httpHandler } from '../middleware.ts';
import { JobPath } from './archive-query.ts';

const deps = wire({ archive, org, vault });

export const handler = httpHandler({ path: JobPath }, async ({ path, caller }) => ({ body: await handoverLink(deps, caller, path.year, path.id) }));
