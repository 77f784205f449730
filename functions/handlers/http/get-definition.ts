/** GET /api/definitions/{type}: one process, with its fields' JSON Schema (the one the API validates with). */
import { z } from 'zod';
import { fieldsSchema } from '../../domain/definitions/fields.ts';
import { latestDefinition } from '../../domain/definitions/lookup.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ path: z.object({ type: z.string().max(40) }) }, async ({ path }) => {
  const definition = latestDefinition(path.type);
  return { body: { ...definition, fieldsSchema: z.toJSONSchema(fieldsSchema(definition), { unrepresentable: 'any' }) } };
});
