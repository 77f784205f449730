/**
 * The input schema of a definition's fields. The API validates case fields with it and the web
 * form is generated from the same field list, so both say the same thing in the same words.
 */
import chineseDays from 'chinese-days';
import { z } from 'zod';
import type { Condition, Definition, FieldDefinition } from './definition.ts';

const msg = (zh: string, en: string) => `${zh} ${en}`;
const ID = /^[a-z0-9-]{1,40}$/;

function fieldSchema(field: FieldDefinition): z.ZodType {
  const label = field.label.zh;
  switch (field.type) {
    case 'text': {
      let s = z.string({ error: msg(`${label}须为文字。`, 'Must be text.') }).trim().max(field.maxLength, msg(`${label}最多 ${field.maxLength} 个字。`, `At most ${field.maxLength} characters.`));
      if (field.required) s = s.min(1, msg(`请填写${label}。`, 'Required.'));
      return s;
    }
    case 'number':
    case 'money': {
      let s = z.number({ error: msg(`${label}须为数字。`, 'Must be a number.') });
      const min = field.type === 'number' ? field.min : 0;
      if (min !== undefined) s = s.min(min, msg(`${label}不能小于 ${min}。`, `At least ${min}.`));
      if (field.max !== undefined) s = s.max(field.max, msg(`${label}不能大于 ${field.max}。`, `At most ${field.max}.`));
      const step = field.type === 'money' ? 0.01 : field.step;
      if (step !== undefined) {
        return s.refine((v) => Math.abs(Math.round(v / step) * step - v) < 1e-9, msg(`${label}须为 ${step} 的整数倍。`, `Must be a multiple of ${step}.`));
      }
      return s;
    }
    case 'date':
      return z
        .string({ error: msg(`${label}须为日期。`, 'Must be a date.') })
        .regex(/^\d{4}-\d{2}-\d{2}$/, msg(`${label}格式应为 YYYY-MM-DD。`, 'Use YYYY-MM-DD.'))
        .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), msg(`${label}不是有效日期。`, 'Not a valid date.'));
    case 'boolean':
      return z.boolean({ error: msg(`${label}须为是或否。`, 'Must be yes or no.') });
    case 'enum':
      return z.enum(field.options.map((o) => o.value) as [string, ...string[]], { error: msg(`请从列表中选择${label}。`, 'Choose one of the options.') });
    case 'person':
    case 'department':
      return z.string({ error: msg(`请选择${label}。`, 'Required.') }).regex(ID, msg(`${label}无效。`, 'Invalid id.'));
    case 'people':
    case 'departments': {
      let s = z.array(z.string().regex(ID, msg(`${label}无效。`, 'Invalid id.')), { error: msg(`请选择${label}。`, 'Required.') }).max(field.max, msg(`${label}最多 ${field.max} 项。`, `At most ${field.max}.`));
      if (field.required) s = s.min(1, msg(`请选择${label}。`, 'Required.'));
      return s;
    }
  }
}

/** A strict object schema for a case's fields: unknown keys are refused, required ones enforced. */
export function fieldsSchema(definition: Definition) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of definition.fields) {
    const s = fieldSchema(field);
    shape[field.key] = field.required ? s : s.optional();
  }
  const label = (k: string) => definition.fields.find((f) => f.key === k)?.label.zh ?? k;
  return z
    .strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? msg('包含未定义的字段。', `Unknown field(s): ${issue.keys.join(', ')}.`) : undefined) })
    .superRefine((fields, ctx) => {
      const day = (k: string) => (typeof fields[k] === 'string' ? Date.parse(`${fields[k]}T00:00:00Z`) : undefined);
      for (const chk of definition.checks) {
        const from = day(chk.from);
        const to = day(chk.to);
        if (from === undefined || to === undefined) continue;
        if (to < from) {
          ctx.addIssue({ code: 'custom', path: [chk.to], message: msg(`${label(chk.to)}不能早于${label(chk.from)}。`, 'The end cannot be before the start.') });
          continue;
        }
        if (chk.check === 'within-days') {
          // A period whose last day is a day off runs to the next working day (as computeDue does).
          let limit = from + chk.days * 86_400_000;
          for (let i = 0; i < 30 && !chineseDays.isWorkday(new Date(limit).toISOString().slice(0, 10)); i++) limit += 86_400_000;
          if (to > limit) {
            ctx.addIssue({ code: 'custom', path: [chk.to], message: msg(`${label(chk.to)}须在${label(chk.from)}后 ${chk.days} 日内。`, `Must be within ${chk.days} days of ${chk.from}.`) });
          }
        }
        if (chk.check === 'days-within-dates') {
          const days = fields[chk.days];
          const span = (to - from) / 86_400_000 + 1;
          if (typeof days === 'number' && days > span) {
            ctx.addIssue({ code: 'custom', path: [chk.days], message: msg(`${label(chk.days)}（${days}）超过起止日期的 ${span} 天。`, `More days than the ${span} between the dates.`) });
          }
          // Fewer days than the working days between the dates would dodge the leave tiers; half
          // days at either end are allowed for.
          const workdays = chineseDays.getWorkdaysInRange(String(fields[chk.from]), String(fields[chk.to]), true).length;
          if (typeof days === 'number' && days < workdays - 1) {
            ctx.addIssue({ code: 'custom', path: [chk.days], message: msg(`${label(chk.days)}（${days}）少于起止日期之间的 ${workdays} 个工作日。`, `Fewer days than the ${workdays} working days between the dates.`) });
          }
        }
      }
    });
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
