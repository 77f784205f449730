/**
 * The local Step Functions engine: runs ASL with aws-local-stepfunctions and adds what the library
 * lacks — execution records and histories, task tokens for `.waitForTaskToken`, and task timeouts,
 * heartbeats and Wait states on an injectable clock. server.ts exposes it as the Step Functions API.
 */
import '../polyfills.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { JSONPath } from 'jsonpath-plus';
import type { TimerClock } from '../clock.ts';
import {
  LIBRARY_TIMEOUT_CEILING_SECONDS,
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT_FOR_TOKEN,
  prepareForLocalEngine,
  type LocalDefinition,
  type OriginalState,
} from './asl-local.ts';
import { HistoryRecorder, type TaskKind } from './events.ts';
import { Histories, data, type ExecutionHistory } from './history.ts';

/** What a Lambda task function is locally: the handler, called in process. */
export type TaskFunction = (payload: unknown) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** An error the API answers with; `type` becomes the `__type` the AWS SDK turns into an exception. */
export class StepFunctionsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** An error raised inside an execution; its name is what `ErrorEquals` matches. */
class StatesError extends Error {
  /** Read by aws-local-stepfunctions: States.Runtime is neither retried nor caught, even by States.ALL (as in AWS). */
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
    this.isRetryable = this.isCatchable = name !== 'States.Runtime';
  }
}

/**
 * The library arms a real-time setTimeout (the state's TimeoutSeconds, here the ceiling) right
 * after calling a task handler, synchronously. The engine enforces every timeout on its own clock,
 * so that one timer is replaced by a no-op: a 60-day wait on the system clock must not end at the
 * ceiling, and a test clock must not race a real timer.
 */
function swallowLibraryTimeout(): void {
  const native = globalThis.setTimeout;
  const ceilingMs = LIBRARY_TIMEOUT_CEILING_SECONDS * 1000;
  const restore = () => {
    if (globalThis.setTimeout === intercept) globalThis.setTimeout = native;
  };
  const intercept = ((handler: () => void, ms?: number, ...args: unknown[]) => {
    if (ms !== ceilingMs) return (native as (...a: unknown[]) => NodeJS.Timeout)(handler, ms, ...args);
    restore();
    return native(() => {}, 0);
  }) as typeof setTimeout;
  globalThis.setTimeout = intercept;
  queueMicrotask(restore);
}

export interface StateMachineRecord {
  readonly arn: string;
  readonly name: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly createdAt: number;
  readonly local: LocalDefinition;
  readonly machine: StateMachine;
}

export interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  readonly startedAt: number;
  status: ExecutionStatus;
  stoppedAt?: number;
  output?: string;
  error?: string;
  cause?: string;
}

interface RunningExecution {
  readonly record: ExecutionRecord;
  readonly recorder: HistoryRecorder;
  abort?: () => void;
  /** Releases everything that waits (tokens, Wait states, timers) when the execution ends. */
  readonly releases: Set<() => void>;
  finish(status: Exclude<ExecutionStatus, 'RUNNING'>, details?: { output?: unknown; error?: string; cause?: string }): void;
}

interface TokenRecord {
  readonly executionArn: string;
  state: 'issued' | 'waiting' | 'closed';
  resolve?: (output: unknown) => void;
  reject?: (error: Error) => void;
  /** Re-arms the heartbeat timer, when the state has one. */
  heartbeat?: () => void;
}

export interface LocalStepFunctionsOptions {
  readonly clock: TimerClock;
  /** Finds the function a Task invokes, from its function name or ARN. */
  readonly resolveTask: (functionName: string) => Promise<TaskFunction>;
  readonly region?: string;
  readonly accountId?: string;
}

/**
 * Definitions (as prepared for the library) this process has validated. Validating compiles the
 * ASL schema afresh each time (about 70 ms a machine); a test run starts a local system, and
 * creates its state machines, for nearly every file. The same definition is as valid the next time.
 */
const validated = new Set<string>();

export class LocalStepFunctions {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, RunningExecution>();
  private readonly tokens = new Map<string, TokenRecord>();
  /** Spent tokens, remembered (up to a cap) so a reuse is refused as TaskTimedOut rather than unknown. */
  private readonly spent = new Set<string>();
  private readonly tokensByExecution = new Map<string, Set<string>>();
  private readonly histories: Histories;
  private readonly region: string;
  private readonly accountId: string;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.histories = new Histories(() => options.clock.now());
  }

  /** The ARN a local function gets; `${Placeholder}`s are filled with these. */
  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  createStateMachine(name: string, definition: string, roleArn = `arn:aws:iam::${this.accountId}:role/local`): StateMachineRecord {
    if (!/^[\w-]{1,80}$/.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid state machine name: ${name}`);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definition === definition) return existing;
      throw new StepFunctionsApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    let local: LocalDefinition;
    let machine: StateMachine;
    try {
      local = prepareForLocalEngine(JSON.parse(definition));
      const prepared = JSON.stringify(local.definition);
      machine = new StateMachine(local.definition as never, { validationOptions: validated.has(prepared) ? { noValidate: true } : { checkArn: true, checkPaths: true } });
      validated.add(prepared);
    } catch (error) {
      throw new StepFunctionsApiError('InvalidDefinition', error instanceof Error ? error.message : String(error));
    }
    const record = { arn, name, definition, roleArn, createdAt: this.options.clock.now(), local, machine };
    this.machines.set(arn, record);
    return record;
  }

  describeStateMachine(arn: string): StateMachineRecord {
    const machine = this.machines.get(arn);
    if (!machine) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  listStateMachines(): StateMachineRecord[] {
    return [...this.machines.values()];
  }

  /**
   * Starts an execution. As in AWS (standard workflows), starting again with the same name and
   * input returns the first execution instead of a second one; another input is refused.
   */
  startExecution(stateMachineArn: string, input = '{}', name: string = randomUUID()): ExecutionRecord {
    const sm = this.describeStateMachine(stateMachineArn);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new StepFunctionsApiError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    if (!/^[\w-]{1,80}$/.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid execution name: ${name}`);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${sm.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // Idempotent only while it runs; a closed execution's name cannot be reused.
      if (existing.input === input && existing.status === 'RUNNING') return existing;
      throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const record: ExecutionRecord = { arn, name, stateMachineArn, input, startedAt: this.options.clock.now(), status: 'RUNNING' };
    this.executions.set(arn, record);
    const history = this.histories.open(arn);
    history.add('ExecutionStarted', { key: 'executionStartedEventDetails', value: { ...data('input', input), roleArn: sm.roleArn } }, record.startedAt);
    this.run(sm, record, parsed, history);
    return record;
  }

  describeExecution(arn: string): ExecutionRecord {
    checkExecutionArn(arn);
    const execution = this.executions.get(arn);
    if (!execution) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /** The execution's history, as recorded so far (see history.ts for what is kept). */
  executionHistory(arn: string): ExecutionHistory {
    this.describeExecution(arn);
    const history = this.histories.get(arn);
    if (!history) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return history;
  }

  listExecutions(stateMachineArn: string, status?: ExecutionStatus): ExecutionRecord[] {
    this.describeStateMachine(stateMachineArn);
    return [...this.executions.values()].filter(
      (e) => e.stateMachineArn === stateMachineArn && (!status || e.status === status),
    );
  }

  stopExecution(arn: string, error?: string, cause?: string): ExecutionRecord {
    const record = this.describeExecution(arn);
    this.running.get(arn)?.finish('ABORTED', { error, cause });
    return record;
  }

  sendTaskSuccess(token: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new StepFunctionsApiError('InvalidOutput', 'Invalid output: not JSON');
    }
    const task = this.waitingTask(token);
    this.spend(token);
    task.resolve?.(parsed);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const task = this.waitingTask(token);
    this.spend(token);
    task.reject?.(new StatesError(error || 'States.TaskFailed', cause ?? ''));
  }

  sendTaskHeartbeat(token: string): void {
    this.waitingTask(token).heartbeat?.();
  }

  /** Ends every running execution: used when the local system shuts down. */
  stopAll(): void {
    for (const execution of [...this.running.values()]) execution.finish('ABORTED', { cause: 'Local system stopped' });
  }

  private waitingTask(token: string): TokenRecord {
    if (typeof token !== 'string' || !/^[0-9a-f-]{36}$/.test(token)) {
      throw new StepFunctionsApiError('InvalidToken', 'Invalid Token');
    }
    // A token that was answered, timed out or belongs to an ended execution is refused, as in AWS.
    if (this.spent.has(token)) throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    const task = this.tokens.get(token);
    if (!task || task.state !== 'waiting') throw new StepFunctionsApiError('TaskDoesNotExist', 'Task Does Not Exist');
    return task;
  }

  /** A token is used up: forgotten as a live task, remembered as spent. */
  private spend(token: string): void {
    const record = this.tokens.get(token);
    if (!record) return;
    record.state = 'closed';
    this.tokens.delete(token);
    this.tokensByExecution.get(record.executionArn)?.delete(token);
    this.spent.add(token);
    if (this.spent.size > 100_000) this.spent.delete(this.spent.values().next().value!);
  }

  private run(sm: StateMachineRecord, record: ExecutionRecord, input: unknown, history: ExecutionHistory): void {
    const { clock } = this.options;
    const releases = new Set<() => void>();
    const recorder = new HistoryRecorder(history, sm.local.states, this.region, () => record.status === 'RUNNING', () => this.histories.closed(record.arn));
    const execution: RunningExecution = {
      record,
      recorder,
      releases,
      finish: (status, details = {}) => {
        if (record.status !== 'RUNNING') return;
        record.status = status;
        record.stoppedAt = clock.now();
        if (details.output !== undefined) record.output = JSON.stringify(details.output);
        record.error = details.error;
        record.cause = details.cause;
        this.running.delete(record.arn);
        // Abort first, so a task released below cannot move the execution on.
        execution.abort?.();
        for (const release of [...releases]) release();
        // Tokens handed out but never claimed by a task are simply forgotten.
        for (const token of this.tokensByExecution.get(record.arn) ?? []) {
          if (this.tokens.get(token)?.state === 'issued') this.tokens.delete(token);
          else this.spend(token);
        }
        this.tokensByExecution.delete(record.arn);
        recorder.ended({ status, output: record.output, error: record.error, cause: record.cause });
      },
    };
    this.running.set(record.arn, execution);

    if (sm.local.timeoutSeconds !== undefined) {
      const cancel = clock.at(record.startedAt + sm.local.timeoutSeconds * 1000, () =>
        execution.finish('TIMED_OUT', { error: 'States.Timeout', cause: 'Execution timed out' }),
      );
      releases.add(cancel);
    }

    const tokens = this.tokens;
    const issued = new Set<string>();
    this.tokensByExecution.set(record.arn, issued);
    const context = {
      Execution: { Id: record.arn, Name: record.name, RoleArn: sm.roleArn, ClockStartTime: new Date(record.startedAt).toISOString() },
      StateMachine: { Id: sm.arn, Name: sm.name },
      Task: {
        // Each read of $$.Task.Token issues a fresh token; the task that carries it claims it.
        get Token() {
          const token = randomUUID();
          tokens.set(token, { executionArn: record.arn, state: 'issued' });
          issued.add(token);
          return token;
        },
      },
    };
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, original] of sm.local.states) {
      handlers[name] = (stateInput) => {
        swallowLibraryTimeout();
        // A task the library retries or reaches after StopExecution must not run again.
        const ended = () => Promise.reject(new StatesError('States.Runtime', 'Execution ended'));
        if (record.status !== 'RUNNING') return ended();
        // Its events follow its state's "entered" event in the history (see events.ts).
        return recorder.reached(name).then(() => {
          if (record.status !== 'RUNNING') return ended();
          return original.type === 'Wait' ? this.wait(execution, original, stateInput) : this.task(execution, name, original, stateInput);
        });
      };
    }
    const started = sm.machine.run(input as never, {
      context,
      noThrowOnAbort: true,
      overrides: { taskResourceLocalHandlers: handlers },
    } as never);
    execution.abort = started.abort;
    void recorder.follow(started.eventLogs as AsyncGenerator<unknown>);
    started.result.then(
      (output: unknown) => execution.finish('SUCCEEDED', { output }),
      (error: unknown) => {
        const failure = error instanceof Error && error.cause instanceof Error ? error.cause : (error as Error);
        execution.finish('FAILED', { error: failure?.name ?? 'Error', cause: failure?.message ?? String(error) });
      },
    );
  }

  /** A Wait state, completed by the injected clock. */
  private wait(execution: RunningExecution, original: OriginalState, input: unknown): Promise<unknown> {
    const { clock } = this.options;
    const state = original.state;
    let until: number;
    if (typeof state.Seconds === 'number') until = clock.now() + state.Seconds * 1000;
    else if (typeof state.Timestamp === 'string') until = Date.parse(state.Timestamp);
    else if (typeof state.SecondsPath === 'string') until = clock.now() + Number(query(state.SecondsPath, input)) * 1000;
    else until = Date.parse(String(query(String(state.TimestampPath), input)));
    if (Number.isNaN(until)) return Promise.reject(new StatesError('States.Runtime', 'Wait: invalid time'));
    return new Promise((resolve) => {
      const release = () => {
        cancel();
        execution.releases.delete(release);
        resolve(input);
      };
      const cancel = clock.at(until, release);
      execution.releases.add(release);
    });
  }

  /** A Task state: invokes the task function; for `.waitForTaskToken`, then waits for the token. */
  private async task(execution: RunningExecution, stateName: string, original: OriginalState, input: unknown): Promise<unknown> {
    const state = original.state;
    const resource = String(state.Resource);
    const invoke = resource === LAMBDA_INVOKE || resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN;
    const params = (input ?? {}) as Record<string, unknown>;
    const functionName = invoke ? String(params.FunctionName) : resource;
    const payload = invoke ? params.Payload : input;
    const timeoutSeconds = seconds(state.TimeoutSeconds, state.TimeoutSecondsPath, input);
    const heartbeatSeconds = seconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath, input);
    const { recorder } = execution;
    const kind: TaskKind = !invoke
      ? { events: 'LambdaFunction', resource }
      : { events: 'Task', resource: resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN ? 'invoke.waitForTaskToken' : 'invoke' };
    recorder.taskScheduled(kind, input, timeoutSeconds, heartbeatSeconds);
    try {
      const fn = await this.options.resolveTask(functionName);
      recorder.taskStarted(kind);
      const output = await this.invokeTask(execution, stateName, kind, fn, invoke, input, payload, timeoutSeconds, heartbeatSeconds);
      recorder.taskSucceeded(kind, output);
      return output;
    } catch (error) {
      recorder.taskFailed(kind, error);
      throw error;
    }
  }

  private async invokeTask(
    execution: RunningExecution,
    stateName: string,
    kind: TaskKind,
    fn: TaskFunction,
    invoke: boolean,
    input: unknown,
    payload: unknown,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<unknown> {
    // The optimised lambda:invoke integration wraps the function's result as AWS does.
    const wrap = (result: unknown) => (invoke ? { ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 } : result);
    if (kind.resource === 'invoke.waitForTaskToken') {
      const token = this.claimToken(execution.record.arn, input);
      if (!token) throw new StatesError('States.Runtime', `${stateName}: no $$.Task.Token in the task's parameters`);
      const waiting = this.awaitToken(execution, token, timeoutSeconds, heartbeatSeconds);
      // The deadline covers the invocation too; a failed invocation fails the task and spends the token.
      fn(payload).then(
        (result) => {
          if (this.tokens.get(token)?.state === 'waiting') execution.recorder.taskSubmitted(kind, wrap(result));
        },
        (error: unknown) => {
          const record = this.tokens.get(token);
          if (record?.state !== 'waiting') return;
          this.spend(token);
          record.reject?.(lambdaError(error));
        },
      );
      return waiting;
    }
    return wrap(await this.withTimeout(execution, timeoutSeconds, fn(payload).catch((e) => Promise.reject(lambdaError(e)))));
  }

  private claimToken(executionArn: string, input: unknown): string | undefined {
    const found: string[] = [];
    const visit = (value: unknown): void => {
      if (typeof value === 'string') {
        const record = this.tokens.get(value);
        if (record && record.state === 'issued' && record.executionArn === executionArn) found.push(value);
      } else if (value && typeof value === 'object') {
        for (const child of Object.values(value)) visit(child);
      }
    };
    visit(input);
    const token = found[0];
    if (token) this.tokens.get(token)!.state = 'waiting';
    return token;
  }

  private awaitToken(execution: RunningExecution, token: string, timeoutSeconds?: number, heartbeatSeconds?: number): Promise<unknown> {
    const { clock } = this.options;
    const record = this.tokens.get(token)!;
    return new Promise((resolve, reject) => {
      let cancelTimeout = () => {};
      let cancelHeartbeat = () => {};
      const settle = (outcome: () => void) => {
        cancelTimeout();
        cancelHeartbeat();
        execution.releases.delete(release);
        outcome();
      };
      record.resolve = (output) => settle(() => resolve(output));
      record.reject = (error) => settle(() => reject(error));
      /** Ends the wait from this side (timeout, missed heartbeat, execution ended); the token is spent. */
      const expire = (error: Error) => {
        if (record.state !== 'waiting') return;
        this.spend(token);
        record.reject!(error);
      };
      const release = () => expire(new StatesError('States.Runtime', 'Execution ended'));
      execution.releases.add(release);
      if (timeoutSeconds !== undefined) {
        cancelTimeout = clock.at(clock.now() + timeoutSeconds * 1000, () => expire(new StatesError('States.Timeout', 'Task timed out')));
      }
      if (heartbeatSeconds !== undefined) {
        record.heartbeat = () => {
          cancelHeartbeat();
          cancelHeartbeat = clock.at(clock.now() + heartbeatSeconds * 1000, () =>
            expire(new StatesError('States.HeartbeatTimeout', 'No heartbeat in time')),
          );
        };
        record.heartbeat();
      }
    });
  }

  private withTimeout<T>(execution: RunningExecution, timeoutSeconds: number | undefined, work: Promise<T>): Promise<T> {
    if (timeoutSeconds === undefined) return work;
    const { clock } = this.options;
    return new Promise<T>((resolve, reject) => {
      const release = () => {
        cancel();
        execution.releases.delete(release);
        reject(new StatesError('States.Timeout', 'Task timed out'));
      };
      const cancel = clock.at(clock.now() + timeoutSeconds * 1000, release);
      execution.releases.add(release);
      work.then(
        (value) => {
          cancel();
          execution.releases.delete(release);
          resolve(value);
        },
        (error) => {
          cancel();
          execution.releases.delete(release);
          reject(error);
        },
      );
    });
  }
}

/** `arn:aws:states:<region>:<account>:execution:<state machine>:<name>`, or AWS's InvalidArn. */
function checkExecutionArn(arn: string): void {
  if (!/^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:execution:[\w-]{1,80}:[\w-]{1,80}$/.test(arn)) {
    throw new StepFunctionsApiError('InvalidArn', `Invalid Arn: '${arn.slice(0, 256)}'`);
  }
}

function query(path: string, input: unknown): unknown {
  return JSONPath({ path, json: input as object, wrap: false });
}

function seconds(fixed: unknown, path: unknown, input: unknown): number | undefined {
  if (typeof fixed === 'number') return fixed;
  if (typeof path !== 'string') return undefined;
  const value = query(path, input);
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new StatesError('States.Runtime', `${path} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** A task function's error as Lambda reports it: the error type is the name ErrorEquals matches. */
function lambdaError(error: unknown): Error {
  if (error instanceof StatesError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new StatesError(name, JSON.stringify({ errorType: name, errorMessage: message }));
}
