/** GET /api/cases/{id}: the case, its trail and the actions the caller may take now. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { caseView } from '../../domain/cases/case-view.ts';
import { canView } from '../../domain/cases/engine.ts';
import { definitionVersion } from '../../domain/definitions/lookup.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { loadOrgChart } from '../../domain/org/org-service.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ path: z.object({ id: z.string().min(1).max(60) }) }, async ({ path, caller }) => {
  const deps = defaultDeps();
  const now = deps.clock.now();
  const [c, org, grants] = await Promise.all([deps.cases.get(path.id), loadOrgChart(deps), deps.access.grantsOf(caller.personId, now)]);
  // Someone who may not see a case learns nothing about it, not even that it exists.
  if (!c || !canView(c, org, caller.personId, grants)) throw new NotFoundError('没有这个案件。No such case.');
  const trail = await deps.cases.trail(c.id);
  return { body: caseView(c, definitionVersion(c.type, c.definitionVersion), org, caller.personId, now, trail, grants) };
});
