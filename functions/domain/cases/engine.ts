/**
 * The workflow engine's rules, pure: how a case opens, enters steps, takes each decision and
 * runs its automatic steps. No I/O: callers load the case, the definition version and the org,
 * apply one function, and write the result with its trail entries in one transaction.
 */
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnprocessableError, ValidationError } from '../errors.ts';
import { isClassifiedLevel } from '../archive/archive.ts';
import { computeDue, extendDue, type DeadlineSpec } from '../calendar/deadline.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Definition, FieldDefinition, HumanStepDefinition, StepDefinition } from '../definitions/definition.ts';
import { declaredFields, evaluate, fieldsSchema, inputsSchema } from '../definitions/fields.ts';
import type { OrgChart } from '../org/org.ts';
import { resolveAssignees } from './assignees.ts';
import { checkReaders, checkRoomForFile, countComment, countDownload, countRouting } from './activity.ts';
import { hasUnsafeCharacters, UNSAFE_TEXT } from '../text.ts';
import { deriveFields } from '../definitions/derive.ts';
import { isActionable, type Attachment, type CaseRecord, type Notification, type Slot, type TrailEntry } from './case.ts';

/** The pseudo step a case is at when returned to its applicant for changes (退回申请人). */
export const RETURNED_TO_APPLICANT = -1;

export interface EngineContext {
  readonly definition: Definition;
  readonly org: OrgChart;
  readonly calendar: WorkingCalendar;
  readonly now: number;
  /** Short unique ids for slots. */
  readonly newId: () => string;
  /** Cases the actor holds a live access grant for (查阅授权, confidential-access process). */
  readonly grants?: ReadonlySet<string>;
}

export interface Outcome {
  readonly case: CaseRecord;
  readonly trail: TrailEntry[];
  readonly notifications: Notification[];
}

export type Command =
  /** `fields`: what the step asks its assignee to enter (its `inputs`). */
  | { action: 'approve'; comment?: string; fields?: Record<string, unknown> }
  | { action: 'reject'; comment: string }
  | { action: 'return'; comment: string; toStep?: string }
  | { action: 'withdraw'; comment?: string }
  | { action: 'resubmit'; comment?: string; fields?: Record<string, unknown> }
  | { action: 'transfer'; to: string; comment?: string }
  | { action: 'delegate'; to: string; comment?: string }
  | { action: 'add-signer'; people: string[]; position: 'before' | 'after'; comment?: string }
  | { action: 'circulate'; people: string[]; comment?: string }
  | { action: 'copy'; people: string[]; comment?: string }
  | { action: 'comment'; comment: string }
  | { action: 'extend'; comment: string }
  /** 催办: the office director or supervision staff chase the people the case waits on, in the app and by email. */
  | { action: 'chase'; comment?: string }
  | { action: 'mark-read' };

export type Action = Command['action'];

const iso = (ms: number) => new Date(ms).toISOString();
const LEADER_ROLES = ['head', 'deputy', 'office-director', 'admin'] as const;

class Session {
  readonly trail: TrailEntry[] = [];
  readonly notifications: Notification[] = [];
  constructor(
    readonly c: CaseRecord,
    readonly ctx: EngineContext,
  ) {}

  get at() {
    return iso(this.ctx.now);
  }

  step(index = this.c.stepIndex): StepDefinition | undefined {
    return this.ctx.definition.steps[index];
  }

  log(actorId: string, action: string, extra: Partial<TrailEntry> = {}): void {
    const step = this.step();
    this.trail.push({
      at: this.at,
      actorId,
      actorName: actorId === 'system' ? '系统 System' : this.ctx.org.nameOf(actorId),
      action,
      stepId: step?.id ?? (this.c.stepIndex === RETURNED_TO_APPLICANT ? 'applicant' : undefined),
      stepName: step?.name.zh ?? (this.c.stepIndex === RETURNED_TO_APPLICANT ? '申请人修改' : undefined),
      ...extra,
    });
  }

  /** `chase` notifications (reminders, escalations) are also emailed; the rest stay in the app. */
  notify(personIds: Iterable<string>, code: string, text: { zh: string; en: string }, kind: Notification['kind'] = 'info'): void {
    for (const personId of new Set(personIds)) {
      this.notifications.push({ personId, caseId: this.c.id, title: this.c.title, code, text, message: `${text.zh} ${text.en}`, at: this.at, kind, link: `/cases/${this.c.id}` });
    }
  }

  done(): Outcome {
    this.c.updatedAt = this.at;
    return { case: this.c, trail: this.trail, notifications: this.notifications };
  }
}

/** Opens a case for an applicant: validates its fields and enters the first step that applies. */
export function openCase(
  ctx: EngineContext,
  input: { id: string; title: string; fields: unknown; applicantId: string },
): Outcome {
  const applicant = ctx.org.person(input.applicantId);
  if (!applicant) throw new ForbiddenError('组织机构中没有您的记录。You are not in the org chart.');
  const title = input.title.trim();
  if (!title) throw new ValidationError('请填写标题。Title is required.', 'title');
  if (title.length > 200) throw new ValidationError('标题最多 200 个字。Title: at most 200 characters.', 'title');
  if (hasUnsafeCharacters(title, false)) throw new ValidationError(`标题${UNSAFE_TEXT}`, 'title');
  const fields = validateFields(ctx, input.fields);
  const at = iso(ctx.now);
  const c: CaseRecord = {
    id: input.id,
    type: ctx.definition.type,
    definitionVersion: ctx.definition.version,
    title,
    fields,
    applicantId: applicant.id,
    applicantName: applicant.name,
    departmentId: applicant.departmentId,
    createdAt: at,
    updatedAt: at,
    status: 'open',
    version: 1,
    stepIndex: 0,
    round: 0,
    slots: [],
    readers: [],
    path: [],
    signedBy: [],
    events: {},
    participants: [applicant.id],
    acted: false,
    overdueCount: 0,
    slipKept: true,
  };
  const s = new Session(c, ctx);
  s.trail.push({ at, actorId: applicant.id, actorName: applicant.name, action: 'submit', comment: undefined });
  enterFrom(s, 0);
  return s.done();
}

function validateFields(ctx: EngineContext, raw: unknown, previous?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const parsed = fieldsSchema(ctx.definition, { now: ctx.now, previous }).safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, ['fields', ...issue.path].join('.'));
  }
  const fields = parsed.data as Record<string, unknown>;
  checkReferences(ctx, ctx.definition.fields, fields);
  // Worked out, not typed (请假天数): a value the client sent must agree with the calendar's.
  const { derived, issues } = deriveFields(ctx.definition, fields, ctx.calendar);
  if (issues[0]) throw new ValidationError(issues[0].message, `fields.${issues[0].field}`);
  for (const [key, value] of Object.entries(derived)) {
    if (fields[key] !== undefined && fields[key] !== value) {
      const label = ctx.definition.fields.find((f) => f.key === key)!.label;
      throw new ValidationError(`${label.zh}按工作日历应为 ${value}，不是 ${String(fields[key])}。${label.en}: ${value} on the working calendar, not ${String(fields[key])}.`, `fields.${key}`);
    }
    fields[key] = value;
  }
  return fields;
}

/** What a step's assignee enters with an approval, validated as the case's fields are; undefined when nothing. */
function stepInputs(ctx: EngineContext, step: HumanStepDefinition, current: Readonly<Record<string, unknown>>, raw: Record<string, unknown> | undefined, required: boolean) {
  if (step.inputs.length === 0) {
    if (raw && Object.keys(raw).length > 0) throw new ValidationError('本步骤无需填写内容。This step takes no fields.', 'fields');
    return undefined;
  }
  const parsed = inputsSchema(ctx.definition, step, current, required).safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, ['fields', ...issue.path].join('.'));
  }
  const entered = parsed.data as Record<string, unknown>;
  checkReferences(ctx, step.inputs, entered);
  return Object.keys(entered).length > 0 ? entered : undefined;
}

/** References must name real people and departments of the org chart. */
function checkReferences(ctx: EngineContext, list: readonly FieldDefinition[], fields: Record<string, unknown>): void {
  for (const field of list) {
    const value = fields[field.key];
    if (value === undefined) continue;
    const ids = Array.isArray(value) ? value : [value];
    if (field.type === 'person' || field.type === 'people') {
      const unknown = ids.find((id) => !ctx.org.person(String(id)));
      if (unknown) throw new ValidationError(`${field.label.zh}：没有这个人（${unknown}）。Unknown person.`, `fields.${field.key}`);
    }
    if (field.type === 'department' || field.type === 'departments') {
      const unknown = ids.find((id) => !ctx.org.department(String(id)));
      if (unknown) throw new ValidationError(`${field.label.zh}：没有这个部门（${unknown}）。Unknown department.`, `fields.${field.key}`);
    }
  }
}

/** Walks from step `index`: skips steps whose condition fails or that nobody can sign, stops at an automatic or human step. */
function enterFrom(s: Session, index: number): void {
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
    c.stepIndex = i;
    if (!evaluate(step.when, { fields: c.fields, applicantRoles })) {
      s.log('system', 'skip', { comment: '条件不适用 Condition does not apply' });
      continue;
    }
    c.round += 1;
    c.stepStartedAt = s.at;
    c.stepName = step.name.zh;
    c.stepNameEn = step.name.en;
    if (step.type === 'auto') return; // the orchestrator runs it (runAutomaticStep)
    const { people, alreadySigned } = eligibleSigners(s, step);
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
    c.slots = people.map((personId) => ({
      id: ctx.newId(),
      personId,
      standInId: standInFor(s, personId),
      origin: 'assigned' as const,
      state: 'pending' as const,
    }));
    // 急件 and the like: a deadline whose condition holds replaces the step's usual one.
    const deadline = step.deadlines?.find((d) => evaluate(d.when, { fields: c.fields, applicantRoles }))?.deadline ?? step.deadline;
    if (deadline) {
      const granted = c.extensions?.[step.id];
      // An extension once granted stays with the step, even if the case comes back to it.
      c.due = granted ? extendDue(due(s, deadline, ctx.now), ctx.calendar, granted) : due(s, deadline, ctx.now);
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
  c.stepIndex = steps.length;
  c.stepName = undefined;
  c.stepNameEn = undefined;
  c.status = 'completed';
  c.closedAt = s.at;
  s.log('system', 'complete');
  s.notify([c.applicantId], 'completed', { zh: `已办结：${c.title}`, en: `Completed: ${c.title}` });
}

/** Who signs a human step: the rules' people, never the applicant on their own request, and not twice where the step says so. */
function eligibleSigners(s: Session, step: HumanStepDefinition): { people: string[]; alreadySigned: boolean } {
  const { c, ctx } = s;
  const selfAssigned = step.assignees.some((r) => r.rule === 'applicant');
  const named = resolveAssignees(step.assignees, { org: ctx.org, applicantId: c.applicantId, departmentId: c.departmentId, fields: c.fields })
    .map((p) => p.id)
    .filter((id) => selfAssigned || id !== c.applicantId);
  const people = named.filter((id) => !(step.skipWhenAlreadySigned && c.signedBy.includes(id)));
  return { people, alreadySigned: named.length > 0 && people.length === 0 };
}

/** A step's due time with its explanation; a clock that starts at an event starts there. */
function due(s: Session, spec: DeadlineSpec, now: number) {
  const { c, ctx } = s;
  // A clock starts at a recorded event (受理) or at a date the case carries (收到日期, 00:00 in Shanghai).
  // (A date an earlier step's assignee entered counts as much as the applicant's: 拟办's due date.)
  const fields = declaredFields(ctx.definition);
  const fromField = spec.from ? fields.find((f) => f.key === spec.from && f.type === 'date') : undefined;
  const fieldValue = fromField ? c.fields[fromField.key] : undefined;
  const started = spec.from ? (c.events[spec.from] ?? (typeof fieldValue === 'string' ? `${fieldValue}T00:00:00+08:00` : undefined)) : undefined;
  const marking = spec.from ? ctx.definition.steps.find((x) => x.type !== 'auto' && x.marks?.event === spec.from) : undefined;
  const fromLabel = fromField?.label ?? (marking && marking.type !== 'auto' ? marking.marks?.label : undefined);
  return computeDue(spec, started ? Date.parse(started) : now, ctx.calendar, {
    fields: c.fields,
    fieldLabel: (key) => fields.find((f) => f.key === key)?.label ?? key,
    fromLabel,
  });
}

/** The first chase: some working hours before the due time when the step asks for it, else the due time. */
function firstChase(ctx: EngineContext, step: HumanStepDefinition, dueAtIso: string): string {
  const hours = step.chase?.beforeWorkingHours;
  if (!hours) return dueAtIso;
  // Walk back: the latest instant from which `hours` working hours end at the due time.
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

/** A stand-in signs for someone away — but never the applicant for their own request. */
function standInFor(s: Session, personId: string): string | undefined {
  const id = s.ctx.org.standInFor(personId, s.ctx.now)?.id;
  return id === s.c.applicantId ? undefined : id;
}

function humanStep(s: Session): HumanStepDefinition {
  const step = s.step();
  if (!step || step.type === 'auto') throw new ConflictError('当前步骤不需要人工处理。The current step is not waiting for people.', 'not-waiting');
  return step;
}

/** Which of the actor's slots they can act on now, and as whom. */
function actorSlot(c: CaseRecord, ctx: EngineContext, actorId: string): { slot: Slot; onBehalfOfId?: string } | undefined {
  for (const slot of c.slots) {
    if (!isActionable(c, slot)) continue;
    if (slot.personId === actorId) return { slot };
    if (slot.delegateId === actorId) return { slot, onBehalfOfId: slot.personId };
    // A stand-in signs only while the absence lasts, whenever it began (the org chart at this moment).
    const standIn = ctx.org.standInFor(slot.personId, ctx.now)?.id;
    if (standIn === actorId && actorId !== c.applicantId) return { slot, onBehalfOfId: slot.personId };
  }
  return undefined;
}

/** Whether someone may see the case at all. */
export function canView(c: CaseRecord, org: OrgChart, personId: string, grants?: ReadonlySet<string>): boolean {
  return canViewFacts({ id: c.id, viewers: viewersOf(c), classified: isClassified(c) }, org, personId, grants);
}

/** Everyone a case names: its applicant, whoever signs or stands in at its step, its readers and everyone who acted. */
export function viewersOf(c: Pick<CaseRecord, 'applicantId' | 'slots' | 'readers' | 'participants'>): Set<string> {
  const viewers = new Set<string>([c.applicantId, ...c.participants]);
  for (const s of c.slots) for (const id of [s.personId, s.delegateId, s.standInId]) if (id) viewers.add(id);
  for (const r of c.readers) viewers.add(r.personId);
  return viewers;
}

/** The rule of `canView`, on what is known of a case without its record (the search index keeps just this). */
export function canViewFacts(c: { readonly id: string; readonly viewers: ReadonlySet<string> | readonly string[]; readonly classified: boolean }, org: OrgChart, personId: string, grants?: ReadonlySet<string>): boolean {
  if (grants?.has(c.id)) return true;
  if (c.viewers instanceof Set ? c.viewers.has(personId) : (c.viewers as readonly string[]).includes(personId)) return true;
  // 三密 (秘密, 机密) are kept apart (003 §9, §10): beyond the people handling them, only the
  // confidential clerk and those granted access (checked above) see them — not every leader.
  if (c.classified) return org.has(personId, 'confidential-clerk');
  return LEADER_ROLES.some((role) => org.has(personId, role));
}

/** Above 内部: 秘密 or 机密, from the case's confidentiality field. */
export function isClassified(c: Pick<CaseRecord, 'fields'>): boolean {
  return isClassifiedLevel(String(c.fields.confidentiality ?? ''));
}

/** Exactly the actions the caller may take now. */
export function availableActions(c: CaseRecord, ctx: EngineContext, actorId: string): Action[] {
  if (!canView(c, ctx.org, actorId, ctx.grants)) return [];
  const actions: Action[] = [];
  if (c.status === 'open') {
    if (c.stepIndex === RETURNED_TO_APPLICANT) {
      if (c.applicantId === actorId) actions.push('resubmit');
    } else if (actorSlot(c, ctx, actorId)) {
      const step = s0(c, ctx);
      if (step && step.type !== 'auto') {
        actions.push('approve');
        for (const a of step.allow) if (a !== 'approve') actions.push(a);
      }
    }
    if (canExtend(c, ctx, actorId)) actions.push('extend');
    if (mayChase(ctx.org, actorId) && waitingOn(c).length > 0) actions.push('chase');
    if (c.applicantId === actorId && !c.acted) actions.push('withdraw');
    if (c.readers.some((r) => r.personId === actorId && !r.readAt)) actions.push('mark-read');
  }
  actions.push('comment');
  return [...new Set(actions)];
}

const s0 = (c: CaseRecord, ctx: EngineContext) => ctx.definition.steps[c.stepIndex];

/** Whether the actor may grant the current step its one extension. */
function canExtend(c: CaseRecord, ctx: EngineContext, actorId: string): boolean {
  const step = s0(c, ctx);
  if (c.status !== 'open' || !step || step.type === 'auto' || !step.extension || !c.due || c.due.extension || c.extensions?.[step.id]) return false;
  // An extension is granted before the period ends, not after.
  if (ctx.now >= Date.parse(c.due.at)) return false;
  const ctxRules = { org: ctx.org, applicantId: c.applicantId, departmentId: c.departmentId, fields: c.fields };
  return resolveAssignees(step.extension.by, ctxRules).some((p) => p.id === actorId);
}

/** Applies one person's decision. Throws a domain error (and changes nothing) when it is not allowed. */
export function decide(current: CaseRecord, ctx: EngineContext, actorId: string, command: Command): Outcome {
  const c: CaseRecord = structuredClone(current);
  const s = new Session(c, ctx);
  if (!canView(c, ctx.org, actorId, ctx.grants)) throw new NotFoundError('没有这个案件。No such case.');
  if (command.action === 'comment') {
    countComment(c, actorId, s.at);
    s.log(actorId, 'comment', { comment: command.comment });
    return s.done();
  }
  if (c.status !== 'open') throw new ConflictError('该件已结束。This case is closed.', 'closed');
  if (command.action === 'chase') return chase(s, actorId, command.comment);

  switch (command.action) {
    case 'withdraw': {
      if (c.applicantId !== actorId) throw new ForbiddenError('只有申请人可以撤回。Only the applicant can withdraw.');
      if (c.acted) throw new ConflictError('已有人处理，不能撤回。Someone has acted already: it cannot be withdrawn.', 'already-acted');
      c.status = 'withdrawn';
      c.closedAt = s.at;
      c.slots = [];
      s.log(actorId, 'withdraw', { comment: command.comment });
      return s.done();
    }
    case 'resubmit': {
      if (c.stepIndex !== RETURNED_TO_APPLICANT) throw new ConflictError('该件没有退回给申请人。The case was not returned to the applicant.', 'not-returned');
      if (c.applicantId !== actorId) throw new ForbiddenError('只有申请人可以重新提交。Only the applicant can resubmit.');
      if (command.fields) {
        // The applicant changes their own fields; what assignees entered at steps stays as it was.
        const own = new Set(ctx.definition.fields.map((f) => f.key));
        const before = Object.fromEntries(Object.entries(c.fields).filter(([k]) => own.has(k)));
        const entered = Object.fromEntries(Object.entries(c.fields).filter(([k]) => !own.has(k)));
        (c as { fields: Record<string, unknown> }).fields = { ...entered, ...validateFields(ctx, { ...before, ...command.fields }, before) };
      }
      c.path = [];
      c.signedBy = [];
      s.log(actorId, 'resubmit', { comment: command.comment });
      enterFrom(s, 0);
      return s.done();
    }
    case 'extend': {
      const step = s.step();
      if (!step || step.type === 'auto' || !step.extension) throw new ForbiddenError('本步骤不能延期。This step cannot be extended.');
      if (c.due?.extension || c.extensions?.[step.id]) throw new ConflictError('本步骤已延期一次，不能再延。This step was extended once already.', 'already-extended');
      if (c.due && ctx.now >= Date.parse(c.due.at)) throw new ConflictError('期限已过，不能再延期。The period has ended: it can no longer be extended.', 'period-ended');
      if (!canExtend(c, ctx, actorId)) throw new ForbiddenError('您无权批准延期。You may not grant an extension.');
      const extension = { days: step.extension.days, reason: command.comment, byId: actorId, byName: ctx.org.nameOf(actorId), at: s.at };
      c.extensions = { ...c.extensions, [step.id]: extension };
      c.due = extendDue(c.due!, ctx.calendar, extension);
      c.dueAt = c.due.at;
      c.nextChaseAt = firstChase(ctx, step, c.dueAt);
      c.overdueCount = 0;
      remember(c, actorId);
      s.log(actorId, 'extend', { comment: command.comment, detail: { days: step.extension.days, dueAt: c.dueAt } });
      s.notify([c.applicantId, ...c.slots.filter((x) => x.state === 'pending').map((x) => x.personId)], 'extended', { zh: `已延期至 ${c.dueAt}：${c.title}（${command.comment}）`, en: `Extended to ${c.dueAt}: ${c.title} (${command.comment})` });
      return s.done();
    }
    case 'mark-read': {
      const reader = c.readers.find((r) => r.personId === actorId && !r.readAt);
      if (!reader) throw new ConflictError('没有待阅。Nothing to read.', 'nothing-to-read');
      reader.readAt = s.at;
      s.log(actorId, 'read');
      return s.done();
    }
    default:
      break;
  }

  const step = humanStep(s);
  const mine = actorSlot(c, ctx, actorId);
  if (!mine) throw new ForbiddenError('您不是当前步骤的办理人。You are not an assignee of the current step.');
  if (command.action !== 'approve' && !step.allow.includes(command.action)) {
    throw new ForbiddenError('本步骤不允许此操作。This step does not allow that action.');
  }
  const by = { onBehalfOfId: mine.onBehalfOfId, onBehalfOfName: mine.onBehalfOfId && ctx.org.nameOf(mine.onBehalfOfId) };
  c.acted = true;
  remember(c, actorId);

  switch (command.action) {
    case 'approve': {
      // What the step asks for (拟办's departments and due date, 承办's result) comes with the
      // signature; the step's own signers must give the required part, people added to it may.
      const entered = stepInputs(ctx, step, c.fields, command.fields, isMain(mine.slot));
      if (entered) (c as { fields: Record<string, unknown> }).fields = { ...c.fields, ...entered };
      mine.slot.state = 'approved';
      mine.slot.decidedAt = s.at;
      c.signedBy.push(mine.slot.personId);
      s.log(actorId, 'approve', { ...by, comment: command.comment, ...(entered && { detail: { fields: entered } }) });
      if (stepComplete(c, step)) {
        for (const slot of c.slots) if (slot.state === 'pending') slot.state = 'cancelled';
        // The clock it starts is started once (受理): coming back to the step does not restart it.
        if (step.marks && !c.events[step.marks.event]) c.events[step.marks.event] = s.at;
        enterFrom(s, c.stepIndex + 1);
      } else {
        // Added-after signers now have their turn; tell them.
        s.notify(c.slots.filter((x) => x.parentId === mine.slot.id && x.origin === 'added-after' && x.state === 'pending').map((x) => x.personId), 'to-do', { zh: `待办：${step.name.zh}（${c.title}）`, en: `To do: ${step.name.en} (${c.title})` });
      }
      return s.done();
    }
    case 'reject': {
      mine.slot.state = 'rejected';
      mine.slot.decidedAt = s.at;
      s.log(actorId, 'reject', { ...by, comment: command.comment });
      if (stepCannotComplete(c, step)) {
        c.status = 'rejected';
        c.closedAt = s.at;
        for (const slot of c.slots) if (slot.state === 'pending') slot.state = 'cancelled';
        s.notify([c.applicantId], 'rejected', { zh: `未通过：${c.title}（${command.comment}）`, en: `Rejected: ${c.title} (${command.comment})` });
        if (ctx.definition.fileWhenClosed) {
          c.filedAt = s.at;
          s.log('system', 'file', { comment: '不予受理（不通过）件同样归档 Filed with its result' });
        }
      }
      return s.done();
    }
    case 'return': {
      const target = returnTarget(c, ctx, command.toStep);
      s.log(actorId, 'return', { ...by, comment: command.comment, detail: { to: target === RETURNED_TO_APPLICANT ? 'applicant' : ctx.definition.steps[target]!.id } });
      for (const slot of c.slots) if (slot.state === 'pending') slot.state = 'cancelled';
      if (target === RETURNED_TO_APPLICANT) {
        c.stepIndex = RETURNED_TO_APPLICANT;
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
        s.notify([c.applicantId], 'returned', { zh: `已退回，请修改后重新提交：${c.title}（${command.comment}）`, en: `Returned to you to change and resubmit: ${c.title} (${command.comment})` });
      } else {
        // The returned-to step and everything after it are signed again.
        const targetId = ctx.definition.steps[target]!.id;
        c.path = c.path.slice(0, c.path.indexOf(targetId));
        c.signedBy = [];
        enterFrom(s, target);
      }
      return s.done();
    }
    case 'transfer':
    case 'delegate': {
      const to = ctx.org.person(command.to);
      if (!to || to.active === false) throw new ValidationError('没有这个人。Unknown person.', 'to');
      if (to.id === c.applicantId) throw new ValidationError('不能转给申请人本人办理。The applicant cannot decide their own request.', 'to');
      if (to.id === mine.slot.personId || c.slots.some((x) => x.state === 'pending' && x.personId === to.id)) {
        throw new ValidationError('此人已是当前办理人。That person already holds this step.', 'to');
      }
      if (command.action === 'transfer') {
        // 转办: the new handler takes the signature over entirely.
        s.log(actorId, 'transfer', { ...by, comment: command.comment, detail: { from: ctx.org.nameOf(mine.slot.personId), to: to.name } });
        mine.slot.personId = to.id;
        mine.slot.delegateId = undefined;
        mine.slot.standInId = standInFor(s, to.id);
      } else {
        // 委托: the delegate signs on the holder's behalf; the trail keeps both names.
        s.log(actorId, 'delegate', { ...by, comment: command.comment, detail: { to: to.name } });
        mine.slot.delegateId = to.id;
      }
      s.notify([to.id], 'to-do', { zh: `待办（${command.action === 'transfer' ? '转办' : '委托'}）：${step.name.zh}（${c.title}）`, en: `To do (${command.action === 'transfer' ? 'transferred' : 'delegated'}): ${step.name.en} (${c.title})` });
      return s.done();
    }
    case 'add-signer': {
      const people = uniquePeople(ctx, command.people, 'people');
      const taken = people.find((p) => c.slots.some((x) => x.state === 'pending' && x.personId === p));
      if (taken) throw new ValidationError(`${ctx.org.nameOf(taken)}已是当前办理人。Already a signer here.`, 'people');
      if (people.includes(c.applicantId)) throw new ValidationError('申请人不能为自己的申请加签。The applicant cannot sign their own request.', 'people');
      countRouting(c, actorId, s.at);
      for (const personId of people) {
        c.slots.push({
          id: ctx.newId(),
          personId,
          standInId: standInFor(s, personId),
          origin: command.position === 'before' ? 'added-before' : 'added-after',
          parentId: mine.slot.id,
          state: 'pending',
        });
      }
      s.log(actorId, command.position === 'before' ? 'add-signer-before' : 'add-signer-after', {
        ...by,
        comment: command.comment,
        detail: { people: people.map((p) => ctx.org.nameOf(p)) },
      });
      if (command.position === 'before') s.notify(people, 'to-do', { zh: `待办（加签）：${step.name.zh}（${c.title}）`, en: `To do (added signer): ${step.name.en} (${c.title})` });
      return s.done();
    }
    case 'circulate':
    case 'copy': {
      const people = uniquePeople(ctx, command.people, 'people');
      // Only people who do not have it to read already: sending it again to them adds nothing.
      const fresh = people.filter((personId) => !c.readers.some((r) => r.personId === personId && !r.readAt));
      if (fresh.length === 0) throw new UnprocessableError('already-reading', '所选人员均已在阅此件。Everyone chosen has it to read already.', 'people');
      countRouting(c, actorId, s.at);
      for (const personId of fresh) {
        // Someone who read it before reads it again: one entry a person, however often it comes back.
        const earlier = c.readers.find((r) => r.personId === personId);
        const sent = { kind: command.action, addedBy: actorId, addedByName: ctx.org.nameOf(actorId), addedAt: s.at };
        if (earlier) Object.assign(earlier, { ...sent, readAt: undefined });
        else c.readers.push({ personId, ...sent });
      }
      checkReaders(c);
      s.log(actorId, command.action, { ...by, comment: command.comment, detail: { people: fresh.map((p) => ctx.org.nameOf(p)) } });
      s.notify(fresh, 'to-read', { zh: `${command.action === 'circulate' ? '传阅' : '抄送'}：${c.title}`, en: `${command.action === 'circulate' ? 'Circulated' : 'Copied'} to you: ${c.title}` });
      return s.done();
    }
  }
}

function remember(c: CaseRecord, personId: string): void {
  if (!c.participants.includes(personId)) c.participants.push(personId);
}

function uniquePeople(ctx: EngineContext, ids: string[], field: string): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new ValidationError('请至少选择一人。Choose at least one person.', field);
  const unknown = unique.find((id) => !ctx.org.person(id) || ctx.org.person(id)!.active === false);
  if (unknown) throw new ValidationError(`没有这个人：${unknown}。Unknown person.`, field);
  return unique;
}

/** Main signatures: those the step assigned (possibly transferred) or escalation added. */
const isMain = (slot: Slot) => slot.origin === 'assigned' || slot.origin === 'escalated';

/** A signature counts when it and everyone added to it (and to them) have signed. */
function fullySigned(c: CaseRecord, slot: Slot): boolean {
  return slot.state === 'approved' && c.slots.filter((x) => x.parentId === slot.id).every((x) => x.state === 'cancelled' || fullySigned(c, x));
}

/** How many signatures complete the step; an escalated superior signs in place of someone, not in addition. */
function needed(c: CaseRecord, step: HumanStepDefinition): number {
  const mains = c.slots.filter((x) => x.origin === 'assigned').length;
  if (step.type === 'approve') return 1;
  if (step.completion.mode === 'all') return mains;
  if (step.completion.mode === 'any') return 1;
  return Math.ceil(step.completion.ratio * mains - 1e-9);
}

function stepComplete(c: CaseRecord, step: HumanStepDefinition): boolean {
  return c.slots.filter((x) => isMain(x) && fullySigned(c, x)).length >= needed(c, step);
}

/** After a rejection: can the remaining signatures still complete the step? An added signer's rejection counts against its parent. */
function stepCannotComplete(c: CaseRecord, step: HumanStepDefinition): boolean {
  const mains = c.slots.filter(isMain);
  const failed = (main: Slot) => main.state === 'rejected' || c.slots.some((x) => x.parentId === main.id && x.state === 'rejected');
  const stillPossible = mains.filter((m) => !failed(m)).length;
  if (step.type === 'countersign' && step.completion.mode !== 'all') return stillPossible < needed(c, step);
  return true;
}

function returnTarget(c: CaseRecord, ctx: EngineContext, toStep: string | undefined): number {
  const steps = ctx.definition.steps;
  const current = steps[c.stepIndex]!.id;
  const earlier = c.path.slice(0, c.path.lastIndexOf(current));
  if (toStep === undefined) {
    const previous = earlier.at(-1);
    return previous ? steps.findIndex((x) => x.id === previous) : RETURNED_TO_APPLICANT;
  }
  if (toStep === 'applicant') return RETURNED_TO_APPLICANT;
  if (!earlier.includes(toStep)) {
    throw new ValidationError('只能退回到已经过的步骤。You can only return to a step the case has passed.', 'toStep');
  }
  return steps.findIndex((x) => x.id === toStep);
}

/** What the orchestrator must do for the case's current step. */
export function pendingAutomaticStep(c: CaseRecord, definition: Definition): Extract<StepDefinition, { type: 'auto' }> | undefined {
  if (c.status !== 'open' || c.stepIndex < 0) return undefined;
  const step = definition.steps[c.stepIndex];
  return step?.type === 'auto' ? step : undefined;
}

/** Runs the current automatic step (the number, when numbering, is allocated by the caller) and enters the next. */
export function runAutomaticStep(current: CaseRecord, ctx: EngineContext, allocated?: { number: string }, done?: { detail: Record<string, unknown> }): Outcome {
  const c: CaseRecord = structuredClone(current);
  const s = new Session(c, ctx);
  const step = pendingAutomaticStep(c, ctx.definition);
  if (!step) throw new ConflictError('当前步骤不是自动步骤。The current step is not automatic.', 'not-automatic');
  switch (step.action.do) {
    case 'number':
      // A case passes its numbering step again after a return: it keeps the number it has.
      if (c.number) break;
      if (!allocated) throw new Error('numbering step needs an allocated number');
      c.number = allocated.number;
      s.log('system', 'number', { detail: { number: allocated.number } });
      break;
    case 'notify': {
      const people = resolveAssignees(step.action.to, { org: ctx.org, applicantId: c.applicantId, departmentId: c.departmentId, fields: c.fields });
      s.notify(people.map((p) => p.id), 'notice', { zh: `${step.action.message.zh}（${c.title}）`, en: `${step.action.message.en} (${c.title})` });
      for (const p of people) remember(c, p.id);
      s.log('system', 'notify', { detail: { to: people.map((p) => p.name) } });
      break;
    }
    case 'file':
      c.filedAt = s.at;
      s.log('system', 'file', { detail: done?.detail });
      break;
    case 'grant':
    case 'destroy':
      // The orchestrator did the work (wrote the grant, destroyed the files); the trail says what.
      s.log('system', step.action.do, { detail: done?.detail });
      if (done?.detail.granted === false) s.notify([c.applicantId], 'not-granted', { zh: `未找到所申请查阅的文件或档号（${String(done.detail.ref)}），未予授权：${c.title}`, en: `No file or archive number ${String(done.detail.ref)} was found; access not granted: ${c.title}` });
      break;
  }
  enterFrom(s, c.stepIndex + 1);
  return s.done();
}

/** Chase labels in the office's words (004 ch.1 督办). */
const CHASE_NAMES = ['第一次催办 First chase', '第二次催办 Second chase'];
/** Chases at and after the deadline before the step is reported to the leader, where a definition does not say. */
const CHASES_BEFORE_REPORT = 2;

/**
 * The step's chase time came: a reminder before the due time; at and after it, reminders every
 * few working days, escalation once after K of them, or a decision by itself where the step says
 * so. The due time itself never moves (only an extension moves it): overdue stays overdue.
 */
export function stepOverdue(current: CaseRecord, ctx: EngineContext): Outcome {
  const c: CaseRecord = structuredClone(current);
  const s = new Session(c, ctx);
  const step = s.step();
  if (c.status !== 'open' || !step || step.type === 'auto' || !c.dueAt) return s.done();
  const waiting = c.slots.filter((x) => isActionable(c, x));
  const waitingPeople = waiting.flatMap((x) => [x.personId, x.delegateId ?? [], ctx.org.standInFor(x.personId, ctx.now)?.id ?? []].flat());
  const names = waiting.map((x) => ctx.org.nameOf(x.personId));
  const dueMs = Date.parse(c.dueAt);
  if (c.chaseDone) return s.done();
  // (A timer may fire a moment early: within a second of the due time it is the due time.)
  if (ctx.now < dueMs - 1000) {
    s.log('system', 'remind-before', { detail: { waiting: names, dueAt: c.dueAt } });
    s.notify(waitingPeople, 'due-soon', { zh: `即将到期：${step.name.zh}（${c.title}），请于 ${c.dueAt} 前办理。`, en: `Due soon: ${step.name.en} (${c.title}), by ${c.dueAt}.` }, 'chase');
    c.nextChaseAt = c.dueAt;
    return s.done();
  }
  if (step.onTimeout === 'approve' || step.onTimeout === 'reject') {
    s.log('system', step.onTimeout === 'approve' ? 'auto-approve' : 'auto-reject', { comment: '超期自动处理 Decided at the deadline', detail: { waiting: names } });
    for (const slot of c.slots) if (slot.state === 'pending') slot.state = 'cancelled';
    if (step.onTimeout === 'approve') enterFrom(s, c.stepIndex + 1);
    else {
      c.status = 'rejected';
      c.closedAt = s.at;
    }
    return s.done();
  }
  c.overdueCount += 1;
  // 督办 (004 ch.1): first chase, second chase, report to the leader, final chase — for every step
  // with a deadline, unless its definition says otherwise.
  // A definition that says so hands the step to the leader (who may then sign); by default the
  // leader is told, and the case is not opened to anyone new.
  const handsOver = step.chase?.escalateAfter !== undefined || step.onTimeout === 'escalate';
  const escalateAfter = step.chase?.escalateAfter ?? (step.onTimeout === 'escalate' ? 1 : CHASES_BEFORE_REPORT);
  if (escalateAfter !== undefined && c.overdueCount > escalateAfter && !c.escalated) {
    const target = step.chase?.escalateTo ?? 'superior';
    const to =
      typeof target === 'object'
        ? [c.fields[target.field]].flat().map(String).filter((id) => ctx.org.person(id))
        : target === 'office-director'
          ? ctx.org.withRole('office-director').map((p) => p.id)
          : [...new Set(waiting.flatMap((x) => ctx.org.superiorOf(x.personId).map((p) => p.id)))];
    // A 秘密/机密 case is reported only to those who may already see it: never a way into it.
    const superiors = to.filter((id) => id !== c.applicantId && !c.slots.some((x) => x.personId === id && x.state === 'pending') && (!isClassified(c) || canView(c, ctx.org, id)));
    if (handsOver) for (const personId of superiors) c.slots.push({ id: ctx.newId(), personId, origin: 'escalated', state: 'pending' });
    c.escalated = true;
    c.reported = superiors.length > 0;
    const workers = waiting.filter((x) => x.origin !== 'escalated').map((x) => x.personId);
    s.log('system', 'escalate', {
      comment: c.reported ? '超期报告领导 Overdue: reported to the leader' : '超期，无可报告的领导 Overdue: nobody above to report to',
      detail: { waiting: names, to: superiors.map((p) => ctx.org.nameOf(p)), round: c.overdueCount, personIds: workers, handedOver: handsOver && c.reported },
    });
    s.notify(superiors, 'escalated', { zh: `督办：${step.name.zh}已超期（${c.title}）`, en: `Overdue, reported to you: ${step.name.en} (${c.title})` }, 'chase');
  } else {
    const label = c.escalated ? '最后催办 Final chase' : (CHASE_NAMES[c.overdueCount - 1] ?? `第${c.overdueCount}次催办 Chase ${c.overdueCount}`);
    // The chase goes to whoever does the work; the leader it was reported to was told once, at the report.
    const workers = waiting.filter((x) => x.origin !== 'escalated');
    const doing = workers.length > 0 ? workers : waiting;
    const doingPeople = doing.flatMap((x) => [x.personId, x.delegateId ?? [], ctx.org.standInFor(x.personId, ctx.now)?.id ?? []].flat());
    // The month's figures count the people whose work it is, not their delegates or stand-ins.
    s.log('system', 'remind', { comment: label, detail: { waiting: doing.map((x) => ctx.org.nameOf(x.personId)), round: c.overdueCount, personIds: [...new Set(doing.map((x) => x.personId))] } });
    const consequence = (c.reported ?? c.escalated)
      ? { zh: '已报告领导，逾期将纳入考核。', en: 'Reported to the leader; lateness counts in the assessment.' }
      : { zh: '请尽快办理。', en: 'Please act.' };
    s.notify(doingPeople, 'overdue', { zh: `催办：${step.name.zh}已超期（${c.title}）${consequence.zh}`, en: `Overdue: ${step.name.en} (${c.title}). ${consequence.en}` }, 'chase');
  }
  // After the final chase(s) the step is no longer chased (the daily digest still lists it).
  const chasesAfter = c.overdueCount - (escalateAfter ?? Infinity) - 1;
  if (c.escalated && chasesAfter >= (step.chase?.afterEscalation ?? 1)) {
    c.chaseDone = true;
    c.nextChaseAt = undefined;
    return s.done();
  }
  // Chase again a few working days later; the due time itself stays.
  c.nextChaseAt = new Date(ctx.calendar.addWorkingDays(ctx.now, step.chase?.everyWorkingDays ?? 1).at).toISOString();
  return s.done();
}

/** Who may add files: anyone who may see an open case; the office's record keepers at any time. */
export function canAttach(c: CaseRecord, org: OrgChart, personId: string): boolean {
  if (!canView(c, org, personId)) return false;
  return c.status === 'open' || ['archivist', 'clerk', 'office-director'].some((role) => org.has(personId, role as never));
}

/** Attaches a verified file; the trail records who, what and its checksum. */
export function attachFile(current: CaseRecord, ctx: EngineContext, actorId: string, file: Omit<Attachment, 'byId' | 'byName' | 'at'>): Outcome {
  const c: CaseRecord = structuredClone(current);
  const s = new Session(c, ctx);
  if (!canAttach(c, ctx.org, actorId)) throw new ForbiddenError('您不能为此件添加附件。You may not add files to this case.');
  if (file.replaces && !c.attachments?.some((a) => a.id === file.replaces)) throw new ValidationError('没有要替换的附件。No such attachment to replace.', 'replaces');
  checkRoomForFile(c);
  c.attachments = [...(c.attachments ?? []), { ...file, byId: actorId, byName: ctx.org.nameOf(actorId), at: s.at }];
  remember(c, actorId);
  s.log(actorId, 'attach', { detail: { attachmentId: file.id, fileName: file.fileName, size: file.size, sha256: file.sha256, replaces: file.replaces } });
  return s.done();
}

/** Records a download in the trail (every download is). */
export function recordDownload(current: CaseRecord, ctx: EngineContext, actorId: string, attachmentId: string): Outcome {
  const c: CaseRecord = structuredClone(current);
  const s = new Session(c, ctx);
  const file = c.attachments?.find((a) => a.id === attachmentId);
  if (!file) throw new NotFoundError('没有这个附件。No such attachment.');
  if (!canView(c, ctx.org, actorId, ctx.grants)) {
    if (isClassified(c)) throw new ForbiddenError('此文件为涉密文件，须经查阅审批取得授权。This file is classified: ask for access through the confidential-access process.');
    throw new NotFoundError('没有这个附件。No such attachment.');
  }
  countDownload(c, actorId, s.at);
  s.log(actorId, 'download', { detail: { attachmentId, fileName: file.fileName } });
  return s.done();
}

/** Who chases (催办, 004 ch.1 督办): the office director and the supervision staff. */
const CHASERS = ['office-director', 'supervisor'] as const;

export function mayChase(org: OrgChart, personId: string): boolean {
  return CHASERS.some((role) => org.has(personId, role));
}

/** The people a case waits on now: whoever may act on an actionable slot. */
export function waitingOn(c: CaseRecord): string[] {
  if (c.status !== 'open') return [];
  if (c.stepIndex === RETURNED_TO_APPLICANT) return [c.applicantId];
  return [...new Set(c.slots.filter((slot) => isActionable(c, slot)).flatMap((slot) => [slot.personId, slot.delegateId, slot.standInId].filter((p): p is string => !!p)))];
}

/** A case is chased by hand at most this often: one 催办 an hour is heard; more is noise. */
const CHASE_INTERVAL_MS = 3_600_000;

/** 催办 by hand: one logged chase, in the app and by email, to the people the case waits on. */
function chase(s: Session, actorId: string, comment: string | undefined): Outcome {
  const { c, ctx } = s;
  if (!mayChase(ctx.org, actorId)) throw new ForbiddenError('只有办公室主任和督办人员可以催办。Only the office director and supervision staff chase.');
  const people = waitingOn(c);
  if (people.length === 0) throw new ConflictError('此件当前无人待办。Nobody is waiting to act on this case.', 'nobody-waiting');
  // Told: whoever can act (delegates and stand-ins too); counted: whose work it is.
  const holders = c.stepIndex === RETURNED_TO_APPLICANT ? [c.applicantId] : [...new Set(c.slots.filter((slot) => isActionable(c, slot)).map((slot) => slot.personId))];
  const last = c.lastChasedAt ? Date.parse(c.lastChasedAt) : undefined;
  if (last !== undefined && ctx.now - last < CHASE_INTERVAL_MS) {
    const minutes = Math.ceil((CHASE_INTERVAL_MS - (ctx.now - last)) / 60_000);
    throw new RateLimitedError(`此件刚催办过，请 ${minutes} 分钟后再催。This case was just chased: try again in ${minutes} minutes.`, minutes * 60);
  }
  c.lastChasedAt = s.at;
  c.chases = (c.chases ?? 0) + 1;
  remember(c, actorId);
  s.log(actorId, 'chase', { comment, detail: { people: people.map((p) => ctx.org.nameOf(p)), personIds: holders } });
  const due = c.dueAt ? { zh: `（应于 ${c.dueAt.slice(0, 10)} 前办理）`, en: ` (due ${c.dueAt.slice(0, 10)})` } : { zh: '', en: '' };
  const by = ctx.org.nameOf(actorId);
  s.notify(people, 'chased', { zh: `催办：${by}请您尽快办理${due.zh}${comment ? `：${comment}` : '。'}`, en: `Chased by ${by}: please act${due.en}${comment ? `: ${comment}` : '.'}` }, 'chase');
  return s.done();
}
