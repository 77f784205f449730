/**
 * What one saved outcome adds to the office's counters, read from the trail entries it wrote and
 * the status it left the case in: the same record an inspector reads, so the dashboard and the
 * trail cannot disagree.
 */
import { WORK_COUNTERS, type Telemetry, type WorkCounter } from '../telemetry.ts';
import type { CaseRecord, TrailEntry } from './case.ts';

/** People's decisions on a step; comments, reads and downloads are not decisions. */
const DECISIONS = new Set([
  'approve',
  'reject',
  'return',
  'resubmit',
  'withdraw',
  'transfer',
  'delegate',
  'add-signer-before',
  'add-signer-after',
  'extend',
  'auto-approve',
  'auto-reject',
]);

const CHASES = new Set(['chase', 'remind']);

export function outcomeCounts(before: Pick<CaseRecord, 'status'> | undefined, after: Pick<CaseRecord, 'status'>, trail: readonly Pick<TrailEntry, 'action'>[]): Partial<Record<WorkCounter, number>> {
  const counts: Partial<Record<WorkCounter, number>> = {};
  const add = (counter: WorkCounter) => (counts[counter] = (counts[counter] ?? 0) + 1);
  if (!before) add('CasesOpened');
  if ((before?.status ?? 'open') === 'open' && after.status !== 'open') add('CasesClosed');
  for (const entry of trail) {
    if (DECISIONS.has(entry.action)) add('Decisions');
    else if (CHASES.has(entry.action)) add('Chases');
    else if (entry.action === 'escalate') add('Escalations');
    else if (entry.action === 'file') add('Filings');
  }
  return counts;
}

/** Counts a saved outcome; `before` is the case as it was read (none for a new case). */
export function countOutcome(telemetry: Telemetry, before: Pick<CaseRecord, 'status'> | undefined, outcome: { readonly case: Pick<CaseRecord, 'status'>; readonly trail: readonly Pick<TrailEntry, 'action'>[] }): void {
  const counts = outcomeCounts(before, outcome.case, outcome.trail);
  for (const counter of WORK_COUNTERS) if (counts[counter]) telemetry.count(counter, counts[counter]);
}
