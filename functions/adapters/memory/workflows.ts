/**
 * The executions that drive cases, in memory, with StepFunctionsWorkflows' contract: starting the
 * same execution twice is harmless, waking a spent token is ignored, `ended` names executions that
 * stopped without finishing their case, and an execution's history is read a page at a time,
 * newest page first, each page oldest first. Nothing runs by itself: a test drives a case with the
 * task functions (orchestrate.ts), or sets `onStart` and `onWake` to do so.
 */
import { ValidationError } from '../../domain/errors.ts';
import type { Clock, ExecutionEvent, ExecutionSummary, Workflows } from '../../domain/ports.ts';
import { copy, roundTrip } from './items.ts';

export type ExecutionStatus = ExecutionSummary['status'];

interface MemoryExecution {
  readonly name: string;
  readonly caseId: string;
  status: ExecutionStatus;
  readonly startedAt: string;
  stoppedAt?: string;
  error?: string;
  readonly events: ExecutionEvent[];
}

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:CaseWorkflow';

export class MemoryWorkflows implements Workflows {
  private readonly executions = new Map<string, MemoryExecution>();
  /** Tokens woken, in order, each once. */
  readonly woken: string[] = [];
  /** Called once for each new execution (not for a repeated start). */
  onStart?: (caseId: string, execution: string) => Promise<void> | void;
  /** Called once for each token woken (not for a spent one). */
  onWake?: (token: string) => Promise<void> | void;

  constructor(private readonly clock: Clock) {}

  async start(caseId: string, execution: string): Promise<void> {
    await roundTrip();
    if (this.executions.has(execution)) return;
    this.executions.set(execution, { name: execution, caseId, status: 'RUNNING', startedAt: this.now(), events: [] });
    this.event(execution, 'ExecutionStarted');
    await this.onStart?.(caseId, execution);
  }

  async wake(token: string): Promise<boolean> {
    await roundTrip();
    if (this.woken.includes(token) || this.failed.some((f) => f.token === token)) return false;
    this.woken.push(token);
    await this.onWake?.(token);
    return true;
  }

  /** Tokens failed, in order, with the error: the execution's own driver decides what follows. */
  readonly failed: { token: string; error: string }[] = [];

  async fail(token: string, error: string): Promise<boolean> {
    await roundTrip();
    if (this.woken.includes(token) || this.failed.some((f) => f.token === token)) return false;
    this.failed.push({ token, error });
    return true;
  }

  async ended(): Promise<string[]> {
    await roundTrip();
    return [...this.executions.values()].filter((e) => e.status === 'FAILED' || e.status === 'TIMED_OUT' || e.status === 'ABORTED').map((e) => e.name);
  }

  async describe(execution: string): Promise<ExecutionSummary | undefined> {
    await roundTrip();
    const e = this.executions.get(execution);
    if (!e) return undefined;
    return { name: e.name, arn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${e.name}`, status: e.status, startedAt: e.startedAt, stoppedAt: e.stoppedAt, error: e.error };
  }

  async history(execution: string, page: { limit: number; cursor?: string }): Promise<{ events: ExecutionEvent[]; earlier?: string }> {
    await roundTrip();
    const events = this.executions.get(execution)?.events ?? [];
    // The cursor is the number of events from the newest already shown.
    const skip = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isInteger(skip) || skip < 0 || skip > events.length) {
      throw new ValidationError('翻页游标无效，请从第一页重新查看。Invalid cursor: start again from the first page.', 'next');
    }
    const end = events.length - skip;
    const start = Math.max(0, end - page.limit);
    return { events: copy(events.slice(start, end)), earlier: start > 0 ? String(skip + (end - start)) : undefined };
  }

  /** Records an event of the execution's history (a test plays the state machine's steps). */
  event(execution: string, type: string, detail: Pick<ExecutionEvent, 'state' | 'error' | 'cause'> = {}): void {
    const e = this.executions.get(execution);
    if (!e) throw new Error(`No execution ${execution}`);
    e.events.push({ id: e.events.length + 1, type, at: this.now(), ...detail });
  }

  /** Ends an execution, as success, a failure or a timeout in Step Functions would. */
  end(execution: string, status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>, error?: string): void {
    const e = this.executions.get(execution);
    if (!e) throw new Error(`No execution ${execution}`);
    e.status = status;
    e.stoppedAt = this.now();
    e.error = error;
    this.event(execution, `Execution${status === 'TIMED_OUT' ? 'TimedOut' : status[0] + status.slice(1).toLowerCase()}`, error ? { error } : {});
  }

  /** The executions started for a case, oldest first. */
  of(caseId: string): string[] {
    return [...this.executions.values()].filter((e) => e.caseId === caseId).map((e) => e.name);
  }

  /** How many executions were started. */
  get started(): number {
    return this.executions.size;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
