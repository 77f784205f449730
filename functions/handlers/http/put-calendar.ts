/** PUT /api/calendar {"version","overrides":[{"date","work","reason"}]} (admins): the organisation's own calendar entries. */
import * as z from 'zod/mini';
import { calendar, org, wire } from '../../adapters/deps.ts';
import { replaceCalendar } from '../../domain/calendar/calendar-service.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org, calendar });

const Body = z.object({
  version: z.number({ error: '请提供当前版本号 version（首次为 0）。version is required (0 the first time).' }).check(z.int(), z.gte(0)),
  overrides: z.unknown(),
});

export const handler = httpHandler({ body: Body }, async ({ body, caller }) => ({
  body: await replaceCalendar(deps, caller, body.overrides, body.version),
}));
