/**
 * The daily overdue sweep (超期督办): finds the open items that are overdue or due by the end of
 * the next working day through the due-time index (closed cases are not in it, so the sweep does
 * not grow with the archive; never a Scan), and sends one digest to each person with such work
 * and one to each department head for their department.
 */
import { shanghaiDate } from '../calendar/working-calendar.ts';
import { deliver } from '../notify.ts';
import type { Deps } from '../ports.ts';
import { isActionable, type Notification } from './case.ts';
import { loadRules } from './rules.ts';
import { daysOverdue } from './overdue.ts';

export interface SweptItem {
  readonly caseId: string;
  readonly title: string;
  readonly stepName?: string;
  /** The step's name in English (cases entered a step before it was kept: none, the Chinese name is said). */
  readonly stepNameEn?: string;
  readonly dueAt: string;
  readonly overdue: boolean;
  readonly daysOverdue: number;
  readonly assignees: string[];
}

export interface SweepResult {
  readonly overdue: SweptItem[];
  readonly dueSoon: SweptItem[];
  readonly digests: number;
  /** Index items read: it must not grow with closed cases. */
  readonly itemsRead: number;
}

/** The ports of the morning sweep: it reads cases and sends the digests. */
export type SweepDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'notifications' | 'mailer' | 'clock'>;

export async function sweepOverdue(deps: SweepDeps, at: number = deps.clock.now()): Promise<SweepResult> {
  const { org, calendar } = await loadRules(deps);
  // Nobody is emailed about work on a day off: the sweep runs on working days.
  if (!calendar.isWorkingDay(shanghaiDate(at))) return { overdue: [], dueSoon: [], digests: 0, itemsRead: 0 };
  // Due soon: by the end of the next working day.
  const until = new Date(calendar.addWorkingDays(at, 1).at + 1).toISOString();
  const overdue: SweptItem[] = [];
  const dueSoon: SweptItem[] = [];
  let itemsRead = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.cases.dueBefore(until, cursor);
    itemsRead += page.itemsRead;
    for (const c of page.items) {
      if (c.status !== 'open' || !c.dueAt) continue;
      const due = Date.parse(c.dueAt);
      const item: SweptItem = {
        caseId: c.id,
        title: c.title,
        stepName: c.stepName,
        stepNameEn: c.stepNameEn,
        dueAt: c.dueAt,
        overdue: due <= at,
        daysOverdue: daysOverdue(c.dueAt, at),
        // Whoever can act: the holder, a delegate, a stand-in while the absence lasts.
        assignees: [
          ...new Set(
            c.slots
              .filter((s) => isActionable(c, s))
              .flatMap((s) => [s.personId, s.delegateId ?? [], org.standInFor(s.personId, at)?.id ?? []].flat()),
          ),
        ],
      };
      (item.overdue ? overdue : dueSoon).push(item);
    }
    cursor = page.next;
  } while (cursor);

  const when = new Date(at).toISOString();
  // Each line says who is waiting on it, so a department head sees who is late.
  const lineZh = (i: SweptItem) =>
    `· ${i.title}（${i.stepName ?? ''}，${i.assignees.map((p) => org.nameOf(p)).join('、')}）${i.overdue ? `已超期 ${i.daysOverdue} 天` : `将于 ${i.dueAt} 到期`} /cases/${i.caseId}`;
  const lineEn = (i: SweptItem) =>
    `· ${i.title} (${i.stepNameEn ?? i.stepName ?? ''}, ${i.assignees.map((p) => org.nameOf(p)).join(', ')}) ${i.overdue ? `${i.daysOverdue} ${i.daysOverdue === 1 ? 'day' : 'days'} overdue` : `due ${i.dueAt}`} /cases/${i.caseId}`;
  const digest = (personId: string, heading: { zh: string; en: string }, items: SweptItem[]): Notification => {
    const date = shanghaiDate(at);
    const text = { zh: items.map(lineZh).join('\n'), en: items.map(lineEn).join('\n') };
    return {
      personId,
      title: `${heading.zh}（${date}）`,
      heading: { zh: `${heading.zh}（${date}）`, en: `${heading.en} (${date})` },
      code: 'digest',
      text,
      message: `${text.zh}\n\n${heading.en} (${date})\n${text.en}`,
      at: when,
      kind: 'digest',
      link: '/dashboard',
    };
  };
  const notifications: Notification[] = [];
  const byPerson = new Map<string, SweptItem[]>();
  for (const item of [...overdue, ...dueSoon]) for (const p of item.assignees) byPerson.set(p, [...(byPerson.get(p) ?? []), item]);
  for (const [personId, items] of byPerson) notifications.push(digest(personId, { zh: '每日待办提醒', en: 'Your overdue and due-soon work' }, items));
  // Each department head: the overdue work of their department's people.
  for (const department of org.org.departments) {
    const members = new Set(org.org.people.filter((p) => p.departmentId === department.id).map((p) => p.id));
    const items = overdue.filter((i) => i.assignees.some((a) => members.has(a)));
    if (items.length === 0) continue;
    for (const head of org.departmentHeadOf(department.id)) notifications.push(digest(head.id, { zh: `${department.name}超期督办`, en: `Overdue in ${department.nameEn ?? department.name}` }, items));
  }
  await deliver(deps, org, notifications);
  return { overdue, dueSoon, digests: notifications.length, itemsRead };
}
