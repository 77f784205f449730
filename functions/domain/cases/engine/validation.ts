/** What a person types, checked against the definition and the org chart before the engine takes it. */
import { ValidationError } from '../../errors.ts';
import type { FieldDefinition, HumanStepDefinition } from '../../definitions/definition.ts';
import { fieldsSchema, inputsSchema } from '../../definitions/fields.ts';
import { deriveFields } from '../../definitions/derive.ts';
import { hasUnsafeCharacters, UNSAFE_TEXT } from '../../text.ts';
import type { EngineContext } from './context.ts';

/** A case's title, trimmed. */
export function validateTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw new ValidationError('请填写标题。Title is required.', 'title');
  if (title.length > 200) throw new ValidationError('标题最多 200 个字。Title: at most 200 characters.', 'title');
  if (hasUnsafeCharacters(title, false)) throw new ValidationError(`标题${UNSAFE_TEXT}`, 'title');
  return title;
}

/** The applicant's fields, with those the calendar works out filled in. */
export function validateFields(ctx: EngineContext, raw: unknown, previous?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const parsed = fieldsSchema(ctx.definition, { now: ctx.now, previous }).safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, ['fields', ...issue.path].join('.'));
  }
  const fields: Record<string, unknown> = parsed.data;
  checkReferences(ctx, ctx.definition.fields, fields);
  // Worked out, not typed (请假天数): a value the client sent must agree with the calendar's.
  const { derived, issues } = deriveFields(ctx.definition, fields, ctx.calendar);
  if (issues[0]) throw new ValidationError(issues[0].message, `fields.${issues[0].field}`);
  for (const [key, value] of Object.entries(derived)) {
    if (fields[key] !== undefined && fields[key] !== value) {
      const label = ctx.definition.fields.find((f) => f.key === key)?.label ?? { zh: key, en: key };
      throw new ValidationError(`${label.zh}按工作日历应为 ${value}，不是 ${String(fields[key])}。${label.en}: ${value} on the working calendar, not ${String(fields[key])}.`, `fields.${key}`);
    }
    fields[key] = value;
  }
  return fields;
}

/** What a step's assignee enters with an approval, validated as the case's fields are; undefined when nothing. */
export function stepInputs(ctx: EngineContext, step: HumanStepDefinition, current: Readonly<Record<string, unknown>>, raw: Record<string, unknown> | undefined, required: boolean) {
  if (step.inputs.length === 0) {
    if (raw && Object.keys(raw).length > 0) throw new ValidationError('本步骤无需填写内容。This step takes no fields.', 'fields');
    return undefined;
  }
  const parsed = inputsSchema(ctx.definition, step, current, required).safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, ['fields', ...issue.path].join('.'));
  }
  const entered: Record<string, unknown> = parsed.data;
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

/** People chosen by id (to add, to circulate to): at least one, each an active person of the org chart. */
export function uniquePeople(ctx: EngineContext, ids: readonly string[], field: string): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new ValidationError('请至少选择一人。Choose at least one person.', field);
  const unknown = unique.find((id) => !isActivePerson(ctx, id));
  if (unknown) throw new ValidationError(`没有这个人：${unknown}。Unknown person.`, field);
  return unique;
}

/** Someone in the org chart who has not left. */
export function isActivePerson(ctx: EngineContext, id: string): boolean {
  const person = ctx.org.person(id);
  return person !== undefined && person.active !== false;
}
