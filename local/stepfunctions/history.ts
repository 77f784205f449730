/**
 * Execution histories of the local engine, as GetExecutionHistory answers them: events numbered
 * from 1, each linked to the one before, in memory and bounded. An execution keeps its first event
 * (ExecutionStarted) and its latest MAX_EVENTS; once it has ended for HISTORY_RETENTION_MS (on the
 * engine's clock) only its first and last events are kept, so a local system left running for
 * days holds a few events per old execution, not its whole past. AWS keeps 25,000 events for
 * 90 days; a case's execution here writes about 13 events per human step.
 */

/** Events kept per execution besides its first: a case's last 75 or so steps. */
export const MAX_EVENTS = 1000;
/** How long the whole history of an ended execution is kept. */
export const HISTORY_RETENTION_MS = 24 * 3_600_000;
/** Inputs and outputs longer than this are cut in the history (`truncated: true`), as AWS cuts at 256 KB. */
export const MAX_DATA_CHARS = 32 * 1024;

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Milliseconds on the engine's clock; the API answers epoch seconds. */
  readonly timestamp: number;
  readonly type: string;
  /** The event's `…EventDetails` member, named as the API names it (e.g. `stateEnteredEventDetails`). */
  readonly details?: { readonly key: string; readonly value: Record<string, unknown> };
}

/** A JSON text for the history, cut at MAX_DATA_CHARS, with the `…Details` member AWS puts beside it. */
export function data(field: 'input' | 'output', json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  const truncated = json.length > MAX_DATA_CHARS;
  return { [field]: truncated ? json.slice(0, MAX_DATA_CHARS) : json, [`${field}Details`]: { truncated } };
}

export class ExecutionHistory {
  private readonly events: HistoryEvent[] = [];
  private lastId = 0;
  private closed = false;

  constructor(private readonly now: () => number) {}

  /** Appends an event; nothing is added once the execution's last event is written. */
  add(type: string, details?: { key: string; value: Record<string, unknown> }, timestamp = this.now()): void {
    if (this.closed) return;
    this.lastId += 1;
    this.events.push({ id: this.lastId, previousEventId: this.lastId - 1, timestamp, type, details });
    // The first event (the execution's input) stays; the oldest after it make room.
    if (this.events.length > MAX_EVENTS + 1) this.events.splice(1, this.events.length - MAX_EVENTS - 1);
  }

  /** Writes the execution's last event: nothing follows it. */
  close(type: string, details?: { key: string; value: Record<string, unknown> }): void {
    this.add(type, details);
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Drops everything between the first and the last event (an execution that ended long ago). */
  compact(): void {
    if (this.events.length > 2) this.events.splice(1, this.events.length - 2);
  }

  /** Up to `limit` events after (or, reversed, before) the event `from`; `next` when more remain. */
  page(options: { limit: number; reverse: boolean; from?: number }): { events: HistoryEvent[]; next?: number } {
    const { limit, reverse, from } = options;
    const ordered = reverse ? [...this.events].reverse() : this.events;
    const rest = from === undefined ? ordered : ordered.filter((e) => (reverse ? e.id < from : e.id > from));
    const events = rest.slice(0, limit);
    return { events, next: rest.length > limit ? events.at(-1)!.id : undefined };
  }
}

/** The histories of every execution the engine knows, and the forgetting of old ones. */
export class Histories {
  private readonly byArn = new Map<string, ExecutionHistory>();
  /** Ended executions, in the order they ended, whose full history is still kept. */
  private readonly ended: { arn: string; at: number }[] = [];

  constructor(private readonly now: () => number) {}

  open(arn: string): ExecutionHistory {
    this.forgetOld();
    const history = new ExecutionHistory(this.now);
    this.byArn.set(arn, history);
    return history;
  }

  get(arn: string): ExecutionHistory | undefined {
    return this.byArn.get(arn);
  }

  /** The execution ended now: its full history is kept for HISTORY_RETENTION_MS more. */
  closed(arn: string): void {
    this.ended.push({ arn, at: this.now() });
    this.forgetOld();
  }

  private forgetOld(): void {
    const before = this.now() - HISTORY_RETENTION_MS;
    while (this.ended.length > 0 && this.ended[0]!.at < before) this.byArn.get(this.ended.shift()!.arn)?.compact();
  }
}
