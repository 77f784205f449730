/** What the API shows of a case: its state, who must act, and exactly the caller's actions. */
import type { Definition } from '../definitions/definition.ts';
import { conditionKeys } from '../definitions/field-keys.ts';
import { evaluate } from '../definitions/fields.ts';
import type { OrgChart } from '../org/org.ts';
import { isActionable, isWithApplicant, positionOf, stepAt, type CaseRecord, type TrailEntry } from './case.ts';
import { availableActions, canAttach, type EngineContext } from './engine.ts';
import type { TrailPage } from './trail.ts';
import { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { ScanTextState } from '../ports.ts';
import { READABLE_TYPES, textStateView, unreadView } from '../search/scan-text.ts';

/**
 * A scan's text: pending until a run reads it, then ready (pages) or failed (why); none for a type
 * whose text is not read, or for a version since replaced (its text is not read).
 */
function textOf(a: { id: string; contentType: string; at: string }, texts: readonly ScanTextState[], replaced: ReadonlySet<string>, now: number) {
  if (!READABLE_TYPES.has(a.contentType) || replaced.has(a.id)) return undefined;
  const state = texts.find((t) => t.attachmentId === a.id);
  return state ? textStateView(state, now) : unreadView(a.at, now);
}

/** What a full read of a case adds to its state: the latest trail entries and the routing slip's. */
export interface CaseReading {
  readonly trail?: TrailPage;
  readonly slip?: TrailEntry[];
  readonly grants?: ReadonlySet<string>;
  /** Where reading each scan's text stands. */
  readonly texts?: readonly ScanTextState[];
}

export function caseView(c: CaseRecord, definition: Definition, org: OrgChart, callerId: string, now: number, reading: CaseReading = {}) {
  const { trail, slip, grants, texts } = reading;
  const step = stepAt(c, definition.steps);
  const withApplicant = isWithApplicant(c);
  // Which actions are open depends on the time (a stand-in's absence, an extension before the due time).
  const ctx: EngineContext = { definition, org, calendar: new WorkingCalendar(), now, newId: () => '', grants };
  return {
    id: c.id,
    type: c.type,
    typeName: definition.name,
    definitionVersion: c.definitionVersion,
    title: c.title,
    number: c.number,
    status: c.status,
    version: c.version,
    currentStep: c.status === 'open' ? (step?.id ?? (withApplicant ? 'applicant' : undefined)) : undefined,
    currentStepName: c.status === 'open' ? (step?.name ?? (withApplicant ? { zh: '申请人修改', en: 'Returned to the applicant' } : undefined)) : undefined,
    /** What the current step's assignee enters with `approve` (as `fields`); the values so far are in `fields`. */
    currentStepInputs: c.status === 'open' && step && step.type !== 'auto' && step.inputs.length > 0 ? step.inputs : undefined,
    assignees:
      c.status !== 'open'
        ? []
        : withApplicant
          ? [{ id: c.applicantId, name: c.applicantName }]
          : c.slots
              .filter((s) => isActionable(c, s))
              .map((s) => ({
                id: s.personId,
                name: org.nameOf(s.personId),
                delegate: s.delegateId && { id: s.delegateId, name: org.nameOf(s.delegateId) },
                standIn: s.standInId && { id: s.standInId, name: org.nameOf(s.standInId) },
              })),
    dueAt: c.status === 'open' ? c.dueAt : undefined,
    /** How the due time was reached: rule, start, skipped days and why, any extension. */
    due: c.status === 'open' ? c.due : undefined,
    events: c.events,
    fields: c.fields,
    applicant: { id: c.applicantId, name: c.applicantName },
    departmentId: c.departmentId,
    attachments: (c.attachments ?? []).map(({ key, ...a }) => ({ ...a, text: texts && textOf(a, texts, replacedOf(c), now) })),
    readers: c.readers.map((r) => ({ id: r.personId, name: org.nameOf(r.personId), kind: r.kind, readAt: r.readAt, addedBy: r.addedBy, addedByName: r.addedByName, addedAt: r.addedAt })),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    closedAt: c.closedAt,
    filedAt: c.filedAt,
    /** The process: steps passed, the current one, those ahead, and those ahead that will not come (their condition does not hold on what is known). */
    steps: definition.steps.map((s, i) => ({ id: s.id, name: s.name, type: s.type, state: stepState(c, definition, i, org) })),
    actions: availableActions(c, ctx, callerId),
    /** Whether the caller may add files now: the rule the upload route enforces (canAttach). */
    mayAttach: canAttach(c, org, callerId),
    // The latest entries, oldest first; `trailEarlier` fetches the ones before (GET /api/cases/{id}/trail).
    ...(trail ? { trail: trail.entries, trailEarlier: trail.earlier } : {}),
    /** Every decision and every step entered or skipped, oldest first: what the routing slip shows. */
    ...(slip ? { slip } : {}),
  };
}

function replacedOf(c: CaseRecord): Set<string> {
  return new Set((c.attachments ?? []).map((a) => a.replaces).filter((id): id is string => !!id));
}

type StepState = 'passed' | 'current' | 'ahead' | 'skipped';

function stepState(c: CaseRecord, definition: Definition, i: number, org: OrgChart): StepState {
  const at = positionOf(c);
  if (at.kind === 'step' && i === at.index && c.status === 'open') return 'current';
  const when = definition.steps[i]!.when;
  // Only a condition on values known now is judged: what a later step's assignee enters may change it.
  const judged = !!when && conditionKeys(when).every((k) => c.fields[k] !== undefined);
  const comes = !judged || evaluate(when, { fields: c.fields, applicantRoles: org.person(c.applicantId)?.roles ?? [] });
  // Behind the case: a step whose condition does not hold was gone past, not signed.
  // (Back with the applicant, the case has passed none of its steps in this pass.)
  const passed = at.kind === 'step' && i < at.index;
  if (passed || c.status === 'completed') return comes ? 'passed' : 'skipped';
  if (c.status !== 'open') return 'ahead';
  return comes ? 'ahead' : 'skipped';
}
