/** PUT /api/org (admins): replaces the org chart, at the version the admin read (0 for the first). */
import * as z from 'zod/mini';
import { org, wire } from '../../adapters/deps.ts';
import { replaceOrg } from '../../domain/org/org-service.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org });

const Body = z.object({
  version: z.number({ error: '请提供当前版本号 version（首次设置为 0）。version is required (0 for the first org).' }).check(z.int(), z.gte(0)),
  org: z.unknown(),
});

// A bureau of thousands of people is a few megabytes of JSON; Lambda takes 6 MB in all.
export const handler = httpHandler({ body: Body, maxBodyBytes: 5 * 1024 * 1024 }, async ({ body, caller }) => ({
  body: await replaceOrg(deps, caller, body.org, body.version),
}));
