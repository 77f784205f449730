/**
 * The trail (流程日志) grows with every comment, download and chase, so it is read a page at a
 * time. The routing slip (文件批办单) needs only the decisions taken at the steps and which steps
 * were entered or skipped: those entries are also kept on their own, and their number is bounded
 * by the steps a case passes, not by how much anyone writes.
 */
import type { TrailEntry } from './case.ts';

/** Entries the routing slip and the process view are made from. Comments, reads, downloads, scans and chases are not. */
const SLIP_ACTIONS: ReadonlySet<string> = new Set([
  'submit',
  'resubmit',
  'withdraw',
  'approve',
  'reject',
  'return',
  'transfer',
  'delegate',
  'add-signer-before',
  'add-signer-after',
  'circulate',
  'copy',
  'extend',
  'auto-approve',
  'auto-reject',
  'enter',
  'skip',
  'fallback',
  'number',
  'complete',
  'file',
  'grant',
  'destroy',
]);

/** The most routing-slip entries a case view carries (the latest): far more than any case's steps and decisions. */
export const SLIP_LIMIT = 300;

export function isSlipEntry(entry: Pick<TrailEntry, 'action'>): boolean {
  return SLIP_ACTIONS.has(entry.action);
}

/** How many of the latest entries the case view carries; earlier ones are paged (GET /api/cases/{id}/trail). */
export const TRAIL_PAGE = 50;

/** A page of the trail, oldest first, with a cursor to the entries before it. */
export interface TrailPage {
  readonly entries: TrailEntry[];
  readonly earlier?: string;
}
