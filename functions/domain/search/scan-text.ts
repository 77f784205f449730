/** What is shown of reading a scan's text, and which files have text to read (shared with the web form's types). */
import type { ScanTextState } from '../ports.ts';

/** Types whose text is read. */
export const READABLE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff']);

/** How long a run may hold a file; a file pending longer than this with no run on it may be started again. */
export const TEXT_LEASE_MS = 16 * 60_000;

/** What the case page shows of a file's text: `canRetry` when 重新识别 would start it (failed, or stalled). */
export function textStateView(s: ScanTextState, now: number) {
  const stalled = s.status === 'pending' && (s.leaseUntil ?? 0) < now && Date.parse(s.at) < now - TEXT_LEASE_MS;
  return { status: s.status, pages: s.pages, reason: s.reason, message: s.message, at: s.at, tries: s.tries, canRetry: s.status === 'failed' || stalled };
}

/** A readable file with no state yet: pending, and worth starting by hand if it has waited past a run's time (attached before reading began). */
export function unreadView(attachedAt: string, now: number) {
  return { status: 'pending' as const, canRetry: Date.parse(attachedAt) < now - TEXT_LEASE_MS };
}
