/** GET /api/definitions?startable=true : the processes on offer, by group, each saying whether the caller may start it. */
import * as z from 'zod/mini';
import { cases, clock, org, wire } from '../../adapters/deps.ts';
import { listDefinitions } from '../../domain/definitions/list-definitions.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, clock });

const Query = z.object({ startable: z.optional(z.pipe(z.enum(['true', 'false'], { error: '须为 true 或 false。true or false.' }), z.transform((v) => v === 'true'))) });

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await listDefinitions(deps, caller, { startable: query.startable }) }));
