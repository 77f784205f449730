/**
 * The input schema of a definition's fields. The API validates case fields with it and the web
 * form is generated from the same field list, so both say the same thing in the same words.
 */
import chineseDays from 'chinese-days';
import * as z from 'zod/mini';
import type { Check, Condition, Definition, FieldDefinition, HumanStepDefinition } from './definition.ts';
import { checkKeys } from './field-keys.ts';
import { hasUnsafeCharacters, UNSAFE_TEXT } from '../text.ts';

const msg = (zh: string, en: string) => `${zh} ${en}`;
const ID = /^[a-z0-9-]{1,40}$/;

function fieldSchema(field: FieldDefinition): z.ZodMiniType {
  const label = field.label.zh;
  // A value left out is asked for; a value of the wrong kind is named as such.
  const kind = (zh: string, en: string) => (issue: { input?: unknown }) => (issue.input === undefined ? msg(`请填写${label}。`, 'Required.') : msg(zh, en));
  switch (field.type) {
    case 'text': {
      let s = z.string({ error: kind(`${label}须为文字。`, 'Must be text.') }).check(z.trim(), z.maxLength(field.maxLength, msg(`${label}最多 ${field.maxLength} 个字。`, `At most ${field.maxLength} characters.`)));
      if (field.required) s = s.check(z.minLength(1, msg(`请填写${label}。`, 'Required.')));
      return s.check(z.refine((v) => !hasUnsafeCharacters(v, true), `${label}${UNSAFE_TEXT}`));
    }
    case 'number':
    case 'money': {
      let s = z.number({ error: kind(`${label}须为数字。`, 'Must be a number.') });
      const min = field.type === 'number' ? field.min : 0;
      if (min !== undefined) s = s.check(z.gte(min, msg(`${label}不能小于 ${min}。`, `At least ${min}.`)));
      if (field.max !== undefined) s = s.check(z.lte(field.max, msg(`${label}不能大于 ${field.max}。`, `At most ${field.max}.`)));
      const step = field.type === 'money' ? 0.01 : field.step;
      if (step !== undefined) {
        return s.check(z.refine((v) => Math.abs(Math.round(v / step) * step - v) < 1e-9, msg(`${label}须为 ${step} 的整数倍。`, `Must be a multiple of ${step}.`)));
      }
      return s;
    }
    case 'date':
      return z.string({ error: kind(`${label}须为日期。`, 'Must be a date.') }).check(
        z.regex(/^\d{4}-\d{2}-\d{2}$/, msg(`${label}格式应为 YYYY-MM-DD。`, 'Use YYYY-MM-DD.')),
        z.refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), msg(`${label}不是有效日期。`, 'Not a valid date.')),
      );
    case 'boolean':
      return z.boolean({ error: kind(`${label}须为是或否。`, 'Must be yes or no.') });
    case 'enum':
      return z.enum(field.options.map((o) => o.value) as [string, ...string[]], { error: msg(`请从列表中选择${label}。`, 'Choose one of the options.') });
    case 'person':
    case 'department':
      return z.string({ error: msg(`请选择${label}。`, 'Required.') }).check(z.regex(ID, msg(`${label}无效。`, 'Invalid id.')));
    case 'people':
    case 'departments': {
      let s = z.array(z.string().check(z.regex(ID, msg(`${label}无效。`, 'Invalid id.'))), { error: msg(`请选择${label}。`, 'Required.') }).check(z.maxLength(field.max, msg(`${label}最多 ${field.max} 项。`, `At most ${field.max}.`)));
      if (field.required) s = s.check(z.minLength(1, msg(`请选择${label}。`, 'Required.')));
      return s;
    }
  }
}

/** When the values are judged: `now` for dates relative to today, `previous` for a change. */
export interface FieldsOptions {
  readonly now?: number;
  /** The values before a change (重新提交): a change is judged against what it changes. */
  readonly previous?: Readonly<Record<string, unknown>>;
}

/** Every field a case can carry: its own, then what steps' assignees enter (first declaration wins). */
export function declaredFields(definition: Definition): FieldDefinition[] {
  const all = [...definition.fields, ...definition.steps.flatMap((s) => (s.type === 'auto' ? [] : s.inputs))];
  return all.filter((f, i) => all.findIndex((x) => x.key === f.key) === i);
}

/** A strict object schema for a case's fields: unknown keys are refused, required ones enforced. */
export function fieldsSchema(definition: Definition, options: FieldsOptions = {}) {
  const own = new Set(definition.fields.map((f) => f.key));
  // A check whose values are all the applicant's is judged when the case is opened or changed.
  const checks = definition.checks.filter((chk) => checkKeys(chk).every((k) => own.has(k)));
  return objectSchema(definition, definition.fields, true, (fields) => fields, checks, options);
}

/**
 * The values of a form being filled in that are each well formed by their own field's rule (the
 * rest left out, as not given yet): what a preview may reason about. Unknown keys are dropped.
 */
export function wellFormedFields(definition: Definition, raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const field of definition.fields) {
    if (!Object.hasOwn(raw, field.key)) continue;
    const parsed = fieldSchema({ ...field, required: false }).safeParse(raw[field.key]);
    if (parsed.success && parsed.data !== undefined) kept[field.key] = parsed.data;
  }
  return kept;
}

/**
 * What a step's assignee enters with an approval (拟办, 承办, 签到): its inputs, required ones
 * only where `required` (the step's own signers, not people added to it). Cross-field checks
 * that read an input are judged against the case's fields with the inputs merged in.
 */
export function inputsSchema(definition: Definition, step: HumanStepDefinition, current: Readonly<Record<string, unknown>>, required = true) {
  const own = new Set(step.inputs.map((f) => f.key));
  const checks = definition.checks.filter((chk) => checkKeys(chk).some((k) => own.has(k)));
  return objectSchema(definition, step.inputs, required, (inputs) => ({ ...current, ...inputs }), checks, {});
}

/** Midnight UTC of a YYYY-MM-DD day that exists (not 2026-02-30), or undefined for anything else. */
export function dayOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(at) || !new Date(at).toISOString().startsWith(value) ? undefined : at;
}

function objectSchema(
  definition: Definition,
  list: readonly FieldDefinition[],
  enforceRequired: boolean,
  merged: (values: Record<string, unknown>) => Record<string, unknown>,
  checks: readonly Check[],
  options: FieldsOptions,
) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const field of list) {
    const required = field.required && enforceRequired;
    const s = fieldSchema({ ...field, required });
    shape[field.key] = required ? s : z.optional(s);
  }
  const all = declaredFields(definition);
  const label = (k: string) => all.find((f) => f.key === k)?.label.zh ?? k;
  return z
    .strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? msg('包含未定义的字段。', `Unknown field(s): ${issue.keys.join(', ')}.`) : undefined) })
    .check(z.superRefine((given, ctx) => {
      const fields = merged(given as Record<string, unknown>);
      // A value that is not a date has its own field's error already; the checks between fields skip it.
      const day = (k: string, from = fields) => dayOf(from[k]);
      // The path names the value the person can change here: an input rather than an earlier field.
      const at = (...keys: string[]) => [keys.find((k) => list.some((f) => f.key === k)) ?? keys[0]!];
      for (const chk of checks) {
        switch (chk.check) {
          case 'days-ahead': {
            if (options.now === undefined) break;
            const today = Date.parse(`${new Date(options.now + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00Z`);
            const date = day(chk.field);
            if (date === undefined) break;
            const ahead = (date - today) / 86_400_000;
            if (ahead < chk.min) ctx.addIssue({ code: 'custom', path: [chk.field], message: msg(`${label(chk.field)}须至少提前 ${chk.min} 天。`, `At least ${chk.min} day(s) ahead.`) });
            else if (chk.max !== undefined && ahead > chk.max) ctx.addIssue({ code: 'custom', path: [chk.field], message: msg(`${label(chk.field)}最多提前 ${chk.max} 天。`, `At most ${chk.max} days ahead.`) });
            // A change (会议变更) is made at least `min` days before the date it changes.
            const before = options.previous && day(chk.field, options.previous as Record<string, unknown>);
            const changed = options.previous && Object.keys(fields).some((k) => JSON.stringify(fields[k]) !== JSON.stringify(options.previous![k]));
            if (before !== undefined && changed && (before - today) / 86_400_000 < chk.min) {
              ctx.addIssue({ code: 'custom', path: [chk.field], message: msg(`变更须在原定${label(chk.field)}前至少 ${chk.min} 天办理。`, `Changes are made at least ${chk.min} day(s) before the booked date.`) });
            }
            break;
          }
          case 'required-when': {
            const missing = fields[chk.field] === undefined || fields[chk.field] === '' || (Array.isArray(fields[chk.field]) && (fields[chk.field] as unknown[]).length === 0);
            if (missing && evaluate(chk.when, { fields, applicantRoles: [] })) ctx.addIssue({ code: 'custom', path: [chk.field], message: msg(`请填写${label(chk.field)}。`, 'Required here.') });
            break;
          }
          case 'lead-in-list': {
            const list = Array.isArray(fields[chk.list]) ? (fields[chk.list] as string[]) : [];
            const lead = fields[chk.lead];
            if (list.length > 1 && (lead === undefined || lead === '')) ctx.addIssue({ code: 'custom', path: at(chk.lead), message: msg(`${label(chk.list)}有多个时，请指定${label(chk.lead)}。`, 'Several are named: name the lead.') });
            else if (lead !== undefined && lead !== '' && !list.includes(String(lead))) ctx.addIssue({ code: 'custom', path: at(chk.lead, chk.list), message: msg(`${label(chk.lead)}须是${label(chk.list)}之一。`, 'The lead must be one of them.') });
            break;
          }
          case 'each-in': {
            if (chk.when && !evaluate(chk.when, { fields, applicantRoles: [] })) break;
            const people = Array.isArray(fields[chk.field]) ? (fields[chk.field] as string[]) : [];
            const short = people.find((p) => chk.in.filter((k) => Array.isArray(fields[k]) && (fields[k] as string[]).includes(p)).length < chk.atLeast);
            if (short) {
              const ways = chk.in.map(label).join('、');
              ctx.addIssue({ code: 'custom', path: at(...chk.in), message: msg(`${label(chk.field)}中的 ${short} 须以至少 ${chk.atLeast} 种方式（${ways}）告知。`, `${short} must be reached in at least ${chk.atLeast} way(s).`) });
            }
            break;
          }
          default: {
            const from = day(chk.from);
            const to = day(chk.to);
            if (from === undefined || to === undefined) break;
            if (to < from) {
              ctx.addIssue({ code: 'custom', path: at(chk.to, chk.from), message: msg(`${label(chk.to)}不能早于${label(chk.from)}。`, 'The end cannot be before the start.') });
              break;
            }
            if (chk.check === 'within-days') {
              // A period whose last day is a day off runs to the next working day (as computeDue does).
              let limit = from + chk.days * 86_400_000;
              for (let i = 0; i < 30 && !chineseDays.isWorkday(new Date(limit).toISOString().slice(0, 10)); i++) limit += 86_400_000;
              if (to > limit) {
                ctx.addIssue({ code: 'custom', path: at(chk.to, chk.from), message: msg(`${label(chk.to)}须在${label(chk.from)}后 ${chk.days} 日内。`, `Must be within ${chk.days} days of ${chk.from}.`) });
              }
            }
            if (chk.check === 'days-within-dates') {
              const days = fields[chk.days];
              const span = (to - from) / 86_400_000 + 1;
              if (typeof days === 'number' && days > span) {
                ctx.addIssue({ code: 'custom', path: at(chk.days), message: msg(`${label(chk.days)}（${days}）超过起止日期的 ${span} 天。`, `More days than the ${span} between the dates.`) });
              }
              // Fewer days than the working days between the dates would dodge the leave tiers; half
              // days at either end are allowed for.
              const workdays = chineseDays.getWorkdaysInRange(String(fields[chk.from]), String(fields[chk.to]), true).length;
              if (typeof days === 'number' && days < workdays - 1) {
                ctx.addIssue({ code: 'custom', path: at(chk.days), message: msg(`${label(chk.days)}（${days}）少于起止日期之间的 ${workdays} 个工作日。`, `Fewer days than the ${workdays} working days between the dates.`) });
              }
            }
          }
        }
      }
    }));
}

export interface ConditionContext {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly applicantRoles: readonly string[];
}

/** Evaluates a step condition (e.g. leave over 3 days) against a case. */
export function evaluate(condition: Condition | undefined, ctx: ConditionContext): boolean {
  if (!condition) return true;
  if ('all' in condition) return condition.all.every((c) => evaluate(c, ctx));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, ctx));
  if ('not' in condition) return !evaluate(condition.not, ctx);
  if ('applicantRole' in condition) return ctx.applicantRoles.includes(condition.applicantRole);
  const actual = ctx.fields[condition.field];
  const expected = condition.value;
  switch (condition.op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'lt':
      return typeof actual === 'number' && actual < (expected as number);
    case 'lte':
      return typeof actual === 'number' && actual <= (expected as number);
    case 'gt':
      return typeof actual === 'number' && actual > (expected as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (expected as number);
  }
}
