/** What is shown of reading a scan's text, and which files have text to read (shared with the web form's types). */
import type { ScanTextState } from '../ports.ts';

/** Types whose text is read. */
export const READABLE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff']);

/** What the case page shows of a file's text. */
export function textStateView(s: ScanTextState) {
  return { status: s.status, pages: s.pages, reason: s.reason, message: s.message, at: s.at, tries: s.tries };
}
