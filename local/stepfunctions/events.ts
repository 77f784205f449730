/**
 * What the local engine writes into an execution's history, with AWS's event types: the
 * library's event log (states entered and exited, Map iterations, the end) translated, and the
 * task events only the engine sees (scheduled, started, submitted, succeeded, failed, timed out).
 *
 * The library hands its events over asynchronously, a few microtasks after they happen, while the
 * engine's task handlers run synchronously inside the library. So that a task's events land after
 * its state's "entered" event, a handler first waits until the log has caught up with its call
 * (`reached`); the library awaits the handler anyway. The execution's last event is written once
 * both the library's log has ended and the engine has settled the execution's status, so the
 * history always ends as DescribeExecution says.
 */
import type { ExecutionHistory } from './history.ts';
import { MAX_DATA_CHARS, data } from './history.ts';
import type { OriginalState } from './asl-local.ts';

type Details = { key: string; value: Record<string, unknown> };

/** The subset of aws-local-stepfunctions' EventLog the engine reads. */
interface LibraryEvent {
  readonly type: string;
  readonly state?: { readonly name: string; readonly type: string; readonly input?: unknown; readonly output?: unknown };
  readonly parentState?: { readonly name: string };
  readonly index?: number;
}

/** How a Task shows in the history: the optimised lambda:invoke integrations, or a Lambda ARN as the resource. */
export type TaskKind =
  | { readonly events: 'Task'; readonly resource: 'invoke' | 'invoke.waitForTaskToken' }
  | { readonly events: 'LambdaFunction'; readonly resource: string };

/** The execution's end, as DescribeExecution reports it. */
export interface Ending {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

const json = (value: unknown) => JSON.stringify(value ?? null);

export class HistoryRecorder {
  /** Per state name: how often the log has entered or retried it, and how often its handler was called. */
  private readonly arrivals = new Map<string, number>();
  private readonly calls = new Map<string, number>();
  private waiters: { name: string; n: number; resolve: () => void }[] = [];
  private logEnded = false;
  private ending?: Ending;

  constructor(
    private readonly history: ExecutionHistory,
    /** Task and Wait states as written (Waits run as Tasks in the library). */
    private readonly originals: ReadonlyMap<string, OriginalState>,
    private readonly region: string,
    /** False once the execution has ended: a task released by the end writes nothing more. */
    private readonly running: () => boolean,
    private readonly onClosed: () => void,
  ) {}

  /** Reads the library's event log to its end. */
  async follow(log: AsyncGenerator<unknown>): Promise<void> {
    try {
      for await (const event of log) {
        if (this.translate(event as LibraryEvent)) break;
      }
    } catch (error) {
      console.error('The local Step Functions history stopped following an execution', error);
    }
    this.logEnded = true;
    this.release();
    this.closeIfDone();
  }

  /** Resolves once the log has entered (or retried) the state as often as its handler has been called. */
  reached(name: string): Promise<void> {
    const n = (this.calls.get(name) ?? 0) + 1;
    this.calls.set(name, n);
    if (this.logEnded || (this.arrivals.get(name) ?? 0) >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ name, n, resolve }));
  }

  /** The engine settled the execution's status; the last event follows once the log has ended too. */
  ended(ending: Ending): void {
    this.ending ??= ending;
    this.closeIfDone();
  }

  taskScheduled(kind: TaskKind, parameters: unknown, timeoutSeconds?: number, heartbeatSeconds?: number): void {
    if (kind.events === 'LambdaFunction') {
      this.add('LambdaFunctionScheduled', { key: 'lambdaFunctionScheduledEventDetails', value: { resource: kind.resource, ...data('input', json(parameters)), timeoutInSeconds: timeoutSeconds } });
    } else {
      const value = { resourceType: 'lambda', resource: kind.resource, region: this.region, parameters: json(parameters).slice(0, MAX_DATA_CHARS), timeoutInSeconds: timeoutSeconds, heartbeatInSeconds: heartbeatSeconds };
      this.add('TaskScheduled', { key: 'taskScheduledEventDetails', value });
    }
  }

  taskStarted(kind: TaskKind): void {
    if (kind.events === 'LambdaFunction') this.add('LambdaFunctionStarted');
    else this.add('TaskStarted', { key: 'taskStartedEventDetails', value: { resourceType: 'lambda', resource: kind.resource } });
  }

  /** The invocation of a `.waitForTaskToken` task returned; the task now waits for its token. */
  taskSubmitted(kind: TaskKind, output: unknown): void {
    if (kind.events === 'Task') this.add('TaskSubmitted', { key: 'taskSubmittedEventDetails', value: { resourceType: 'lambda', resource: kind.resource, ...data('output', json(output)) } });
  }

  taskSucceeded(kind: TaskKind, output: unknown): void {
    if (kind.events === 'LambdaFunction') this.add('LambdaFunctionSucceeded', { key: 'lambdaFunctionSucceededEventDetails', value: data('output', json(output)) });
    else this.add('TaskSucceeded', { key: 'taskSucceededEventDetails', value: { resourceType: 'lambda', resource: kind.resource, ...data('output', json(output)) } });
  }

  /** A timeout (the task's own or a missed heartbeat) is TimedOut, anything else Failed. */
  taskFailed(kind: TaskKind, error: unknown): void {
    const name = error instanceof Error ? error.name : 'Error';
    const cause = error instanceof Error ? error.message : String(error);
    const timedOut = name === 'States.Timeout' || name === 'States.HeartbeatTimeout';
    const outcome = timedOut ? 'TimedOut' : 'Failed';
    if (kind.events === 'LambdaFunction') {
      this.add(`LambdaFunction${outcome}`, { key: `lambdaFunction${outcome}EventDetails`, value: { error: name, cause } });
    } else {
      this.add(`Task${outcome}`, { key: `task${outcome}EventDetails`, value: { resourceType: 'lambda', resource: kind.resource, error: name, cause } });
    }
  }

  private add(type: string, details?: Details): void {
    if (this.running()) this.history.add(type, details);
  }

  /** One library event into the history; true once the log has reached the execution's end. */
  private translate(event: LibraryEvent): boolean {
    const state = event.state;
    switch (event.type) {
      case 'StateEntered': {
        const type = this.typeOf(state!);
        this.history.add(`${type}StateEntered`, { key: 'stateEnteredEventDetails', value: { name: state!.name, ...data('input', json(state!.input)) } });
        if (type === 'Parallel' || type === 'Map') this.history.add(`${type}StateStarted`);
        this.arrive(state!.name);
        return false;
      }
      case 'StateExited': {
        const type = this.typeOf(state!);
        if (type === 'Parallel' || type === 'Map') this.history.add(`${type}StateSucceeded`);
        this.history.add(`${type}StateExited`, { key: 'stateExitedEventDetails', value: { name: state!.name, ...data('output', json(state!.output)) } });
        return false;
      }
      case 'StateFailed': {
        const type = this.typeOf(state!);
        if (type === 'Parallel' || type === 'Map') this.history.add(`${type}StateFailed`);
        return false;
      }
      case 'StateRetried':
        this.arrive(state!.name);
        return false;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.history.add(event.type, { key, value: { name: event.parentState?.name, index: event.index } });
        return false;
      }
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
        return true;
      default:
        return false;
    }
  }

  private typeOf(state: { name: string; type: string }): string {
    return this.originals.get(state.name)?.type ?? state.type;
  }

  private arrive(name: string): void {
    const count = (this.arrivals.get(name) ?? 0) + 1;
    this.arrivals.set(name, count);
    const ready = this.waiters.filter((w) => w.name === name && w.n <= count);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  private release(): void {
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private closeIfDone(): void {
    if (!this.logEnded || !this.ending || this.history.isClosed) return;
    const { status, output, error, cause } = this.ending;
    if (status === 'SUCCEEDED') this.history.close('ExecutionSucceeded', { key: 'executionSucceededEventDetails', value: data('output', output ?? 'null') });
    else if (status === 'FAILED') this.history.close('ExecutionFailed', { key: 'executionFailedEventDetails', value: { error, cause } });
    else if (status === 'TIMED_OUT') this.history.close('ExecutionTimedOut', { key: 'executionTimedOutEventDetails', value: { error, cause } });
    else this.history.close('ExecutionAborted', { key: 'executionAbortedEventDetails', value: { error, cause } });
    this.onClosed();
  }
}
