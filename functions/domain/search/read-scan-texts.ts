/**
 * Reads the text of a case's scans, off the request path: the text layer of a PDF, OCR of an image
 * or an image-only page (adapters/text). A long file is read over several runs, each stopping
 * before its deadline and leaving where it stopped; the state written then is what starts the next
 * run (a change to the case's items, like any other). A file that cannot be read ends as failed,
 * with the reason, and may be tried again; the case itself never waits for any of it.
 */
import type { Caller, Deps, ScanTextState, ScanTextStore } from '../ports.ts';
import { attachmentKey } from '../archive/archive.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { canView } from '../cases/engine.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Attachment, CaseRecord } from '../cases/case.ts';
import { fingerprint, idempotentRepeatable } from '../idempotency.ts';
import { READABLE_TYPES, TEXT_LEASE_MS, textStateView } from './scan-text.ts';

export type ScanReading =
  | { readonly ok: true; readonly pages: string[]; readonly pageCount: number; readonly next?: number }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** Turns a file's bytes into the text of its pages (adapters/text/scan-reader.ts). */
export interface ScanReader {
  /** Pages from `fromPage` (1-based) on, stopping before a page that would start after `deadline`. */
  read(bytes: Uint8Array, contentType: string, options: { fromPage: number; deadline: number }): Promise<ScanReading>;
}

export interface ReadScanDeps extends Pick<Deps, 'cases' | 'files' | 'clock' | 'telemetry'> {
  readonly scanTexts: ScanTextStore;
  readonly reader: ScanReader;
}


/** A run holds a file this long at most; if it dies, the file may be taken up again after. */
const LEASE_MS = TEXT_LEASE_MS;

/** The scans of the case whose reading is due: never begun, or left off by a run that stopped in time. */
export function scansToRead(c: Pick<CaseRecord, 'attachments'>, states: readonly ScanTextState[], now: number): { file: Attachment; state?: ScanTextState }[] {
  const replaced = new Set((c.attachments ?? []).map((a) => a.replaces).filter(Boolean));
  return (c.attachments ?? [])
    .filter((a) => READABLE_TYPES.has(a.contentType) && !replaced.has(a.id))
    .map((file) => ({ file, state: states.find((s) => s.attachmentId === file.id) }))
    .filter(({ state }) => !state || (state.status === 'pending' && (state.leaseUntil ?? 0) < now));
}

/** Reads what is due of a case's scans until `deadline` (epoch ms); returns how many files it finished. */
export async function readScanTexts(deps: ReadScanDeps, caseId: string, deadline: number): Promise<number> {
  const c = await deps.cases.get(caseId);
  // Most changes are to cases without a file to read: their files' states are not read either.
  if (!c || scansToRead(c, [], deps.clock.now()).length === 0) return 0;
  let finished = 0;
  for (const { file, state } of scansToRead(c, await deps.scanTexts.states(caseId), deps.clock.now())) {
    // The deadline is the function's own time (real time, whatever the office clock says).
    if (Date.now() >= deadline) break;
    const claimed = waiting(caseId, file, state, { at: new Date(deps.clock.now()).toISOString(), leaseUntil: deps.clock.now() + LEASE_MS });
    // Another run took it first.
    if (!(await deps.scanTexts.transition(claimed))) continue;
    if (await readOne(deps, file, claimed, deadline)) finished++;
  }
  return finished;
}

/**
 * Marks what is due of a case's scans as waiting (a change of its own), so that a run that ran out
 * of time before reaching this case leaves work that starts the next run, not work nobody sees.
 */
export async function leaveForNextRun(deps: Pick<ReadScanDeps, 'cases' | 'scanTexts' | 'clock'>, caseId: string): Promise<void> {
  const c = await deps.cases.get(caseId);
  if (!c || scansToRead(c, [], deps.clock.now()).length === 0) return;
  for (const { file, state } of scansToRead(c, await deps.scanTexts.states(caseId), deps.clock.now())) {
    await deps.scanTexts.transition(waiting(caseId, file, state, { at: state?.at ?? new Date(deps.clock.now()).toISOString() }));
  }
}

/** The next state of a file due for reading: pending from where it left off, held by a run when `leaseUntil` is given. */
function waiting(caseId: string, file: Attachment, state: ScanTextState | undefined, change: Pick<ScanTextState, 'at' | 'leaseUntil'>): ScanTextState {
  return { caseId, attachmentId: file.id, status: 'pending', next: state?.next ?? 1, pages: state?.pages ?? 0, tries: state?.tries ?? 1, ...change, rev: (state?.rev ?? 0) + 1 };
}

async function readOne(deps: ReadScanDeps, file: Attachment, claimed: ScanTextState, deadline: number): Promise<boolean> {
  const settle = (change: Partial<ScanTextState>) =>
    deps.scanTexts.transition({ ...claimed, ...change, at: new Date(deps.clock.now()).toISOString(), leaseUntil: undefined, rev: claimed.rev + 1 });
  let reading: ScanReading;
  try {
    const bytes = await readAll((await deps.files.open(file.key)).body);
    reading = await deps.reader.read(bytes, file.contentType, { fromPage: claimed.next ?? 1, deadline });
  } catch (error) {
    // A fault of ours (the store, the reader), not of the file: said as such, and it may be tried again.
    deps.telemetry.survived('ScanTextFailures', 'Reading the text of a scan failed', error, { caseId: claimed.caseId, file: file.key });
    reading = { ok: false, reason: 'error', message: '读取文字时出错，请重试。The text could not be read because of an error: try again.' };
  }
  if (!reading.ok) {
    await settle({ status: 'failed', reason: reading.reason, message: reading.message, next: undefined });
    return true;
  }
  const key = attachmentKey(claimed.caseId, file.id);
  const earlier = (claimed.next ?? 1) > 1 ? ((await deps.scanTexts.pages(key)) ?? []).slice(0, (claimed.next ?? 1) - 1) : [];
  const pages = [...earlier, ...reading.pages];
  await deps.scanTexts.keepPages(key, pages);
  if (reading.next !== undefined) {
    // Left off in time: the state written now starts the next run from here.
    await settle({ status: 'pending', pages: pages.length, next: reading.next });
    return false;
  }
  await settle({ status: 'ready', pages: pages.length, next: undefined, reason: undefined, message: undefined });
  return true;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** 重新识别 reads and moves the scans' states only (no pages): the route needs no S3 client. */
type RetryDeps = Pick<Deps, 'cases' | 'org' | 'access' | 'clock' | 'archive'> & { readonly scanTexts: Pick<Deps['scanTexts'], 'states' | 'transition'> };

/**
 * 重新识别: reads a scan's text again after it failed (or its run died), for someone who may see
 * the case. Anything else is refused: a file being read is not started twice.
 */
export async function retryScanText(deps: RetryDeps, caller: Caller, caseId: string, attachmentId: string, idempotencyKey?: string) {
  // A retry of this request (the same key) gets the first answer rather than a 409.
  return idempotentRepeatable(deps.cases, caller, idempotencyKey, fingerprint('read-text', caseId, attachmentId), () => startAgain(deps, caller, caseId, attachmentId));
}

async function startAgain(deps: RetryDeps, caller: Caller, caseId: string, attachmentId: string) {
  const now = deps.clock.now();
  const [c, org, grants, states] = await Promise.all([deps.cases.get(caseId), loadOrgChart(deps), deps.access.grantsOf(caller.personId, now), deps.scanTexts.states(caseId)]);
  if (!c || !canView(c, org, caller.personId, grants)) throw new NotFoundError('没有这个案件。No such case.');
  const file = c.attachments?.find((a) => a.id === attachmentId);
  const replaced = c.attachments?.some((a) => a.replaces === attachmentId);
  // A replaced version's text is not read: only the latest version of a file is.
  if (!file || !READABLE_TYPES.has(file.contentType) || replaced) throw new NotFoundError('没有这个可识别文字的附件。No such attachment with text to read.');
  if ((await deps.archive.get(caseId))?.status === 'destroyed') throw new ConflictError('该件已销毁，文件已不存在。The item was destroyed: its files are gone.', 'destroyed');
  const state = states.find((s) => s.attachmentId === attachmentId);
  const stalled = state?.status === 'pending' && textStateView(state, now).canRetry;
  if (state && state.status !== 'failed' && !stalled) {
    throw new ConflictError(state.status === 'ready' ? '该文件的文字已识别完成。The text of this file has been read already.' : '该文件正在识别文字，请稍候。The text of this file is being read: wait a moment.', `text-${state.status}`);
  }
  const next: ScanTextState = { caseId, attachmentId, status: 'pending', next: 1, pages: 0, tries: (state?.tries ?? 0) + 1, at: new Date(now).toISOString(), rev: (state?.rev ?? 0) + 1 };
  if (!(await deps.scanTexts.transition(next))) throw new ConflictError('该文件的状态刚刚改变，请刷新后再试。The file’s state just changed: reload and try again.', 'text-changed');
  return { statusCode: 202, body: textStateView(next, now) };
}
