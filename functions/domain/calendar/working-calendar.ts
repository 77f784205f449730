/**
 * China's working-day calendar (工作日历) in Asia/Shanghai: weekends, public holidays and the
 * make-up working days (调休) from the maintained `chinese-days` data set, plus the organisation's
 * own overrides (an extra closure day; next year's schedule before the data set has it), with
 * working hours for hour-based limits. Every due date it computes explains itself.
 */
import chineseDays from 'chinese-days';
import * as z from 'zod/mini';

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const CalendarOverrideSchema = z.object({
  date: z.iso.date({ error: '日期格式应为 YYYY-MM-DD。Use YYYY-MM-DD.' }),
  work: z.boolean({ error: '请说明这天是否上班（work: true/false）。Say whether it is a working day.' }),
  reason: z.string().check(z.trim(), z.minLength(1, '请填写原因。A reason is required.'), z.maxLength(100, '最多 100 字。At most 100 characters.')),
});
export type CalendarOverride = z.infer<typeof CalendarOverrideSchema>;

/** Minutes after midnight: 09:00–12:00 and 13:30–17:30 unless the organisation says otherwise. */
export interface WorkingHours {
  readonly periods: readonly (readonly [start: number, end: number])[];
}
export const DEFAULT_HOURS: WorkingHours = { periods: [[9 * 60, 12 * 60], [13 * 60 + 30, 17 * 60 + 30]] };

export interface DayInfo {
  readonly date: string;
  readonly work: boolean;
  /** Why, in the office's words: 国庆节, 周末, 调休上班, or the override's reason (both languages in one string, as earlier versions gave it). */
  readonly reason: string;
  /** The same in each language, for a page to show the one chosen. */
  readonly text: { readonly zh: string; readonly en: string };
  readonly source: 'organisation' | 'national' | 'weekday';
}

export interface SkippedDay {
  readonly date: string;
  readonly reason: string;
  readonly text?: { readonly zh: string; readonly en: string };
}

export interface Due {
  readonly at: number;
  /** The days passed over because nobody works on them. */
  readonly skipped: SkippedDay[];
}

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WORKING_DAY = { zh: '工作日', en: 'Working day' };

/** A day's entry: `reason` says it in both languages in one string, as before; `text` each language apart. */
function day(date: string, work: boolean, text: { zh: string; en: string }, source: DayInfo['source']): DayInfo {
  return { date, work, reason: `${text.zh} ${text.en}`, text, source };
}

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** The instant of a Shanghai wall-clock time on a date. */
export function shanghaiTime(date: string, minutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS + minutes * 60_000;
}

function minutesOf(at: number): number {
  const d = new Date(at + SHANGHAI_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes() + d.getUTCSeconds() / 60;
}

const nextDate = (date: string, by = 1) => new Date(Date.parse(`${date}T00:00:00Z`) + by * DAY_MS).toISOString().slice(0, 10);

export class WorkingCalendar {
  private readonly overrides: ReadonlyMap<string, CalendarOverride>;

  constructor(
    overrides: readonly CalendarOverride[] = [],
    readonly hours: WorkingHours = DEFAULT_HOURS,
  ) {
    this.overrides = new Map(overrides.map((o) => [o.date, o]));
  }

  day(date: string): DayInfo {
    const own = this.overrides.get(date);
    if (own) return { date, work: own.work, reason: own.reason, text: { zh: own.reason, en: own.reason }, source: 'organisation' };
    const detail = chineseDays.getDayDetail(date) as { work: boolean; name: string };
    const [en, zh] = detail.name.split(',');
    if (zh) {
      // A named day is a public holiday, or a weekend worked in exchange for one (调休).
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      if (detail.work) return day(date, true, weekend ? { zh: `调休上班（${zh}）`, en: `Make-up working day (${en})` } : WORKING_DAY, 'national');
      return day(date, false, { zh, en: en ?? zh }, 'national');
    }
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) return day(date, false, { zh: WEEKDAYS_ZH[weekday]!, en: WEEKDAYS_EN[weekday]! }, 'weekday');
    return day(date, true, WORKING_DAY, 'weekday');
  }

  isWorkingDay(date: string): boolean {
    return this.day(date).work;
  }

  /** End of the working day (17:30) on a date. */
  endOfDay(date: string): number {
    return shanghaiTime(date, this.hours.periods.at(-1)![1]);
  }

  /** Due at the end of the n-th working day after the start's date (收文 within 3 working days). */
  addWorkingDays(start: number, n: number): Due {
    const skipped: SkippedDay[] = [];
    let date = shanghaiDate(start);
    let counted = 0;
    while (counted < Math.ceil(n)) {
      date = nextDate(date);
      const info = this.day(date);
      if (info.work) counted++;
      else skipped.push({ date, reason: info.reason, text: info.text });
    }
    return { at: this.endOfDay(date), skipped };
  }

  /** Due after n working hours, counted only inside working periods of working days. */
  addWorkingHours(start: number, hours: number): Due {
    const skipped: SkippedDay[] = [];
    let remaining = hours * 60;
    let date = shanghaiDate(start);
    let from = minutesOf(start);
    for (let guard = 0; guard < 3660; guard++) {
      const info = this.day(date);
      if (!info.work) skipped.push({ date, reason: info.reason, text: info.text });
      else {
        for (const [open, close] of this.hours.periods) {
          const begin = Math.max(open, from);
          if (begin >= close) continue;
          const available = close - begin;
          if (remaining <= available) return { at: shanghaiTime(date, begin + remaining), skipped };
          remaining -= available;
        }
      }
      date = nextDate(date);
      from = 0;
    }
    throw new Error('addWorkingHours: no working time within ten years');
  }

  /** The same working day's end (急件当日办结); from a day off or after hours, the next working day's. */
  sameDay(start: number): Due {
    const skipped: SkippedDay[] = [];
    let date = shanghaiDate(start);
    if (this.isWorkingDay(date) && start < this.endOfDay(date)) return { at: this.endOfDay(date), skipped };
    for (;;) {
      date = nextDate(date);
      const info = this.day(date);
      if (info.work) return { at: this.endOfDay(date), skipped };
      skipped.push({ date, reason: info.reason, text: info.text });
    }
  }

  /** The days in a range with whether they are worked and why (the calendar page, the admin's check). */
  range(from: string, to: string): DayInfo[] {
    const days: DayInfo[] = [];
    for (let date = from; date <= to && days.length < 400; date = nextDate(date)) days.push(this.day(date));
    return days;
  }
}
