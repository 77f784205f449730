/** Waking the execution that waits on a case once the case has left the step it waits on. */
import type { Deps } from '../ports.ts';
import { stepKeyOf, type CaseRecord } from './case.ts';

type Wait = NonNullable<Awaited<ReturnType<Deps['cases']['waiting']>>>;

/**
 * The execution waits on the step it recorded; once the case has left it, wake it up. A wait read
 * before the save may have been spent since (another decision woke the execution, which then
 * recorded a new one): then the wait is read again, and the new one woken if it is stale too.
 */
export async function wakeExecution(deps: Pick<Deps, 'cases' | 'workflows'>, next: CaseRecord, waitRead?: Wait): Promise<void> {
  const moved = (wait: Wait) => wait.stepKey !== stepKeyOf(next) || next.status !== 'open';
  // A case closed with nothing left for its execution: its wait ends there, caught into Case
  // Closed, rather than Drive Case running once more only to find that (a state transition fewer).
  const end = (wait: Wait) => (nothingLeftToDrive(next) ? deps.workflows.fail(wait.token, CASE_CLOSED, `Case ${next.id} is closed`) : deps.workflows.wake(wait.token));
  if (waitRead && (!moved(waitRead) || (await end(waitRead)))) return;
  const wait = await deps.cases.waiting(next.id);
  if (wait && wait.token !== waitRead?.token && moved(wait)) await end(wait);
}

/** The error that ends an execution's wait on a closed case, caught into Case Closed (statemachines/case.asl.json). */
export const CASE_CLOSED = 'CaseClosed';

/**
 * Whether a case leaves its execution nothing to do: closed, and not to be filed (filing a closed
 * case into the archive is Drive Case's last work: orchestrate.ts, advanceCase).
 */
export const nothingLeftToDrive = (c: CaseRecord): boolean => c.status !== 'open' && !c.filedAt;
