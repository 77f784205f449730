/** GET /api/notifications/unread-count: how many of the caller's notifications are unread (to 99, then `more`). */
import { notifications, wire } from '../../adapters/deps.ts';
import { unreadNotifications } from '../../domain/notify.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ notifications });

export const handler = httpHandler({}, async ({ caller }) => ({ body: await unreadNotifications(deps, caller) }));
