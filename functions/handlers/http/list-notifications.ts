/** GET /api/notifications?unread=true : the caller's notifications, newest first, each linking to its item. */
import * as z from 'zod';
import { notifications, wire } from '../../adapters/deps.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ notifications });

const Query = z.object({
  unread: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(2000).optional(),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({
  body: await deps.notifications.list(caller.personId, { unreadOnly: query.unread, limit: query.limit, cursor: query.cursor }),
}));
