/**
 * Assessment (考核, 000 §五; 004 关键事项与考核): per department and per person, per month — the
 * on-time rate (及时率, target 100%), the first-pass approval rate (一次性通过率), the overdue
 * count and the average handling time. Read from facts written with each decision, in the same
 * transaction, so the figures never disagree with the cases.
 */
import type { CaseRecord, TrailEntry } from '../cases/case.ts';
import { waitingOn } from '../cases/engine.ts';
import type { OrgChart } from '../org/org.ts';

/** One person's decision at a step: when it came, against when it was due. */
export interface DecisionFact {
  readonly kind: 'decision';
  readonly caseId: string;
  readonly type: string;
  readonly stepId: string;
  readonly personId: string;
  readonly action: string;
  readonly at: string;
  readonly startedAt?: string;
  readonly dueAt?: string;
  readonly onTime: boolean;
}

/** A case that ended: approved, rejected or withdrawn, and whether it was ever sent back. */
export interface ClosedFact {
  readonly kind: 'closed';
  readonly caseId: string;
  readonly type: string;
  readonly applicantId: string;
  readonly departmentId?: string;
  readonly status: CaseRecord['status'];
  readonly at: string;
  readonly firstPass: boolean;
}

/** Someone's work on a case was chased (催办): at the deadline, escalated, or by hand. */
export interface ChaseFact {
  readonly kind: 'chase';
  readonly caseId: string;
  readonly type: string;
  readonly personId: string;
  readonly by: 'deadline' | 'escalation' | 'hand';
  readonly at: string;
}

export type Fact = DecisionFact | ClosedFact | ChaseFact;

const CHASES: Readonly<Record<string, ChaseFact['by']>> = { remind: 'deadline', escalate: 'escalation', chase: 'hand' };

const DECISIONS = new Set(['approve', 'reject', 'return']);

/** The month a fact counts in (China's calendar): `2026-11`. */
export function factMonth(at: string): string {
  return new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** Whether a change ends the case: only then does its closing fact need the trail before it. */
export function closes(previous: Pick<CaseRecord, 'status'> | undefined, next: Pick<CaseRecord, 'status'>): boolean {
  return previous?.status === 'open' && next.status !== 'open';
}

/**
 * The facts a saved change adds: each person's decision at a step, and the case's end. `history`
 * is the trail before this change; it is read only when the case closes (outcome-facts.ts).
 */
export function factsOf(previous: CaseRecord | undefined, next: CaseRecord, trail: readonly TrailEntry[], history: readonly TrailEntry[] = []): Fact[] {
  const facts: Fact[] = [];
  for (const entry of trail) {
    const by = CHASES[entry.action];
    if (previous && by) {
      const chased = Array.isArray(entry.detail?.personIds) ? (entry.detail.personIds as string[]) : waitingOn(previous);
      for (const personId of chased) facts.push({ kind: 'chase', caseId: next.id, type: next.type, personId, by, at: entry.at });
      continue;
    }
    if (!previous || !entry.stepId || entry.actorId === 'system' || !DECISIONS.has(entry.action)) continue;
    facts.push({
      kind: 'decision',
      caseId: next.id,
      type: next.type,
      stepId: entry.stepId,
      personId: entry.actorId,
      action: entry.action,
      at: entry.at,
      startedAt: previous.stepStartedAt,
      dueAt: previous.dueAt,
      onTime: !previous.dueAt || entry.at <= previous.dueAt,
    });
  }
  if (closes(previous, next)) {
    const sentBack = [...history, ...trail].some((e) => e.action === 'return');
    facts.push({
      kind: 'closed',
      caseId: next.id,
      type: next.type,
      applicantId: next.applicantId,
      departmentId: next.departmentId,
      status: next.status,
      at: next.closedAt ?? trail.at(-1)?.at ?? next.updatedAt,
      firstPass: next.status === 'completed' && !sentBack,
    });
  }
  return facts;
}

export interface Figures {
  /** Decisions made in the month. */
  completed: number;
  onTime: number;
  onTimeRate: number | null;
  /** Decisions made after their due time. */
  overdue: number;
  /** Own requests approved or rejected in the month… */
  closed: number;
  /** …of which approved without ever being sent back. */
  firstPass: number;
  firstPassRate: number | null;
  averageHandlingHours: number | null;
  /** Times the work was chased (催办): at the deadline, escalated or by hand. */
  chased: number;
}

export interface Assessment {
  readonly month: string;
  readonly departments: ({ department: string; name: string } & Figures)[];
  readonly people: ({ person: string; name: string; department: string | null } & Figures)[];
}

const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function figures(decisions: DecisionFact[], closed: ClosedFact[], chases: ChaseFact[]): Figures {
  const onTime = decisions.filter((d) => d.onTime).length;
  const timed = decisions.filter((d) => d.startedAt);
  const hours = timed.reduce((sum, d) => sum + (Date.parse(d.at) - Date.parse(d.startedAt!)) / 3_600_000, 0);
  const judged = closed.filter((c) => c.status === 'completed' || c.status === 'rejected');
  const firstPass = judged.filter((c) => c.firstPass).length;
  return {
    completed: decisions.length,
    onTime,
    onTimeRate: rate(onTime, decisions.length),
    overdue: decisions.length - onTime,
    closed: judged.length,
    firstPass,
    firstPassRate: rate(firstPass, judged.length),
    averageHandlingHours: timed.length ? Math.round((hours / timed.length) * 10) / 10 : null,
    chased: chases.length,
  };
}

/** The month's figures: a person's decisions count for them and for their department (as the org chart has it now). */
export function assess(month: string, facts: readonly Fact[], org: OrgChart): Assessment {
  const decisions = facts.filter((f): f is DecisionFact => f.kind === 'decision');
  const closed = facts.filter((f): f is ClosedFact => f.kind === 'closed');
  const chases = facts.filter((f): f is ChaseFact => f.kind === 'chase');
  const departmentOf = (personId: string) => org.person(personId)?.departmentId;
  const peopleIds = [...new Set([...decisions.map((d) => d.personId), ...closed.map((c) => c.applicantId), ...chases.map((c) => c.personId)])].sort();
  const departmentIds = [
    ...new Set([...decisions.map((d) => departmentOf(d.personId)), ...closed.map((c) => c.departmentId), ...chases.map((c) => departmentOf(c.personId))].filter((d): d is string => !!d)),
  ].sort();
  return {
    month,
    departments: departmentIds.map((department) => ({
      department,
      name: org.department(department)?.name ?? department,
      ...figures(
        decisions.filter((d) => departmentOf(d.personId) === department),
        closed.filter((c) => c.departmentId === department),
        chases.filter((c) => departmentOf(c.personId) === department),
      ),
    })),
    people: peopleIds.map((person) => ({
      person,
      name: org.nameOf(person),
      department: departmentOf(person) ?? null,
      ...figures(
        decisions.filter((d) => d.personId === person),
        closed.filter((c) => c.applicantId === person),
        chases.filter((c) => c.personId === person),
      ),
    })),
  };
}
