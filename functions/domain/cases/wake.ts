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
  if (waitRead && (!moved(waitRead) || (await deps.workflows.wake(waitRead.token)))) return;
  const wait = await deps.cases.waiting(next.id);
  if (wait && wait.token !== waitRead?.token && moved(wait)) await deps.workflows.wake(wait.token);
}
