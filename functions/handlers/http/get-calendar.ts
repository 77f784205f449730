/** GET /api/calendar?from=&to= : each day with whether it is worked and why, and the organisation's own entries. */
import * as z from 'zod/mini';
import { calendar, wire } from '../../adapters/deps.ts';
import { WorkingCalendar } from '../../domain/calendar/working-calendar.ts';
import { ValidationError } from '../../domain/errors.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ calendar });

const date = z.iso.date({ error: '日期格式应为 YYYY-MM-DD。Use YYYY-MM-DD.' });
const Query = z.object({ from: date, to: date });

export const handler = httpHandler({ query: Query }, async ({ query }) => {
  const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000;
  if (days < 0) throw new ValidationError('结束日期须不早于开始日期。to must not be before from.', 'to');
  if (days > 366) throw new ValidationError('一次最多查询 366 天。At most 366 days at a time.', 'to');
  const stored = await deps.calendar.current();
  return { body: { version: stored.version, overrides: stored.overrides, days: new WorkingCalendar(stored.overrides).range(query.from, query.to) } };
});
