/**
 * What the office's work tells the people who run it: structured log lines with the case, step,
 * execution and person they are about, and counters that become CloudWatch metrics (and alarms).
 * The domain says what happened; the adapter decides how it is written (Powertools in Lambda, a
 * readable line locally, a recording twin in tests).
 */

/** Things the office did, for the dashboard of its day (`OverdueAtSweep`: what the morning sweep found overdue). */
export type WorkCounter = 'CasesOpened' | 'CasesClosed' | 'Decisions' | 'Chases' | 'Escalations' | 'Filings' | 'UploadsRefused' | 'OverdueAtSweep';

/**
 * Failures a request or task survives (it still succeeds, the work is picked up later or by
 * someone else) and that nobody would otherwise see: each one raises an alarm.
 */
export type FailureCounter = 'DeliveryFailures' | 'StartFailures' | 'WakeFailures' | 'UnfilledRoles' | 'ScanTextFailures' | 'TidyFailures';

export const WORK_COUNTERS: readonly WorkCounter[] = ['CasesOpened', 'CasesClosed', 'Decisions', 'Chases', 'Escalations', 'Filings', 'UploadsRefused', 'OverdueAtSweep'];
export const FAILURE_COUNTERS: readonly FailureCounter[] = ['DeliveryFailures', 'StartFailures', 'WakeFailures', 'UnfilledRoles', 'ScanTextFailures', 'TidyFailures'];

/** Keys carried by every later line of the same invocation. */
export interface LogContext {
  readonly caseId?: string;
  readonly step?: string;
  readonly execution?: string;
  readonly personId?: string;
}

export interface Telemetry {
  /** Adds keys to every later line of this invocation (the adapter clears them between invocations). */
  annotate(context: LogContext): void;
  info(message: string, detail?: Readonly<Record<string, unknown>>): void;
  count(counter: WorkCounter, value?: number): void;
  /** A failure the caller survives: logged as an error with its context, and counted so an alarm sees it. */
  survived(counter: FailureCounter, message: string, error?: unknown, detail?: Readonly<Record<string, unknown>>): void;
}
