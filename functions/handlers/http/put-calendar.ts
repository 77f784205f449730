/** PUT /api/calendar {"version","overrides":[{"date","work","reason"}]} (admins): the organisation's own calendar entries. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { replaceCalendar } from '../../domain/calendar/calendar-service.ts';
import { httpHandler } from '../middleware.ts';

const Body = z.object({
  version: z.number({ error: '请提供当前版本号 version（首次为 0）。version is required (0 the first time).' }).int().min(0),
  overrides: z.unknown(),
});

export const handler = httpHandler({ body: Body }, async ({ body, caller }) => ({
  body: await replaceCalendar(defaultDeps(), caller, body.overrides, body.version),
}));
