/** POST /api/notifications/read {"ids":[...]}: marks the caller's notifications read. */
import * as z from 'zod/mini';
import { cases, notifications, wire } from '../../adapters/deps.ts';
import { markNotificationsRead } from '../../domain/notify.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ notifications, cases });

const Body = z.object({ ids: z.array(z.string().check(z.minLength(1), z.maxLength(100)), { error: '请提供通知编号 ids。ids is required.' }).check(z.minLength(1, '至少一条。At least one.'), z.maxLength(100, '一次最多 100 条。At most 100 at a time.')) });

export const handler = httpHandler({ body: Body }, ({ body, caller, idempotencyKey }) => markNotificationsRead(deps, caller, body.ids, idempotencyKey));
