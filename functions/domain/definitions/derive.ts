/**
 * Values the system works out instead of the person typing them: a leave's days from its dates on
 * the working calendar, with half days (上午/下午). Worked out when a case is opened or changed
 * (a value the client sent must agree) and for the form's preview as the person picks.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Definition } from './definition.ts';
import { dayOf, evaluate } from './fields.ts';

export type Derivation = Definition['derive'][number];

/** The half of a day a leave starts or ends on. */
export const HALVES = ['am', 'pm'] as const;

const DAY_MS = 86_400_000;
/** The longest span worked out (a year's leave); a longer one is refused, never left uncounted. */
const MAX_SPAN_DAYS = 366;
const isDate = (v: unknown): v is string => dayOf(v) !== undefined;

/** How long a span is: its working days (or calendar days), less a half at either end where it starts in the afternoon or ends at noon. */
export function spanDays(calendar: WorkingCalendar, span: { from: string; to: string; fromHalf?: unknown; toHalf?: unknown }, calendarDays: boolean): number {
  const days = calendarDays
    ? Array.from({ length: Math.round((Date.parse(`${span.to}T00:00:00Z`) - Date.parse(`${span.from}T00:00:00Z`)) / DAY_MS) + 1 }, () => ({ work: true }))
    : calendar.range(span.from, span.to);
  let total = days.filter((d) => d.work).length;
  // A half day off only counts where that day counts at all.
  if (span.fromHalf === 'pm' && days[0]?.work) total -= 0.5;
  if (span.toHalf === 'am' && days.at(-1)?.work && (span.from !== span.to || span.fromHalf !== 'pm')) total -= 0.5;
  return total;
}

/**
 * The derived values for these fields (only those whose inputs are there and well formed), and
 * why any could not be worked out.
 */
export function deriveFields(definition: Definition, fields: Readonly<Record<string, unknown>>, calendar: WorkingCalendar, applicantRoles: readonly string[] = []) {
  const derived: Record<string, number> = {};
  const issues: { field: string; message: string }[] = [];
  for (const d of definition.derive) {
    const span = d.workingDaysBetween;
    const from = fields[span.from];
    const to = fields[span.to];
    if (!isDate(from) || !isDate(to)) continue;
    if (to < from) {
      issues.push({ field: span.to, message: '结束日期不能早于开始日期。The end date is before the start date.' });
      continue;
    }
    if ((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS > MAX_SPAN_DAYS) {
      issues.push({ field: span.to, message: `日期跨度不能超过 ${MAX_SPAN_DAYS} 天。The dates may be at most ${MAX_SPAN_DAYS} days apart.` });
      continue;
    }
    const calendarDays = evaluate(d.calendarDaysWhen, { fields, applicantRoles: applicantRoles as never }) && d.calendarDaysWhen !== undefined;
    const days = spanDays(calendar, { from, to, fromHalf: span.fromHalf && fields[span.fromHalf], toHalf: span.toHalf && fields[span.toHalf] }, calendarDays);
    if (days <= 0) {
      issues.push({ field: span.to, message: '所选日期内没有工作日。There is no working day between these dates.' });
      continue;
    }
    derived[d.field] = days;
  }
  return { derived, issues };
}
