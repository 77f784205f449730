/**
 * The task functions of statemachines/case.asl.json (one task state: Drive Case) and of the
 * chases armed beside it (EventBridge Scheduler, one-time). DynamoDB is the single source of truth:
 * each task reads the case, checks it is still where the caller thinks, and does only what the
 * stored state says is left to do, so a retried, repeated or restarted task never does anything twice.
 */
import { definitionVersion } from '../definitions/lookup.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import { fingerprint, idempotentRepeatable, type Response } from '../idempotency.ts';
import { numberingYear } from '../numbering/document-number.ts';
import { engineContext, loadRules } from './rules.ts';
import type { Caller, Deps, NumberUse, Told } from '../ports.ts';
import { stepKeyOf, type CaseRecord } from './case.ts';
import type { Definition, StepDefinition } from '../definitions/definition.ts';
import type { OrgChart } from '../org/org.ts';
import { destroyItem, fileToArchive, grantAccess } from '../archive/filing.ts';

type AutoAction = Extract<StepDefinition, { type: 'auto' }>['action'];
import { pendingAutomaticStep, runAutomaticStep, stepOverdue } from './engine.ts';
import { deliver } from '../notify.ts';
import { saveOutcome } from './save-outcome.ts';
import { CASE_CLOSED, chaseTime, followUp, needsExecution } from './follow-up.ts';

export interface AdvanceResult {
  readonly caseId: string;
  readonly next: 'wait' | 'stop';
  /** The step the execution now waits on. */
  readonly stepKey?: string;
  /** When that step is next chased (ISO), if it is. */
  readonly chaseAt?: string;
}

/** Standard executions end after a year: one that old hands its case to a fresh one. */
const EXECUTION_RENEW_MS = 300 * 86_400_000;

/** A timer may fire a moment early: within a second of the chase time it is the chase time. */
const isDue = (at: string, now: number) => Date.parse(at) <= now + 1000;

/** The ports of the execution's automatic steps: filing, numbering and the archive's own work, and a chase that fell due. */
export type AdvanceDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'archive' | 'numbering' | 'files' | 'access' | 'notifications' | 'mailer' | 'workflows' | 'telemetry' | 'clock' | 'newId'>;
/** The ports of the one task of the state machine: advancing, recording the wait and arming its chase. */
export type DriveDeps = AdvanceDeps & Pick<Deps, 'chases'>;
/** The ports of a step's chase time: chasing, escalating or deciding, arming the next chase, waking the execution. */
export type ChaseDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'notifications' | 'mailer' | 'workflows' | 'chases' | 'telemetry' | 'clock' | 'newId'>;
/** The ports of restarting executions. */
export type RestartDeps = Pick<Deps, 'cases' | 'org' | 'workflows' | 'clock'>;

/**
 * Runs the case's automatic steps, and a chase that is already due (a restart after the schedule's
 * time), then says what to wait for, or that the execution is done.
 */
export async function advanceCase(deps: AdvanceDeps, input: { caseId: string; execution: string; startedAt?: string }): Promise<AdvanceResult> {
  const stop: AdvanceResult = { caseId: input.caseId, next: 'stop' };
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.cases.get(input.caseId);
    if (!c || c.execution !== input.execution) return stop;
    if (c.status !== 'open') {
      // Filed however it ended (信访 not accepted): the archive item is written here, where a failure is retried.
      // The only work on a closed case: one with none is never woken for it (follow-up.ts, nothingLeftToDrive).
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
      const chaseAt = chaseTime(c);
      if (!chaseAt || !isDue(chaseAt, now)) return { caseId: c.id, next: 'wait', stepKey: stepKeyOf(c), chaseAt };
      // Its chase time passed while nothing was armed to call it: chase now, then look again.
      await chaseOnce(deps, c);
      continue;
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
    let told: Told;
    try {
      told = await saveOutcome(deps, c, outcome, { number });
    } catch (error) {
      // The number is never reused: it is recorded as void, and the next attempt takes a new one.
      if (number) await deps.numbering.void(number, `编号时该件已变更 The case changed while it was numbered (${c.id})`, 'system');
      if (!(error instanceof ConflictError)) throw error;
      continue;
    }
    // Saved, number and all: a failure to deliver is counted, never voids the number (a retried
    // task would find the step done, and deliver nothing again).
    await deliver(deps, rules.org, told).catch((error) => deps.telemetry.survived('DeliveryFailures', 'Could not deliver the notifications of an automatic step', error));
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

/** Thrown when the case kept leaving its step before the token could be recorded: the state machine drives it again. */
export class StepMovedError extends Error {
  constructor(caseId: string) {
    super(`Case ${caseId} moved on before its wait was recorded`);
    this.name = 'StepMoved';
  }
}

/**
 * The state machine's one task (Drive Case, .waitForTaskToken): runs what is left to do, then
 * records the token the execution waits on, with the step it found the case at, and arms the
 * step's next chase; or, once the case is closed, fails its own wait at once so the execution ends
 * (no function error). A decision that leaves the case with work for it wakes the token
 * (follow-up.ts); people moving the case among their own steps leave it waiting.
 */
export async function driveCase(deps: DriveDeps, input: { caseId: string; execution: string; startedAt?: string; token: string }): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await advanceCase(deps, input);
    if (result.next === 'stop') {
      await deps.workflows.fail(input.token, CASE_CLOSED, `Case ${input.caseId} is closed`);
      return;
    }
    const stepKey = result.stepKey!;
    // Armed first: a chase armed for a step the case then leaves does nothing, while a wait recorded
    // with its chase never armed would wait for the hourly repair.
    if (result.chaseAt) await deps.chases.arm({ caseId: input.caseId, stepKey, at: result.chaseAt });
    // The case left the step between the read and the record (a decision): advance again.
    if (await deps.cases.recordWait(input.caseId, { stepKey, execution: input.execution, token: input.token })) return;
  }
  throw new StepMovedError(input.caseId);
}

/**
 * A step's chase time came (its one-time schedule fired): remind, escalate or decide, as the step
 * says, then arm its next chase, or follow the case up when the step was decided at the deadline.
 * A chase for a step the case has left only follows the case up (follow-up.ts: wakes the execution
 * if the case has work for it, else arms the chase of the step it is at); one fired again does
 * nothing; a chase time moved later (an extension) is armed anew.
 */
export async function chaseCase(deps: ChaseDeps, input: { caseId: string; stepKey: string }): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.cases.get(input.caseId);
    if (!c) return;
    // Left (decided at the deadline by an earlier delivery of this chase whose follow-up failed, or
    // by a person): the execution is woken if the case needs it, else the current step's chase is
    // armed (which mends one whose arming failed after a decision).
    if (c.status !== 'open' || stepKeyOf(c) !== input.stepKey) return followUp(deps, c);
    const chaseAt = chaseTime(c);
    if (!chaseAt) return;
    if (!isDue(chaseAt, deps.clock.now())) return deps.chases.arm({ caseId: c.id, stepKey: input.stepKey, at: chaseAt });
    const next = await chaseOnce(deps, c);
    // Someone acted at the deadline: read the case again, their decision wins.
    if (!next) continue;
    if (next.status !== 'open' || stepKeyOf(next) !== input.stepKey) return followUp(deps, next);
    const again = chaseTime(next);
    if (again) await deps.chases.arm({ caseId: c.id, stepKey: input.stepKey, at: again });
    return;
  }
  throw new ConflictError(`Case ${input.caseId} kept changing while it was chased`);
}

/** Chases the case's step once; the case as saved, or undefined when it changed first (nothing saved). */
async function chaseOnce(deps: Omit<ChaseDeps, 'chases' | 'workflows'>, c: CaseRecord): Promise<CaseRecord | undefined> {
  const definition = definitionVersion(c.type, c.definitionVersion);
  const rules = await loadRules(deps);
  const outcome = stepOverdue(c, engineContext(deps, rules, definition, deps.clock.now()));
  let told: Told;
  try {
    told = await saveOutcome(deps, c, outcome);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return undefined;
  }
  await deliver(deps, rules.org, told).catch((error) => deps.telemetry.survived('DeliveryFailures', 'Could not deliver the notifications of a chase', error));
  return { ...outcome.case, version: c.version + 1 };
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

/** How late a chase may be before the hourly safety net runs it itself (Scheduler fires within the minute). */
export const LATE_CHASE_MS = 5 * 60_000;

/**
 * The hourly safety net: an execution that ended while its case is still open (a bug, an outage
 * past every retry) is replaced, a wake that was lost after a decision that left the case an
 * automatic step (a crash between the commit and SendTaskSuccess) is sent again, and a chase whose
 * time passed with nothing armed to call it (arming failed past every retry, the schedules were
 * deleted with their stack) is run. Reads the open cases by index, never a Scan. A closed case's
 * lost CaseClosed is not here (closed cases are not in the index): its wait times out within 30
 * days, and Drive Case then ends it (filing it first if it is to be filed).
 */
export async function restartStalledCases(deps: DriveDeps): Promise<{ restarted: number; woken: number; filed: number; chased: number }> {
  let restarted = 0;
  let woken = 0;
  let filed = 0;
  let chased = 0;
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
      // A case with work for its execution (an automatic step) whose waiting execution was never woken.
      const wait = needsExecution(c) ? await deps.cases.waiting(c.id) : undefined;
      if (wait && wait.execution === c.execution) {
        if (await deps.workflows.wake(wait.token)) woken++;
      }
      const chaseAt = chaseTime(c);
      if (chaseAt && Date.parse(chaseAt) < deps.clock.now() - LATE_CHASE_MS) {
        await chaseCase(deps, { caseId: c.id, stepKey: stepKeyOf(c) });
        chased++;
      }
    }
    cursor = page.next;
  } while (cursor);
  return { restarted, woken, filed, chased };
}
