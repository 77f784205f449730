/** PUT /api/me/opinions {"items":[...]}: the caller keeps their own 常用意见 (up to 30, 200 characters each). */
import { profiles, wire } from '../../adapters/deps.ts';
import { keepOpinions, OpinionsSchema } from '../../domain/org/opinions.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ profiles });

export const handler = httpHandler({ body: OpinionsSchema }, async ({ body, caller }) => ({ body: await keepOpinions(deps, caller, body) }));
