/**
 * Recurring obligations (周期性工作, DOMAIN.md §11): each period an obligation opens a case of its
 * process for the person holding a role, which is then chased like any step. One case per
 * obligation and period, however often the daily schedule runs.
 */
import chineseDays from 'chinese-days';
import type { Role } from '../org/org.ts';

export interface Obligation {
  readonly id: string;
  /** The process each period's case runs. */
  readonly type: string;
  /** Monthly on a day, or yearly in a month on a day (Asia/Shanghai). */
  readonly recurrence:
    | { readonly every: 'month'; readonly openOnDay: number }
    /** Opened from `openOnDay` of `month` through the end of `untilMonth`: a window missed is not opened late. */
    | { readonly every: 'year'; readonly month: number; readonly openOnDay: number; readonly untilMonth: number };
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
  {
    // 002 第二篇 §九: the theory study group meets around the 20th, its members told 3 days before.
    id: 'theory-study',
    type: 'theory-study',
    recurrence: { every: 'month', openOnDay: 10 },
    applicantRole: 'clerk',
    title: (period) => `${period.replace('-', '年')}月 理论中心组学习`,
    fields: (period) => ({ period, studyDate: workingDayFrom(`${period}-20`) }),
  },
  {
    // 000 §二.2, 004 ch.8: last year's files go to the archive room by the end of June.
    id: 'archive-hand-in',
    type: 'archive-hand-in',
    recurrence: { every: 'year', month: 6, openOnDay: 1, untilMonth: 6 },
    applicantRole: 'archivist',
    title: (year) => `${Number(year) - 1}年度档案移交（${year}年6月底前）`,
    fields: (year) => ({ year: String(Number(year) - 1), dueOn: `${year}-06-30` }),
  },
  {
    // 000 证件管理岗: every November–December all certificates are reviewed.
    id: 'certificate-review',
    type: 'certificate-review',
    recurrence: { every: 'year', month: 11, openOnDay: 1, untilMonth: 12 },
    applicantRole: 'clerk',
    title: (year) => `${year}年度证照审验`,
    fields: (year) => ({ year, dueOn: `${year}-12-31` }),
  },
];

/** The day itself if it is a working day (on China's calendar), else the next one. */
function workingDayFrom(date: string): string {
  let d = date;
  for (let i = 0; i < 15 && !chineseDays.isWorkday(d); i++) d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return d;
}

/** The period an instant falls in for an obligation, and whether its case is due to be opened. */
export function periodOf(obligation: Obligation, at: number): { period: string; open: boolean } {
  const d = new Date(at + 8 * 3_600_000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const r = obligation.recurrence;
  if (r.every === 'month') return { period: `${year}-${String(month).padStart(2, '0')}`, open: day >= r.openOnDay };
  return { period: String(year), open: month <= r.untilMonth && (month > r.month || (month === r.month && day >= r.openOnDay)) };
}
