/**
 * POST /api/admin/restart-executions (admins): starts a fresh execution for every open case, e.g.
 * after a fix to the state machine is deployed. DynamoDB holds each case, so nothing is lost or
 * done twice; old executions see they no longer drive their case and stop.
 */
import { defaultDeps } from '../../adapters/deps.ts';
import { redriveOpenCases } from '../../domain/cases/orchestrate.ts';
import { ForbiddenError } from '../../domain/errors.ts';
import { loadOrgChart } from '../../domain/org/org-service.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({}, async ({ caller }) => {
  const deps = defaultDeps();
  const org = await loadOrgChart(deps);
  if (!org.has(caller.personId, 'admin')) throw new ForbiddenError('只有管理员可以重启流程执行。Only an admin can restart executions.');
  return { body: { restarted: await redriveOpenCases(deps) } };
});
