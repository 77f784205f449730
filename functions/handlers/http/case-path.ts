/** The `{id}` of the routes under /api/cases/{id}: its own module, so a route takes the schema and not another route's handler and ports. */
import * as z from 'zod/mini';

export const CasePath = z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)) });
