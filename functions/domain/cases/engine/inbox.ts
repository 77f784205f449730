/** The inbox (待办/待阅) a case gives rise to, and how one change moves it: what the store writes beside the case. */
import type { TaskView } from '../../ports.ts';
import { tasksOf, type CaseRecord, type Task } from '../case.ts';

/** One row of someone's inbox: the open work, and what the list shows of its case. */
export interface InboxRow {
  readonly task: Task;
  readonly view: TaskView;
}

/** Rows the change ends, and rows it opens or changes (a row that stays as it was is not written again). */
export interface InboxChange {
  readonly remove: readonly Task[];
  readonly put: readonly InboxRow[];
}

export function inboxRowsOf(c: CaseRecord): InboxRow[] {
  return tasksOf(c).map((task) => ({
    task,
    view: {
      caseId: c.id,
      kind: task.kind,
      type: c.type,
      title: c.title,
      stepName: c.stepName,
      applicantName: c.applicantName,
      number: c.number,
      dueAt: task.dueAt,
      createdAt: c.createdAt,
      ...(task.sentBy ? { sentBy: task.sentBy, sentAt: task.sentAt } : {}),
    },
  }));
}

/** Only what changed: a case circulated to the whole staff still saves in one transaction. */
export function inboxChange(previous: CaseRecord | undefined, next: CaseRecord): InboxChange {
  const id = (t: Task) => `${t.personId}#${t.kind}`;
  const before = new Map((previous ? inboxRowsOf(previous) : []).map((row) => [id(row.task), JSON.stringify(row.view)]));
  const after = inboxRowsOf(next);
  const open = new Set(after.map((row) => id(row.task)));
  return {
    remove: (previous ? tasksOf(previous) : []).filter((t) => !open.has(id(t))),
    put: after.filter((row) => before.get(id(row.task)) !== JSON.stringify(row.view)),
  };
}
