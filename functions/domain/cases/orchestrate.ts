/**
 * The task functions of statemachines/case.asl.json. DynamoDB is the single source of truth: each
 * task reads the case, checks it is still driven by the calling execution, and does only what the
 * stored state says is left to do, so a retried or restarted execution never does anything twice.
 */
import { definitionVersion } from '../definitions/lookup.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import { fingerprint, idempotentRepeatable, type Response } from '../idempotency.ts';
import { numberingYear } from '../numbering/document-number.ts';
import { engineContext, loadRules } from './rules.ts';
import type { Caller, Deps, NumberUse } from '../ports.ts';
import { stepKeyOf, type CaseRecord } from './case.ts';
import type { Definition, StepDefinition } from '../definitions/definition.ts';
import type { OrgChart } from '../org/org.ts';
import { destroyItem, fileToArchive, grantAccess } from '../archive/filing.ts';

type AutoAction = Extract<StepDefinition, { type: 'auto' }>['action'];
import { pendingAutomaticStep, runAutomaticStep, stepOverdue } from './engine.ts';
import { deliver } from '../notify.ts';
import { saveOutcome } from './save-outcome.ts';

/** A step with no deadline is still re-checked now and then, so no execution waits forever. */
export const RECHECK_SECONDS = 30 * 86_400;

export interface AdvanceResult {
  readonly caseId: string;
  readonly next: 'wait' | 'stop';
  readonly Payload: { readonly stepKey?: string; readonly timeoutSeconds?: number };
}

/** Standard executions end after a year: one that old hands its case to a fresh one. */
const EXECUTION_RENEW_MS = 300 * 86_400_000;

/** Runs the case's automatic steps, then says what to wait for (or that the execution is done). */
/** The ports of the execution's automatic steps: filing, numbering and the archive's own work. */
export type AdvanceDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'archive' | 'numbering' | 'files' | 'access' | 'notifications' | 'mailer' | 'workflows' | 'telemetry' | 'clock' | 'newId'>;
/** The ports of a step's deadline: chasing and escalating. */
export type OverdueDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'notifications' | 'mailer' | 'telemetry' | 'clock' | 'newId'>;
/** The ports of restarting executions. */
export type RestartDeps = Pick<Deps, 'cases' | 'org' | 'workflows' | 'clock'>;

export async function advanceCase(deps: AdvanceDeps, input: { caseId: string; execution: string; startedAt?: string }): Promise<AdvanceResult> {
  const stop: AdvanceResult = { caseId: input.caseId, next: 'stop', Payload: {} };
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.cases.get(input.caseId);
    if (!c || c.execution !== input.execution) return stop;
    if (c.status !== 'open') {
      // Filed however it ended (信访 not accepted): the archive item is written here, where a failure is retried.
      if (c.filedAt) await fileToArchive(deps, c, definitionVersion(c.type, c.definitionVersion), (await loadRules(deps)).org, c.filedAt);
      return stop;
    }
    if (input.startedAt && deps.clock.now() - Date.parse(input.startedAt) > EXECUTION_RENEW_MS) {
      await restart(deps, c.id, c.execution, `${c.id}-${deps.clock.now().toString(36)}`);
      return stop;
    }
    const definition = definitionVersion(c.type, c.definitionVersion);
    const auto = pendingAutomaticStep(c, definition);
    const now = deps.clock.now();
    if (!auto) {
      const chaseAt = c.chaseDone ? undefined : (c.nextChaseAt ?? c.dueAt);
      const timeoutSeconds = chaseAt ? Math.min(RECHECK_SECONDS, Math.max(1, Math.ceil((Date.parse(chaseAt) - now) / 1000))) : RECHECK_SECONDS;
      return { caseId: c.id, next: 'wait', Payload: { stepKey: stepKeyOf(c), timeoutSeconds } };
    }
    const rules = await loadRules(deps);
    let number: NumberUse | undefined;
    if (auto.action.do === 'number' && !c.number) {
      const base = auto.action.kind ?? String(c.fields[auto.action.kindFromField!]);
      const kind = auto.action.withAgencyCode ? `${rules.org.org.agencyCode ?? ''}${base}` : base;
      number = await deps.numbering.allocate(kind, numberingYear(now));
    }
    // The archive's part is done first and is safe to repeat: a retry finds it done.
    const at = c.stepStartedAt ?? new Date(now).toISOString();
    const done = await archiveWork(deps, c, definition, auto.action, rules.org, at);
    const outcome = runAutomaticStep(c, engineContext(deps, rules, definition, now), number && { number: number.number }, done);
    try {
      await saveOutcome(deps, c, outcome, { number });
      await deliver(deps, rules.org, outcome.notifications);
    } catch (error) {
      // The number is never reused: it is recorded as void, and the next attempt takes a new one.
      if (number) await deps.numbering.void(number, `编号时该件已变更 The case changed while it was numbered (${c.id})`, 'system');
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new ConflictError(`Case ${input.caseId} kept changing while its automatic steps ran`);
}

/** Filing, granting access or destroying, for the automatic steps that do it. */
async function archiveWork(deps: AdvanceDeps, c: CaseRecord, definition: Definition, action: AutoAction, org: OrgChart, at: string) {
  switch (action.do) {
    case 'file': {
      const item = await fileToArchive(deps, c, definition, org, at);
      return { detail: { archiveNumber: item.number, retention: item.retention, category: item.category } };
    }
    case 'grant':
      return { detail: await grantAccess(deps, c, action.caseField, action.daysField, at) };
    case 'destroy':
      return { detail: await destroyItem(deps, c, action.itemField, at) };
    default:
      return undefined;
  }
}

/** Thrown when the case left the step before its token was recorded: the state machine advances again. */
export class StepMovedError extends Error {
  constructor(caseId: string) {
    super(`Case ${caseId} moved on before its wait was recorded`);
    this.name = 'StepMoved';
  }
}

/** Records the token the execution waits on for the current step. */
export async function recordWait(deps: Pick<Deps, 'cases' | 'telemetry'>, input: { caseId: string; stepKey: string; execution: string; token: string }): Promise<void> {
  const recorded = await deps.cases.recordWait(input.caseId, { stepKey: input.stepKey, execution: input.execution, token: input.token });
  if (!recorded) throw new StepMovedError(input.caseId);
}

/** The error that ends a closed case's execution: its wait is failed with it, and the state machine catches it. */
export const CASE_CLOSED = 'CaseClosed';

/**
 * The wait state's task: records the token the execution waits on, or, when Advance Case found the
 * case closed, fails the wait at once so the execution ends (one state, and no function error).
 */
export async function waitForPeople(deps: Pick<Deps, 'cases' | 'workflows' | 'telemetry'>, input: { caseId: string; stepKey: string; execution: string; token: string; closed?: boolean }): Promise<void> {
  if (input.closed) return deps.workflows.fail(input.token, CASE_CLOSED, `Case ${input.caseId} is closed`);
  return recordWait(deps, input);
}

/** The step's deadline passed while the execution waited: remind, escalate or decide, as the step says. */
export async function handleOverdue(deps: OverdueDeps, input: { caseId: string; stepKey: string; execution: string }): Promise<void> {
  const c = await deps.cases.get(input.caseId);
  const chaseAt = c?.chaseDone ? undefined : (c?.nextChaseAt ?? c?.dueAt);
  if (!c || c.execution !== input.execution || c.status !== 'open' || stepKeyOf(c) !== input.stepKey || !chaseAt) return;
  const now = deps.clock.now();
  if (Date.parse(chaseAt) > now + 1000) return; // a periodic re-check, not a chase time
  const definition = definitionVersion(c.type, c.definitionVersion);
  const rules = await loadRules(deps);
  const outcome = stepOverdue(c, engineContext(deps, rules, definition, now));
  try {
    await saveOutcome(deps, c, outcome);
    await deliver(deps, rules.org, outcome.notifications);
  } catch (error) {
    // Someone acted at the deadline: their decision wins, and the execution advances anyway.
    if (!(error instanceof ConflictError)) throw error;
  }
}

/** Hands a case to a new execution, if `from` still drives it. */
async function restart(deps: Pick<Deps, 'cases' | 'workflows'>, caseId: string, from: string | undefined, to: string): Promise<boolean> {
  if (!(await deps.cases.replaceExecution(caseId, from, to))) return false;
  await deps.workflows.start(caseId, to);
  return true;
}

/** An admin's restart of every open case's execution (after a fix to the state machine is deployed); once per Idempotency-Key. */
export async function restartExecutions(deps: RestartDeps, caller: Caller, idempotencyKey?: string): Promise<Response> {
  return idempotentRepeatable(deps.cases, caller, idempotencyKey, fingerprint('restart-executions'), async () => {
    const org = await loadOrgChart(deps);
    if (!org.has(caller.personId, 'admin')) throw new ForbiddenError('只有管理员可以重启流程执行。Only an admin can restart executions.');
    return { statusCode: 200, body: { restarted: await redriveOpenCases(deps) } };
  });
}

/**
 * Starts a fresh execution for every open case (after a local restart, or to pick up a fixed
 * state machine). The old execution, if still alive, sees it no longer drives the case and stops.
 * `pace` is awaited before each case (a bounded rate); `signal` stops the run between two cases.
 * A case is restarted at most once a run: the new execution replaces the old only if the old one
 * still drives the case (replaceExecution), so a decision or a second run in between is safe.
 */
export async function redriveOpenCases(
  deps: Pick<Deps, 'cases' | 'workflows' | 'clock'>,
  options: { pace?: () => Promise<void>; signal?: AbortSignal } = {},
): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  const generation = deps.clock.now().toString(36);
  do {
    const page = await deps.cases.open(cursor);
    for (const c of page.items) {
      if (options.signal?.aborted) return count;
      await options.pace?.();
      if (await restart(deps, c.id, c.execution, `${c.id}-${generation}`)) count++;
    }
    cursor = page.next;
  } while (cursor);
  return count;
}

/** Execution names are the case id, or the case id and a generation: `20261123-8f9d45a4-m3x9`. */
const caseOf = (execution: string) => execution.split('-').slice(0, 2).join('-');

/**
 * The hourly safety net: an execution that ended while its case is still open (a bug, an outage
 * past every retry) is replaced, and a wake that was lost after a decision (a crash between the
 * commit and SendTaskSuccess) is sent again. Reads the open cases by index, never a Scan.
 */
export async function restartStalledCases(deps: AdvanceDeps): Promise<{ restarted: number; woken: number; filed: number }> {
  let restarted = 0;
  let woken = 0;
  let filed = 0;
  const generation = deps.clock.now().toString(36);
  for (const name of await deps.workflows.ended()) {
    const c = await deps.cases.get(caseOf(name));
    if (c?.status === 'open' && c.execution === name && (await restart(deps, c.id, name, `${c.id}-${generation}`))) restarted++;
    // A case closed by a decision is filed by its execution; one that ended first leaves it to this.
    if (c && c.status !== 'open' && c.execution === name && c.filedAt && !(await deps.archive.get(c.id))) {
      await fileToArchive(deps, c, definitionVersion(c.type, c.definitionVersion), (await loadRules(deps)).org, c.filedAt);
      filed++;
    }
  }
  let cursor: string | undefined;
  do {
    const page = await deps.cases.open(cursor);
    for (const c of page.items) {
      const wait = await deps.cases.waiting(c.id);
      if (wait && wait.execution === c.execution && wait.stepKey !== stepKeyOf(c)) {
        if (await deps.workflows.wake(wait.token)) woken++;
      }
    }
    cursor = page.next;
  } while (cursor);
  return { restarted, woken, filed };
}
