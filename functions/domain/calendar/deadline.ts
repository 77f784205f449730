/**
 * Due times for steps, each with its explanation (rule, start, the days skipped and why), shown in
 * the API and written to the trail. Legal day counts (信访: 15 days, 60 days) end on a working
 * day: a period whose last day is a day off ends on the next working day.
 */
import type { SkippedDay, WorkingCalendar } from './working-calendar.ts';
import { shanghaiDate, shanghaiTime } from './working-calendar.ts';

export type DeadlineSpec =
  | { readonly days: number; readonly from?: string }
  | { readonly workingDays: number; readonly from?: string }
  | { readonly workingHours: number; readonly from?: string }
  | { readonly sameDay: true; readonly from?: string }
  | { readonly dateField: string; readonly from?: string }
  | { readonly beforeDayOfMonth: number; readonly periodField?: string; readonly from?: string };

export interface Extension {
  readonly days: number;
  readonly reason: string;
  readonly byId: string;
  readonly byName: string;
  readonly at: string;
}

export interface DueExplanation {
  readonly at: string;
  readonly rule: { readonly zh: string; readonly en: string };
  readonly start: string;
  /** Which event the clock started at, when not at the step's start (e.g. 受理 acceptance). */
  readonly from?: string;
  readonly skipped: SkippedDay[];
  /** For calendar-day periods: the nominal last day before rolling past days off (extensions count from it). */
  readonly nominalEnd?: string;
  readonly extension?: Extension;
}

const DAY_MS = 86_400_000;

/** The first working day at or after `date`, and the days passed over on the way. */
function rollToWorkingDay(calendar: WorkingCalendar, date: string, skipped: SkippedDay[]): string {
  let d = date;
  for (let i = 0; i < 60 && !calendar.isWorkingDay(d); i++) {
    const info = calendar.day(d);
    skipped.push({
      date: d,
      reason: `${info.reason}：期限顺延 the period ends on the next working day`,
      text: { zh: `${info.text.zh}：期限顺延`, en: `${info.text.en}: the period ends on the next working day` },
    });
    d = new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  }
  return d;
}

/** A label in both languages, or one string for both. */
type Label = string | { readonly zh: string; readonly en: string };
const textOf = (label: Label) => (typeof label === 'string' ? { zh: label, en: label } : label);
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

export function computeDue(
  spec: DeadlineSpec,
  start: number,
  calendar: WorkingCalendar,
  context: { fields: Readonly<Record<string, unknown>>; fieldLabel?: (key: string) => Label; fromLabel?: Label },
): DueExplanation {
  const skipped: SkippedDay[] = [];
  let at: number;
  let rule: { zh: string; en: string };
  let nominalEnd: string | undefined;
  if ('workingDays' in spec) {
    const due = calendar.addWorkingDays(start, spec.workingDays);
    at = due.at;
    skipped.push(...due.skipped);
    rule = { zh: `${spec.workingDays} 个工作日`, en: plural(spec.workingDays, 'working day') };
  } else if ('workingHours' in spec) {
    const due = calendar.addWorkingHours(start, spec.workingHours);
    at = due.at;
    skipped.push(...due.skipped);
    rule = { zh: `${spec.workingHours} 个工作小时`, en: plural(spec.workingHours, 'working hour') };
  } else if ('sameDay' in spec) {
    const due = calendar.sameDay(start);
    at = due.at;
    skipped.push(...due.skipped);
    rule = { zh: '当日办结', en: 'the same working day' };
  } else if ('days' in spec) {
    nominalEnd = shanghaiDate(start + spec.days * DAY_MS);
    const last = rollToWorkingDay(calendar, nominalEnd, skipped);
    at = calendar.endOfDay(last);
    rule = { zh: `${spec.days} 日`, en: plural(spec.days, 'day') };
  } else if ('dateField' in spec) {
    const value = context.fields[spec.dateField];
    const label = textOf(context.fieldLabel?.(spec.dateField) ?? spec.dateField);
    at = typeof value === 'string' ? calendar.endOfDay(value) : calendar.sameDay(start).at;
    rule = { zh: `按“${label.zh}”`, en: `by the date in “${label.en}”` };
  } else {
    // Before day D: of the month a period field names (a report's month, however late the work
    // gets), else this month's if still ahead, else next month's. Due by the end of the last
    // working day before D.
    const period = spec.periodField ? context.fields[spec.periodField] : undefined;
    const day = String(spec.beforeDayOfMonth).padStart(2, '0');
    let target: string;
    if (typeof period === 'string' && /^\d{4}-\d{2}$/.test(period)) target = `${period}-${day}`;
    else {
      const [y, m] = shanghaiDate(start).split('-').map(Number) as [number, number];
      target = `${y}-${String(m).padStart(2, '0')}-${day}`;
      if (shanghaiTime(target, 0) <= start) target = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-${day}`;
    }
    let last = new Date(Date.parse(`${target}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    for (let i = 0; i < 30 && !calendar.isWorkingDay(last); i++) {
      skipped.push({ date: last, reason: calendar.day(last).reason, text: calendar.day(last).text });
      last = new Date(Date.parse(`${last}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    }
    at = calendar.endOfDay(last);
    rule = { zh: `每月 ${spec.beforeDayOfMonth} 日前`, en: `before day ${spec.beforeDayOfMonth} of the month` };
  }
  if (spec.from && context.fromLabel) {
    const from = textOf(context.fromLabel);
    rule = { zh: `自${from.zh}起${rule.zh}`, en: `${rule.en} from ${from.en.toLowerCase()}` };
  }
  return { at: new Date(at).toISOString(), rule, start: new Date(start).toISOString(), from: spec.from, skipped, nominalEnd };
}

/** One extension (信访: +30 days with approval): the due time moves and says why. */
export function extendDue(due: DueExplanation, calendar: WorkingCalendar, extension: Extension): DueExplanation {
  const skipped = [...due.skipped];
  // Counted from the period's nominal end, not from a date already rolled past a holiday.
  const base = due.nominalEnd ? Date.parse(`${due.nominalEnd}T12:00:00+08:00`) : Date.parse(due.at);
  const last = rollToWorkingDay(calendar, shanghaiDate(base + extension.days * DAY_MS), skipped);
  return { ...due, at: new Date(calendar.endOfDay(last)).toISOString(), skipped, extension };
}
