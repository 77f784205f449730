/** The working calendar with the organisation's overrides, and an admin's edit of them through the API. */
import * as z from 'zod/mini';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { OrgChart } from '../org/org.ts';
import type { Caller, Deps } from '../ports.ts';
import { CalendarOverrideSchema, WorkingCalendar } from './working-calendar.ts';

/** The calendar built for each overrides list read (a store hands the same list back while it is cached). */
const calendars = new WeakMap<object, WorkingCalendar>();

export async function loadCalendar(deps: Pick<Deps, 'calendar'>, options: { maxAgeMs?: number } = {}): Promise<WorkingCalendar> {
  const { overrides } = await deps.calendar.current(options);
  let calendar = calendars.get(overrides);
  if (!calendar) calendars.set(overrides, (calendar = new WorkingCalendar(overrides)));
  return calendar;
}

const Overrides = z.array(CalendarOverrideSchema, { error: '日历调整须为列表。overrides must be a list.' }).check(
  z.maxLength(1000, '最多 1000 条。At most 1000 entries.'),
  z.superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((o, i) => {
      if (seen.has(o.date)) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `日期重复：${o.date}。Duplicate date.` });
      seen.add(o.date);
    });
  }),
);

/** Replaces the organisation's calendar entries (an extra closure day; next year's schedule once published). */
export async function replaceCalendar(deps: Pick<Deps, 'calendar' | 'org'>, caller: Caller, input: unknown, expectedVersion: number) {
  const org = await deps.org.current();
  if (!org || !new OrgChart(org).has(caller.personId, 'admin')) throw new ForbiddenError('只有管理员可以修改工作日历。Only an admin can change the calendar.');
  const parsed = Overrides.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, ['overrides', ...issue.path].join('.'));
  }
  const sorted = [...parsed.data].sort((a, b) => a.date.localeCompare(b.date));
  return deps.calendar.replace(sorted, expectedVersion, caller.personId);
}
