/**
 * An admin's view of the execution that drives one case: its status, when it started and
 * stopped, and its history a page at a time (what happened in which state, what went wrong).
 * Execution data is never shown: the case itself is read through the case routes.
 */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Caller, Deps, ExecutionEvent, ExecutionSummary } from '../ports.ts';

export interface CaseExecution {
  readonly caseId: string;
  /** The execution the case names (a restart replaces it); null if none was ever started. */
  readonly executionName: string | null;
  /** As Step Functions reports it; null when it has no such execution (the local engine forgets at a restart). */
  readonly execution: ExecutionSummary | null;
  /** The latest events before `next`, oldest first (newest last). */
  readonly events: readonly ExecutionEvent[];
  /** Opaque: pass it back as `next` for the events before these. */
  readonly next?: string;
}

export async function caseExecution(
  deps: Pick<Deps, 'cases' | 'org' | 'workflows'>,
  caller: Caller,
  caseId: string,
  page: { limit: number; next?: string },
): Promise<CaseExecution> {
  // The same rule as restarting executions; checked before the case is read, so no one else learns which cases exist.
  const org = await loadOrgChart(deps);
  if (!org.has(caller.personId, 'admin')) throw new ForbiddenError('只有管理员可以查看流程执行。Only an admin can see executions.');
  const c = await deps.cases.get(caseId);
  if (!c) throw new NotFoundError('没有这个案件。No such case.');
  if (!c.execution) return { caseId: c.id, executionName: null, execution: null, events: [] };
  const execution = await deps.workflows.describe(c.execution);
  if (!execution) return { caseId: c.id, executionName: c.execution, execution: null, events: [] };
  const history = await deps.workflows.history(c.execution, { limit: page.limit, cursor: page.next });
  return { caseId: c.id, executionName: c.execution, execution, events: history.events, ...(history.earlier ? { next: history.earlier } : {}) };
}
