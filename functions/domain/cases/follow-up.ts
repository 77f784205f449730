/**
 * What follows a change of a case outside its execution (a decision, a chase deciding at the
 * deadline). The execution waits on the case, not on a step: it is woken only when it has work,
 * an automatic step to run or a closed case to end (or file). People moving the case from one of
 * their steps to the next leave it waiting, and the new step's chase is armed here instead; that
 * saves a state transition and a Drive Case run per step.
 */
import { definitionVersion } from '../definitions/lookup.ts';
import type { Deps } from '../ports.ts';
import { stepKeyOf, type CaseRecord } from './case.ts';
import { pendingAutomaticStep } from './engine.ts';

type Wait = NonNullable<Awaited<ReturnType<Deps['cases']['waiting']>>>;

/** The error that ends an execution's wait on a closed case, caught into Case Closed (statemachines/case.asl.json). */
export const CASE_CLOSED = 'CaseClosed';

/** When the case's current step is next chased: its next chase time, else its due time; none once closed or chased to the end. */
export function chaseTime(c: CaseRecord): string | undefined {
  return c.status === 'open' && !c.chaseDone ? (c.nextChaseAt ?? c.dueAt) : undefined;
}

/** Whether the case has work for its execution: closed (its wait ends), or an automatic step to run. */
export function needsExecution(c: CaseRecord): boolean {
  return c.status !== 'open' || pendingAutomaticStep(c, definitionVersion(c.type, c.definitionVersion)) !== undefined;
}

/**
 * Whether a case leaves its execution nothing to do: closed, and not to be filed (filing a closed
 * case into the archive is Drive Case's last work: orchestrate.ts, advanceCase).
 */
export const nothingLeftToDrive = (c: CaseRecord): boolean => c.status !== 'open' && !c.filedAt;

/** How soon a chase whose time has already passed is armed for: Scheduler is given future times only. */
const PASSED_CHASE_DELAY_MS = 60_000;

/**
 * After `next` was saved (from `before`, when known): the execution woken if the case needs it;
 * else the current step's chase armed, when the step or its chase time changed (arming the same
 * chase twice adds nothing, so without `before` it is armed anyway). A chase time already passed
 * (a step whose deadline counts from the letter's receipt) is armed a minute from now, and chases then.
 * The chase armed for the step `before` was at is removed once that step is left, the case closed
 * or the chase moved: it would only fire to find nothing to do. Removing it is tidying up, so a
 * failure is counted (TidyFailures) and the chase, when it fires, follows the case up as any other.
 * A chase moved on the same step is removed before the new one is armed: both may fall in the same
 * minute (one whose time has passed is armed a minute on), and so be the same schedule.
 */
export async function followUp(deps: Pick<Deps, 'cases' | 'workflows' | 'chases' | 'clock' | 'telemetry'>, next: CaseRecord, options: { before?: CaseRecord; waitRead?: Wait } = {}): Promise<void> {
  const { before } = options;
  if (before && stepKeyOf(before) === stepKeyOf(next)) {
    await disarmLeft(deps, next, before);
    await carryOn(deps, next, options);
  } else {
    await Promise.all([carryOn(deps, next, options), disarmLeft(deps, next, before)]);
  }
}

async function carryOn(deps: Pick<Deps, 'cases' | 'workflows' | 'chases' | 'clock'>, next: CaseRecord, options: { before?: CaseRecord; waitRead?: Wait }): Promise<void> {
  if (needsExecution(next)) return wakeExecution(deps, next, options.waitRead);
  const at = chaseTime(next);
  const { before } = options;
  if (!at || (before && stepKeyOf(before) === stepKeyOf(next) && chaseTime(before) === at)) return;
  const now = deps.clock.now();
  await deps.chases.arm({ caseId: next.id, stepKey: stepKeyOf(next), at: Date.parse(at) > now ? at : new Date(now + PASSED_CHASE_DELAY_MS).toISOString() });
}

/** The chase of the step `before` was at, removed if it no longer chases the case (a chase armed a minute on, its time having passed, is not found: it fires and finds nothing). */
async function disarmLeft(deps: Pick<Deps, 'chases' | 'telemetry'>, next: CaseRecord, before?: CaseRecord): Promise<void> {
  const left = before && chaseTime(before);
  if (!left || (stepKeyOf(before) === stepKeyOf(next) && chaseTime(next) === left)) return;
  await deps.chases
    .disarm({ caseId: before.id, stepKey: stepKeyOf(before), at: left })
    .catch((error: unknown) => deps.telemetry.survived('TidyFailures', 'Could not remove the chase of a step the case left (it will find nothing to do)', error, { caseId: before.id }));
}

/**
 * Ends the wait of a case that needs its execution: a closed case with nothing to file ends it
 * with CaseClosed, caught into Case Closed (rather than Drive Case running once more only to find
 * that); otherwise Drive Case is woken. Every wait recorded is stale by then (Drive Case records
 * one only when neither holds). A wait read before the save may have been spent since (another
 * change woke the execution, which recorded a new one): then the wait is read again.
 */
async function wakeExecution(deps: Pick<Deps, 'cases' | 'workflows'>, next: CaseRecord, waitRead?: Wait): Promise<void> {
  const end = (wait: Wait) => (nothingLeftToDrive(next) ? deps.workflows.fail(wait.token, CASE_CLOSED, `Case ${next.id} is closed`) : deps.workflows.wake(wait.token));
  // A wait read from an execution since replaced (a restart) is not the one to end: the current one is read.
  if (waitRead && waitRead.execution === next.execution && (await end(waitRead))) return;
  const wait = await deps.cases.waiting(next.id);
  if (wait && wait.token !== waitRead?.token) await end(wait);
}
