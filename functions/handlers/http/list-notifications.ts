/** GET /api/notifications?unread=true : the caller's notifications, newest first, each linking to its item. */
import * as z from 'zod/mini';
import { notifications, wire } from '../../adapters/deps.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ notifications });

const Query = z.object({
  unread: z._default(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true')), false),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 30),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({
  body: await deps.notifications.list(caller.personId, { unreadOnly: query.unread, limit: query.limit, cursor: query.cursor }),
}));
