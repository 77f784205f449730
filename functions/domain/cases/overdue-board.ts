/**
 * 超期督办: every open step past its due time, by the department that must act, with how long it
 * is overdue and how often it was chased. Read from the sparse due index (open cases only), so
 * closed cases cost nothing; each line only if the caller may see the case.
 */
import type { Text } from '../definitions/definition.ts';
import { definitionVersion } from '../definitions/lookup.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Caller, Deps } from '../ports.ts';
import { isActionable, isWithApplicant, stepAt, type CaseRecord } from './case.ts';
import { canView, mayChase } from './engine.ts';
import { daysOverdue } from './overdue.ts';

export interface OverdueLine {
  readonly caseId: string;
  readonly title: string;
  readonly type: string;
  readonly typeName: Text;
  readonly number?: string;
  readonly stepId?: string;
  readonly stepName?: Text;
  readonly assignees: string[];
  readonly assigneeNames: string[];
  readonly department: string | null;
  readonly dueAt: string;
  readonly daysOverdue: number;
  readonly chases: number;
  /** When it was last chased by hand (催办), if it was. */
  readonly lastChasedAt?: string;
  readonly version: number;
  readonly canChase: boolean;
  readonly escalated: boolean;
}

export async function overdueBoard(deps: Pick<Deps, 'cases' | 'org' | 'access' | 'clock'>, caller: Caller, departmentId?: string) {
  const now = deps.clock.now();
  const [org, grants] = await Promise.all([loadOrgChart(deps), deps.access.grantsOf(caller.personId, now)]);
  const cases: CaseRecord[] = [];
  let next: string | undefined;
  do {
    const page = await deps.cases.dueBefore(new Date(now).toISOString(), next);
    cases.push(...page.items);
    next = page.next;
  } while (next);
  const lines: OverdueLine[] = cases
    .filter((c) => c.status === 'open' && c.dueAt && canView(c, org, caller.personId, grants))
    .map((c) => {
      const definition = definitionVersion(c.type, c.definitionVersion);
      const step = stepAt(c, definition.steps);
      const assignees = isWithApplicant(c) ? [c.applicantId] : c.slots.filter((s) => isActionable(c, s)).map((s) => s.personId);
      // The department that must act: the first assignee's, else the applicant's.
      const department = org.person(assignees[0] ?? '')?.departmentId ?? c.departmentId ?? null;
      return {
        caseId: c.id,
        title: c.title,
        type: c.type,
        typeName: definition.name,
        number: c.number,
        stepId: step?.id,
        stepName: step?.name,
        assignees,
        assigneeNames: assignees.map((id) => org.nameOf(id)),
        department,
        dueAt: c.dueAt!,
        daysOverdue: daysOverdue(c.dueAt, now),
        // At the deadline and by hand (催办).
        chases: c.overdueCount + (c.chases ?? 0),
        lastChasedAt: c.lastChasedAt,
        version: c.version,
        /** The caller may chase it from the board (催办). */
        canChase: mayChase(org, caller.personId),
        escalated: c.escalated ?? false,
      };
    });
  const counts = new Map<string, number>();
  for (const l of lines) if (l.department) counts.set(l.department, (counts.get(l.department) ?? 0) + 1);
  return {
    items: lines.filter((l) => !departmentId || l.department === departmentId),
    departments: [...counts].map(([department, count]) => ({
      department,
      name: { zh: org.department(department)?.name ?? department, en: org.department(department)?.nameEn ?? department },
      count,
    })),
  };
}

/** The board as register lines, for export and print. */
export function overdueRegister(board: Awaited<ReturnType<typeof overdueBoard>>, now: number) {
  const names = new Map(board.departments.map((d) => [d.department, d.name.zh]));
  return {
    name: { zh: '超期督办', en: 'Overdue work' },
    year: Number(new Date(now + 8 * 3_600_000).toISOString().slice(0, 4)),
    columns: [
      { key: 'seq', label: { zh: '序号', en: 'No.' }, width: 6 },
      { key: 'department', label: { zh: '责任部门', en: 'Department' }, width: 12 },
      { key: 'title', label: { zh: '事项', en: 'Item' }, width: 32 },
      { key: 'type', label: { zh: '类别', en: 'Process' }, width: 12 },
      { key: 'step', label: { zh: '当前环节', en: 'Step' }, width: 16 },
      { key: 'assignees', label: { zh: '承办人', en: 'Assignees' }, width: 12 },
      { key: 'dueOn', label: { zh: '应办结时间', en: 'Due' }, width: 18 },
      { key: 'daysOverdue', label: { zh: '超期天数', en: 'Days overdue' }, width: 8 },
      { key: 'chases', label: { zh: '催办次数', en: 'Chases' }, width: 8 },
    ],
    rows: board.items.map((l, i) => ({
      seq: i + 1,
      department: l.department ? (names.get(l.department) ?? l.department) : null,
      title: l.title,
      type: l.typeName.zh,
      step: l.stepName?.zh ?? null,
      assignees: l.assigneeNames.join('、'),
      dueOn: new Date(Date.parse(l.dueAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '),
      daysOverdue: l.daysOverdue,
      chases: l.chases,
    })),
  };
}
