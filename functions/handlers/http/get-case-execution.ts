/**
 * GET /api/admin/cases/{id}/execution?limit=&next= (admins): the execution that drives the case,
 * its status and a page of its history, newest last; `next` pages back to earlier events.
 */
import * as z from 'zod/mini';
import { cases, org, wire, workflows } from '../../adapters/deps.ts';
import { caseExecution } from '../../domain/cases/execution.ts';
import { httpHandler } from '../middleware.ts';
import { CasePath } from './case-path.ts';

const deps = wire({ cases, org, workflows });

const LIMIT = '每页条数须为 1–100。limit: 1 to 100.';

const Query = z.object({
  limit: z._default(z.coerce.number({ error: LIMIT }).check(z.int(LIMIT), z.gte(1, LIMIT), z.lte(100, LIMIT)), 50),
  // Step Functions' page tokens: base64 text, at most 1,024 characters.
  next: z.optional(
    z.string().check(
      z.minLength(1, '翻页游标无效。next: an invalid cursor.'),
      z.maxLength(1024, '翻页游标无效。next: an invalid cursor.'),
      z.regex(/^[\w+/=-]+$/, '翻页游标无效。next: an invalid cursor.'),
    ),
  ),
});

export const handler = httpHandler({ path: CasePath, query: Query }, async ({ path, query, caller }) => ({ body: await caseExecution(deps, caller, path.id, query) }));
