/** GET /api/me/opinions: the caller's 常用意见 (their own, or the office's usual ones for their place). */
import { org, profiles, wire } from '../../adapters/deps.ts';
import { opinionsOf } from '../../domain/org/opinions.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org, profiles });

export const handler = httpHandler({}, async ({ caller }) => ({ body: await opinionsOf(deps, caller) }));
