/**
 * Due times for steps. Working days skip Saturdays and Sundays in Asia/Shanghai; public holidays
 * and make-up working days (调休) come with the calendar issue (#4), which replaces this module's
 * weekday rule and keeps its signature.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface DeadlineSpec {
  readonly hours?: number;
  readonly days?: number;
  readonly workingDays?: number;
}

function isWeekend(at: number): boolean {
  const day = new Date(at + SHANGHAI_OFFSET_MS).getUTCDay();
  return day === 0 || day === 6;
}

/** When a step that starts at `start` (epoch ms) is due. */
export function dueAt(start: number, spec: DeadlineSpec): number {
  if (spec.hours !== undefined) return start + spec.hours * 3_600_000;
  if (spec.days !== undefined) return start + spec.days * DAY_MS;
  let at = start;
  let remaining = spec.workingDays ?? 0;
  // Whole working days first, then any half day on the next working day.
  while (remaining >= 1) {
    at += DAY_MS;
    if (!isWeekend(at)) remaining -= 1;
  }
  if (remaining > 0) {
    at += remaining * DAY_MS;
    while (isWeekend(at)) at += DAY_MS;
  }
  return at;
}
