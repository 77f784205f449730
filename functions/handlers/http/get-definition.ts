/** GET /api/definitions/{type}: one process, with its fields' JSON Schema (the one the API validates with). */
import { z } from 'zod';
import { fieldsSchema } from '../../domain/definitions/fields.ts';
import { latestDefinitions } from '../../domain/definitions/catalog/index.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ path: z.object({ type: z.string().max(40) }) }, async ({ path }) => {
  const definition = latestDefinitions().find((d) => d.type === path.type);
  if (!definition) throw new NotFoundError(`没有这个流程：${path.type}。No such process.`);
  return { body: { ...definition, fieldsSchema: z.toJSONSchema(fieldsSchema(definition), { unrepresentable: 'any' }) } };
});
