/**
 * Recurring obligations (周期性工作, DOMAIN.md §11): each period an obligation opens a case of its
 * process for the person holding a role, which is then chased like any step. One case per
 * obligation and period, however often the daily schedule runs.
 */
import type { Role } from '../org/org.ts';

export interface Obligation {
  readonly id: string;
  /** The process each period's case runs. */
  readonly type: string;
  /** Monthly on a day, or yearly in a month on a day (Asia/Shanghai). */
  readonly recurrence: { readonly every: 'month'; readonly openOnDay: number } | { readonly every: 'year'; readonly month: number; readonly openOnDay: number };
  /** Who the case is opened for: the first active holder of this role. */
  readonly applicantRole: Role;
  readonly title: (period: string) => string;
  readonly fields: (period: string) => Record<string, unknown>;
}

export const obligations: readonly Obligation[] = [
  {
    // 000 §二.3: the nine monthly reports, consolidated and submitted before the 28th.
    id: 'monthly-reports',
    type: 'monthly-report',
    recurrence: { every: 'month', openOnDay: 1 },
    applicantRole: 'clerk',
    title: (period) => `${period.replace('-', '年')}月 月度报表报送`,
    fields: (period) => ({ period }),
  },
];

/** The period an instant falls in for an obligation, and whether its case is due to be opened. */
export function periodOf(obligation: Obligation, at: number): { period: string; open: boolean } {
  const d = new Date(at + 8 * 3_600_000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const r = obligation.recurrence;
  if (r.every === 'month') return { period: `${year}-${String(month).padStart(2, '0')}`, open: day >= r.openOnDay };
  return { period: String(year), open: month > r.month || (month === r.month && day >= r.openOnDay) };
}
