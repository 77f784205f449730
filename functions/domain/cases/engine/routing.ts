/** Where a case goes: into the next step that applies (with its signers and due time), or back on a return. */
import { ConflictError, ValidationError } from '../../errors.ts';
import { computeDue, extendDue, type DeadlineSpec } from '../../calendar/deadline.ts';
import type { HumanStepDefinition } from '../../definitions/definition.ts';
import { declaredFields, evaluate } from '../../definitions/fields.ts';
import { resolveAssignees } from '../assignees.ts';
import { moveTo, positionOf, WITH_APPLICANT, type CaseRecord, type Slot } from '../case.ts';
import { standInFor } from './access.ts';
import { complete } from './completion.ts';
import type { EngineContext } from './context.ts';
import type { Session } from './session.ts';

/** Walks from step `index`: skips steps whose condition fails or that nobody can sign, stops at an automatic or human step. */
export function enterFrom(s: Session, index: number): void {
  const { c, ctx } = s;
  const steps = ctx.definition.steps;
  const applicantRoles = ctx.org.person(c.applicantId)?.roles ?? [];
  c.slots = [];
  c.dueAt = undefined;
  c.due = undefined;
  c.nextChaseAt = undefined;
  c.escalated = false;
  c.reported = undefined;
  c.chaseDone = false;
  c.overdueCount = 0;
  // 催办 by hand is about this step: a new step starts its own count and hour.
  c.chases = undefined;
  c.lastChasedAt = undefined;
  for (let i = index; i < steps.length; i++) {
    const step = steps[i]!;
    moveTo(c, { kind: 'step', index: i });
    if (!evaluate(step.when, { fields: c.fields, applicantRoles })) {
      s.log('system', 'skip', { comment: '条件不适用 Condition does not apply' });
      continue;
    }
    c.round += 1;
    c.stepStartedAt = s.at;
    c.stepName = step.name.zh;
    c.stepNameEn = step.name.en;
    if (step.type === 'auto') return; // the orchestrator runs it (runAutomaticStep)
    const { people, alreadySigned } = eligibleSigners(c, ctx, step);
    if (people.length === 0 && (step.type === 'countersign' || alreadySigned)) {
      s.log('system', 'skip', { comment: alreadySigned ? '已签批 Already signed in this pass' : '无需会签 Nobody to countersign' });
      continue;
    }
    if (people.length === 0) {
      // Nobody the rule names can sign (a vacancy, or the applicant themselves): an approval is
      // never skipped silently; it goes to the applicant's superior, and the trail says why.
      const superiors = ctx.org.superiorOf(c.applicantId).map((p) => p.id).filter((id) => id !== c.applicantId);
      const fallback = superiors.length > 0 ? superiors : ctx.org.withRole('office-director').map((p) => p.id).filter((id) => id !== c.applicantId);
      if (fallback.length === 0) throw new ConflictError(`${step.name.zh}：组织机构中没有可以审批的人。Nobody in the org chart can approve this step.`, 'no-approver');
      s.log('system', 'fallback', { comment: '规则未找到审批人，转上级 No one matched the rule: the applicant’s superior signs', detail: { to: fallback.map((p) => ctx.org.nameOf(p)) } });
      people.push(...fallback);
    }
    c.slots = people.map((personId): Slot => ({ id: ctx.newId(), personId, standInId: standInFor(c, ctx, personId), origin: 'assigned', state: 'pending' }));
    // 急件 and the like: a deadline whose condition holds replaces the step's usual one.
    const deadline = step.deadlines?.find((d) => evaluate(d.when, { fields: c.fields, applicantRoles }))?.deadline ?? step.deadline;
    if (deadline) {
      const granted = c.extensions?.[step.id];
      // An extension once granted stays with the step, even if the case comes back to it.
      c.due = granted ? extendDue(due(c, ctx, deadline), ctx.calendar, granted) : due(c, ctx, deadline);
      c.dueAt = c.due.at;
      c.nextChaseAt = firstChase(ctx, step, c.dueAt);
    }
    c.path.push(step.id);
    s.log('system', 'enter', { detail: { assignees: people.map((p) => ctx.org.nameOf(p)), dueAt: c.dueAt, due: c.due } });
    s.notify(
      c.slots.flatMap((slot) => [slot.personId, slot.standInId ?? []].flat()),
      'to-do',
      { zh: `待办：${step.name.zh}（${c.title}）`, en: `To do: ${step.name.en} (${c.title})` },
    );
    return;
  }
  moveTo(c, { kind: 'step', index: steps.length });
  complete(s);
}

/** Enters the step after the current one (the current one is decided or done). */
export function enterNext(s: Session): void {
  const at = positionOf(s.c);
  // Back with the applicant, the case starts again from the first step.
  enterFrom(s, at.kind === 'step' ? at.index + 1 : 0);
}

/** Who signs a human step: the rules' people, never the applicant on their own request, and not twice where the step says so. */
function eligibleSigners(c: CaseRecord, ctx: EngineContext, step: HumanStepDefinition): { people: string[]; alreadySigned: boolean } {
  const selfAssigned = step.assignees.some((r) => r.rule === 'applicant');
  const named = resolveAssignees(step.assignees, { org: ctx.org, applicantId: c.applicantId, departmentId: c.departmentId, fields: c.fields })
    .map((p) => p.id)
    .filter((id) => selfAssigned || id !== c.applicantId);
  const people = named.filter((id) => !(step.skipWhenAlreadySigned && c.signedBy.includes(id)));
  return { people, alreadySigned: named.length > 0 && people.length === 0 };
}

/** A step's due time with its explanation; a clock that starts at an event starts there. */
function due(c: CaseRecord, ctx: EngineContext, spec: DeadlineSpec) {
  // A clock starts at a recorded event (受理) or at a date the case carries (收到日期, 00:00 in Shanghai).
  // (A date an earlier step's assignee entered counts as much as the applicant's: 拟办's due date.)
  const fields = declaredFields(ctx.definition);
  const fromField = spec.from ? fields.find((f) => f.key === spec.from && f.type === 'date') : undefined;
  const fieldValue = fromField ? c.fields[fromField.key] : undefined;
  const started = spec.from ? (c.events[spec.from] ?? (typeof fieldValue === 'string' ? `${fieldValue}T00:00:00+08:00` : undefined)) : undefined;
  const marking = spec.from ? ctx.definition.steps.find((x) => x.type !== 'auto' && x.marks?.event === spec.from) : undefined;
  const fromLabel = fromField?.label ?? (marking && marking.type !== 'auto' ? marking.marks?.label : undefined);
  return computeDue(spec, started ? Date.parse(started) : ctx.now, ctx.calendar, {
    fields: c.fields,
    fieldLabel: (key) => fields.find((f) => f.key === key)?.label ?? key,
    fromLabel,
  });
}

/** The first chase: some working hours before the due time when the step asks for it, else the due time. */
export function firstChase(ctx: EngineContext, step: HumanStepDefinition, dueAtIso: string): string {
  const hours = step.chase?.beforeWorkingHours;
  if (!hours) return dueAtIso;
  const dueMs = Date.parse(dueAtIso);
  let lo = dueMs - 30 * 86_400_000;
  let hi = dueMs;
  // The latest instant from which `hours` working hours still end by the due time (across a
  // lunch break or a holiday, the reminder goes out when work last stops, not when it resumes).
  for (let i = 0; i < 40; i++) {
    const mid = Math.floor((lo + hi) / 2);
    if (ctx.calendar.addWorkingHours(mid, hours).at <= dueMs) lo = mid;
    else hi = mid;
  }
  return new Date(Math.max(ctx.now, Math.floor(lo / 60_000) * 60_000)).toISOString();
}

/** Where a return (退回) sends the case: a step it passed in this pass (with its id), or its applicant. */
export type ReturnTarget = typeof WITH_APPLICANT | { readonly kind: 'step'; readonly index: number; readonly id: string };

/** The step named, else the one passed before the current step, else the applicant. */
export function returnTarget(c: CaseRecord, ctx: EngineContext, current: HumanStepDefinition, toStep: string | undefined): ReturnTarget {
  const steps = ctx.definition.steps;
  const earlier = c.path.slice(0, c.path.lastIndexOf(current.id));
  const stepNamed = (id: string): ReturnTarget => {
    const index = steps.findIndex((x) => x.id === id);
    return index < 0 ? WITH_APPLICANT : { kind: 'step', index, id };
  };
  if (toStep === undefined) {
    const previous = earlier.at(-1);
    return previous ? stepNamed(previous) : WITH_APPLICANT;
  }
  if (toStep === 'applicant') return WITH_APPLICANT;
  if (!earlier.includes(toStep)) {
    throw new ValidationError('只能退回到已经过的步骤。You can only return to a step the case has passed.', 'toStep');
  }
  return stepNamed(toStep);
}

/** Back with the applicant to change and resubmit (退回申请人): a new round, nobody else's signature pending. */
export function returnToApplicant(s: Session): void {
  const { c } = s;
  moveTo(c, WITH_APPLICANT);
  c.stepName = '申请人修改';
  c.stepNameEn = 'Returned to the applicant';
  c.round += 1;
  c.slots = [];
  c.dueAt = undefined;
  c.due = undefined;
  c.nextChaseAt = undefined;
  c.path = [];
  c.signedBy = [];
  // Back with the applicant, who may now withdraw it as before anyone acted.
  c.acted = false;
}
