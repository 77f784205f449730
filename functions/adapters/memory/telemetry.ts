/** Telemetry that records instead of writing: what a use case logged and counted, for tests to read. */
import type { FailureCounter, LogContext, Telemetry, WorkCounter } from '../../domain/telemetry.ts';

export class MemoryTelemetry implements Telemetry {
  readonly context: LogContext[] = [];
  readonly lines: { message: string; detail?: Readonly<Record<string, unknown>> }[] = [];
  readonly counts = new Map<WorkCounter | FailureCounter, number>();
  readonly failures: { counter: FailureCounter; message: string; error?: unknown }[] = [];

  annotate(context: LogContext): void {
    this.context.push({ ...context });
  }

  info(message: string, detail?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ message, detail });
  }

  count(counter: WorkCounter, value = 1): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + value);
  }

  survived(counter: FailureCounter, message: string, error?: unknown, detail?: Readonly<Record<string, unknown>>): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + 1);
    this.failures.push({ counter, message, error });
    this.lines.push({ message, detail });
  }
}
