/** GET /api/definitions/{type}: one process, with its fields' JSON Schema (the one the API validates with). */
import * as z from 'zod/mini';
import { fieldsSchema, inputsSchema } from '../../domain/definitions/fields.ts';
import { latestDefinitions } from '../../domain/definitions/catalog/index.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ path: z.object({ type: z.string().check(z.maxLength(40)) }) }, async ({ path }) => {
  const definition = latestDefinitions().find((d) => d.type === path.type);
  if (!definition) throw new NotFoundError(`没有这个流程：${path.type}。No such process.`);
  // Each step that asks its assignee for values carries their schema too (the one `approve` checks with).
  const steps = definition.steps.map((s) => (s.type !== 'auto' && s.inputs.length > 0 ? { ...s, inputsSchema: z.toJSONSchema(inputsSchema(definition, s, {}), { unrepresentable: 'any' }) } : s));
  return { body: { ...definition, steps, fieldsSchema: z.toJSONSchema(fieldsSchema(definition), { unrepresentable: 'any' }) } };
});
