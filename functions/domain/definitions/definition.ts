/**
 * Process definitions as data (流程定义): fields, steps, approver rules, conditions, countersign
 * completion, automatic steps, deadlines and what happens at timeout. A definition is validated
 * by this schema when loaded; a bad one is refused with the path of the error. Cases keep the
 * definition version they started with.
 */
import * as z from 'zod';
import { ROLES } from '../org/org.ts';
import { ValidationError } from '../errors.ts';
import { CATEGORIES, RETENTIONS } from '../archive/archive.ts';
import { checkKeys } from './field-keys.ts';

const Text = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Text = z.infer<typeof Text>;

const key = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'keys are camelCase ASCII');
const stepId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'step ids are kebab-case ASCII');

const FieldBase = { key, label: Text, help: Text.optional(), required: z.boolean().default(false) };

export const FieldSchema = z.discriminatedUnion('type', [
  z.object({ ...FieldBase, type: z.literal('text'), maxLength: z.number().int().positive().max(2000).default(200), multiline: z.boolean().default(false) }),
  z.object({ ...FieldBase, type: z.literal('number'), min: z.number().optional(), max: z.number().optional(), step: z.number().positive().optional(), unit: Text.optional() }),
  z.object({ ...FieldBase, type: z.literal('money'), max: z.number().positive().optional() }),
  z.object({ ...FieldBase, type: z.literal('date') }),
  z.object({ ...FieldBase, type: z.literal('boolean') }),
  z.object({ ...FieldBase, type: z.literal('enum'), options: z.array(z.object({ value: z.string().min(1), label: Text })).min(1) }),
  z.object({ ...FieldBase, type: z.literal('person') }),
  z.object({ ...FieldBase, type: z.literal('people'), max: z.number().int().positive().default(50) }),
  z.object({ ...FieldBase, type: z.literal('department') }),
  z.object({ ...FieldBase, type: z.literal('departments'), max: z.number().int().positive().default(20) }),
]);
export type FieldDefinition = z.infer<typeof FieldSchema>;

/** Who is assigned a step, relative to the org chart. */
export const AssigneeRuleSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('department-head-of-applicant') }),
  z.object({ rule: z.literal('deputy-in-charge-of-applicant-department') }),
  /** The deputies in charge of the departments where holders of a role sit (分管财务的领导). */
  z.object({ rule: z.literal('deputy-in-charge-of-role'), role: z.enum(ROLES) }),
  z.object({ rule: z.literal('head') }),
  z.object({ rule: z.literal('office-director') }),
  z.object({ rule: z.literal('role'), role: z.enum(ROLES) }),
  z.object({ rule: z.literal('person-in-field'), field: key }),
  /** The heads of the departments named in a field (会稿 by related departments). */
  z.object({ rule: z.literal('department-heads-in-field'), field: key }),
  /** The deputies in charge of the departments named in a field. */
  z.object({ rule: z.literal('deputies-in-charge-of-field'), field: key }),
  z.object({ rule: z.literal('applicant') }),
]);
export type AssigneeRule = z.infer<typeof AssigneeRuleSchema>;

type Condition =
  | { field: string; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number | boolean }
  | { applicantRole: (typeof ROLES)[number] }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ field: key, op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']), value: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
    z.object({ applicantRole: z.enum(ROLES) }).strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
  ]),
);
export type { Condition };

/** When a step is due: calendar days, working days or hours, the same day, a date field, or before day D of the month; optionally counted from a named event. */
const from = { from: key.optional() };
export const DeadlineSchema = z.union([
  z.strictObject({ days: z.number().int().positive(), ...from }),
  z.strictObject({ workingDays: z.number().int().positive(), ...from }),
  z.strictObject({ workingHours: z.number().positive(), ...from }),
  z.strictObject({ sameDay: z.literal(true), ...from }),
  z.strictObject({ dateField: key, ...from }),
  z.strictObject({ beforeDayOfMonth: z.number().int().min(1).max(28), periodField: key.optional(), ...from }),
]);

export const HUMAN_DECISIONS = ['approve', 'return', 'reject', 'transfer', 'delegate', 'add-signer', 'circulate', 'copy'] as const;

/** A clock-starting event a step records when it completes (受理 acceptance starts the 60 days). */
const Mark = z.object({ event: key, label: Text });
export type HumanDecision = (typeof HUMAN_DECISIONS)[number];

const HumanStep = {
  id: stepId,
  name: Text,
  when: ConditionSchema.optional(),
  assignees: z.array(AssigneeRuleSchema).min(1),
  deadline: DeadlineSchema.optional(),
  /** At the deadline: chase (remind, then escalate as `chase` says), or decide by itself. */
  onTimeout: z.enum(['remind', 'escalate', 'approve', 'reject']).default('remind'),
  /**
   * How the step is chased (催办): a reminder some working hours before the due time, one at it,
   * then every N working days; after K reminders, escalation to the assignee's superior or the
   * office director (督办: first chase, second chase, report to the leader, final chase).
   */
  chase: z
    .object({
      beforeWorkingHours: z.number().positive().optional(),
      everyWorkingDays: z.number().int().positive().default(1),
      escalateAfter: z.number().int().positive().optional(),
      /** Who hears of it: the assignee's superior, the office director, or the person a field names (the leader who assigned it). */
      escalateTo: z.union([z.enum(['superior', 'office-director']), z.object({ field: key })]).default('superior'),
      /** Chases after the escalation before it stops (the daily digest still lists it): 1 = one final chase. */
      afterEscalation: z.number().int().min(0).default(1),
    })
    .optional(),
  /** Decisions offered at this step; approve is always there. */
  allow: z.array(z.enum(HUMAN_DECISIONS)).default([...HUMAN_DECISIONS]),
  /** The event this step's completion records, for later deadlines counted from it. */
  marks: Mark.optional(),
  /** One extension of the deadline (信访 +30 days), granted with a reason by the people these rules name. */
  extension: z.object({ days: z.number().int().positive(), by: z.array(AssigneeRuleSchema).min(1) }).optional(),
  /** Skip the step for people who already signed earlier in this pass (one leader in charge of both departments signs once). */
  skipWhenAlreadySigned: z.boolean().default(false),
  /** Labels for approve/reject where the office uses its own words (签发, 同意, 办结). */
  approveLabel: Text.optional(),
  /**
   * What the assignee enters when approving (拟办: the handling departments and a due date; 承办:
   * what was done; 签到: the attendance), validated like the case's fields and merged into them.
   * Later steps' conditions, approver rules and deadlines may use them.
   */
  inputs: z.array(FieldSchema).default([]),
  /** Deadlines that apply when their condition holds (急件: the same day); the first that holds replaces `deadline`. */
  deadlines: z.array(z.object({ when: ConditionSchema, deadline: DeadlineSchema })).optional(),
};

export const StepSchema = z.discriminatedUnion('type', [
  z.object({ ...HumanStep, type: z.literal('approve') }),
  /** 会签/会稿: every resolved assignee signs in parallel; completion by all, any one, or a ratio. */
  z.object({
    ...HumanStep,
    type: z.literal('countersign'),
    completion: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('all') }),
      z.object({ mode: z.literal('any') }),
      z.object({ mode: z.literal('ratio'), ratio: z.number().gt(0).lte(1) }),
    ]),
  }),
  z.object({
    id: stepId,
    name: Text,
    when: ConditionSchema.optional(),
    type: z.literal('auto'),
    action: z.discriminatedUnion('do', [
      /** 编号: the next number of a kind for the year, e.g. 浏后勤发〔2026〕12号. */
      z.object({
        do: z.literal('number'),
        kind: z.string().min(1).max(20).optional(),
        kindFromField: key.optional(),
        /** The organisation's 机关代字 (org chart settings) goes before the kind: 示事管 + 发. */
        withAgencyCode: z.boolean().optional(),
      }),
      /** 通知: in-app notification to the people a rule names. */
      z.object({ do: z.literal('notify'), to: z.array(AssigneeRuleSchema).min(1), message: Text }),
      /** 归档: mark the case filed (the archive issue moves its files). */
      z.object({ do: z.literal('file') }),
      /** 查阅授权: the applicant may see the case a field names, for the days another field says (confidential-access). */
      z.object({ do: z.literal('grant'), caseField: key, daysField: key }),
      /** 销毁: the archive item a field names is destroyed, its retention being over (archive-destruction). */
      z.object({ do: z.literal('destroy'), itemField: key }),
    ]),
  }),
]);
export type StepDefinition = z.infer<typeof StepSchema>;
export type HumanStepDefinition = Exclude<StepDefinition, { type: 'auto' }>;

export const DefinitionSchema = z
  .object({
    type: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/),
    version: z.number().int().positive(),
    name: Text,
    description: Text.optional(),
    /** Where the process comes from in the source documents, e.g. "002 第二篇 §9". */
    source: z.string().min(1),
    fields: z.array(FieldSchema),
    /** Rules across fields (a leave's days must fit between its dates). */
    checks: z
      .array(
        z.discriminatedUnion('check', [
          z.object({ check: z.literal('date-order'), from: key, to: key }),
          z.object({ check: z.literal('days-within-dates'), days: key, from: key, to: key }),
          /** `to` no later than `days` calendar days after `from` (信访复查: asked within 30 days of the reply). */
          z.object({ check: z.literal('within-days'), from: key, to: key, days: z.number().int().positive() }),
          /** A date `min`–`max` calendar days ahead of the day it is entered; a change is made at least `min` days before the date it changes (会议室: book 1–3 days ahead, change a day ahead). */
          z.object({ check: z.literal('days-ahead'), field: key, min: z.number().int().min(0), max: z.number().int().positive().optional() }),
          /** `field` must be given when the condition on the fields holds (专项经费: name the fund). */
          z.object({ check: z.literal('required-when'), field: key, when: ConditionSchema }),
          /** When `list` names several, `lead` names one of them (联合办理: a lead department). */
          z.object({ check: z.literal('lead-in-list'), lead: key, list: key }),
          /** Everyone `field` names is in at least `atLeast` of the `in` lists (会议通知: important meetings by two channels). */
          z.object({ check: z.literal('each-in'), field: key, in: z.array(key).min(1), atLeast: z.number().int().positive().default(1), when: ConditionSchema.optional() }),
        ]),
      )
      .default([]),
    steps: z.array(StepSchema).min(1),
    /** Every case is filed however it ends (信访: a petition not accepted still has a result and a file). */
    fileWhenClosed: z.boolean().default(false),
    /** How its cases are filed (归档): category and retention period; the archivist's defaults otherwise. */
    archive: z.object({ category: z.enum(CATEGORIES), retention: z.enum(RETENTIONS) }).optional(),
    /** The register (登记簿) this process feeds, with the fields it shows. */
    register: z.object({ name: Text, columns: z.array(key) }).optional(),
    /**
     * Values the system works out from others instead of the person typing them (请假天数 from the
     * dates, on the working calendar, with half days); a value sent for one must agree (derive.ts).
     */
    derive: z
      .array(
        z.object({
          field: key,
          workingDaysBetween: z.object({ from: key, to: key, fromHalf: key.optional(), toHalf: key.optional() }),
          /** Counted in calendar days instead where this holds (产假 counts every day). */
          calendarDaysWhen: ConditionSchema.optional(),
        }),
      )
      .default([]),
  })
  .superRefine((def, ctx) => {
    const keys = def.fields.map((f) => f.key);
    const ids = def.steps.map((s) => s.id);
    keys.forEach((k, i) => keys.indexOf(k) !== i && ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `duplicate field ${k}` }));
    ids.forEach((s, i) => ids.indexOf(s) !== i && ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step ${s}` }));
    const inputsBefore = (before: number) => def.steps.slice(0, before).flatMap((s) => (s.type === 'auto' ? [] : s.inputs));
    /** A key the case carries when step `before` is entered: a field, or what an earlier step's assignee entered. */
    const fieldOf = (k: string, before = def.steps.length) => def.fields.find((f) => f.key === k) ?? inputsBefore(before).find((f) => f.key === k);
    const checkCondition = (c: Condition | undefined, path: (string | number)[], before?: number) => {
      if (!c) return;
      if ('field' in c && !fieldOf(c.field, before)) ctx.addIssue({ code: 'custom', path: [...path, 'field'], message: `unknown field ${c.field}` });
      if ('all' in c) c.all.forEach((x, i) => checkCondition(x, [...path, 'all', i], before));
      if ('any' in c) c.any.forEach((x, i) => checkCondition(x, [...path, 'any', i], before));
      if ('not' in c) checkCondition(c.not, [...path, 'not'], before);
    };
    const checkDeadline = (spec: z.infer<typeof DeadlineSchema> | undefined, path: (string | number)[], before: number) => {
      if (!spec) return;
      if ('dateField' in spec && fieldOf(spec.dateField, before)?.type !== 'date') ctx.addIssue({ code: 'custom', path: [...path, 'dateField'], message: `${spec.dateField} is not a date field known by then` });
      if ('periodField' in spec && spec.periodField && !fieldOf(spec.periodField, before)) ctx.addIssue({ code: 'custom', path: [...path, 'periodField'], message: `unknown field ${spec.periodField}` });
      const marked = def.steps.some((x) => x.type !== 'auto' && x.marks?.event === spec.from);
      if (spec.from && !marked && fieldOf(spec.from, before)?.type !== 'date') ctx.addIssue({ code: 'custom', path: [...path, 'from'], message: `${spec.from} is neither a date field nor an event a step marks` });
    };
    const checkRules = (rules: AssigneeRule[], path: (string | number)[], before?: number) =>
      rules.forEach((r, i) => {
        if ('field' in r) {
          const f = fieldOf(r.field, before);
          const want = r.rule === 'person-in-field' ? ['person', 'people'] : ['department', 'departments'];
          if (!f || !want.includes(f.type)) ctx.addIssue({ code: 'custom', path: [...path, i, 'field'], message: `${r.field} is not a ${want.join('/')} field` });
        }
      });
    def.steps.forEach((s, i) => {
      // Conditions, rules and deadlines may use what earlier steps' assignees entered, not later ones.
      checkCondition(s.when, ['steps', i, 'when'], i);
      if (s.type !== 'auto') {
        checkRules(s.assignees, ['steps', i, 'assignees'], i);
        checkDeadline(s.deadline, ['steps', i, 'deadline'], i);
        s.deadlines?.forEach((d, j) => {
          checkCondition(d.when, ['steps', i, 'deadlines', j, 'when'], i);
          checkDeadline(d.deadline, ['steps', i, 'deadlines', j, 'deadline'], i);
        });
        // A key entered at several places (批办 may re-route 拟办's departments) has one type everywhere.
        s.inputs.forEach((f, j) => {
          if (s.inputs.findIndex((x) => x.key === f.key) !== j) ctx.addIssue({ code: 'custom', path: ['steps', i, 'inputs', j, 'key'], message: `duplicate input ${f.key}` });
          const other = [...def.fields, ...inputsBefore(i), ...s.inputs.slice(0, j)].find((x) => x.key === f.key && x.type !== f.type);
          if (other) ctx.addIssue({ code: 'custom', path: ['steps', i, 'inputs', j, 'type'], message: `${f.key} is a ${other.type} field elsewhere` });
        });
      }
      if (s.type === 'auto' && s.action.do === 'notify') checkRules(s.action.to, ['steps', i, 'action', 'to'], i);
      if (s.type === 'auto' && s.action.do === 'number') {
        const a = s.action;
        if (!a.kind === !a.kindFromField) ctx.addIssue({ code: 'custom', path: ['steps', i, 'action'], message: 'name exactly one of kind, kindFromField' });
        if (a.kindFromField && fieldOf(a.kindFromField, i)?.type !== 'enum') ctx.addIssue({ code: 'custom', path: ['steps', i, 'action', 'kindFromField'], message: 'must be an enum field' });
      }
    });
    if (def.steps.every((s) => s.type === 'auto')) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a process needs at least one human step' });
    def.checks.forEach((chk, i) => {
      for (const k of checkKeys(chk)) {
        if (!fieldOf(k)) ctx.addIssue({ code: 'custom', path: ['checks', i], message: `unknown field ${k}` });
      }
    });
    def.register?.columns.forEach((c, i) => !fieldOf(c) && ctx.addIssue({ code: 'custom', path: ['register', 'columns', i], message: `unknown field ${c}` }));
    def.derive.forEach((d, i) => {
      if (def.fields.find((f) => f.key === d.field)?.type !== 'number') ctx.addIssue({ code: 'custom', path: ['derive', i, 'field'], message: `${d.field} is not a number field` });
      const span = d.workingDaysBetween;
      // Required, so a value the rules depend on (a leave's days decide who signs) is always worked out.
      for (const k of [span.from, span.to]) {
        const f = def.fields.find((x) => x.key === k);
        if (f?.type !== 'date' || !f.required) ctx.addIssue({ code: 'custom', path: ['derive', i, 'workingDaysBetween'], message: `${k} is not a required date field` });
      }
      for (const k of [span.fromHalf, span.toHalf]) if (k && def.fields.find((f) => f.key === k)?.type !== 'enum') ctx.addIssue({ code: 'custom', path: ['derive', i, 'workingDaysBetween'], message: `${k} is not an enum field` });
      checkCondition(d.calendarDaysWhen, ['derive', i, 'calendarDaysWhen']);
    });
  });
export type Definition = z.infer<typeof DefinitionSchema>;
export type DefinitionInput = z.input<typeof DefinitionSchema>;
export type Check = Definition['checks'][number];

/** Validates a definition; a bad one is refused with the path of its first error. */
export function loadDefinition(input: unknown): Definition {
  const result = DefinitionSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  throw new ValidationError(`流程定义无效 Invalid definition at ${path || '(root)'}: ${issue.message}`, path || 'definition');
}
