/**
 * Scans go straight to S3 (never through a Lambda body): the client asks for a presigned upload,
 * declaring type, size and SHA-256; once it is there the file is read back and verified (size,
 * type sniffed from its bytes, checksum) before it is attached. A file that fails is removed and
 * nothing is attached; an abandoned upload expires.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { attachFile, canAttach, canView, recordDownload, type Outcome } from '../cases/engine.ts';
import { attachmentKey } from './archive.ts';
import { checkRoomForFile } from '../cases/activity.ts';
import type { CaseRecord } from '../cases/case.ts';
import { engineContext, loadRules } from '../cases/rules.ts';
import { saveOutcome } from '../cases/save-outcome.ts';
import { definitionVersion } from '../definitions/lookup.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnprocessableError, ValidationError } from '../errors.ts';
import { fingerprint, idempotent, type Response } from '../idempotency.ts';
import { hasUnsafeCharacters } from '../text.ts';
import type { Caller, Deps, Idempotency, PendingUpload } from '../ports.ts';
import { ALLOWED_TYPES, MAX_UPLOAD_BYTES, sniff } from './file-types.ts';

const UPLOAD_URL_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 5 * 60;

export const UploadRequestSchema = z.object({
  fileName: z.string({ error: '请提供文件名。fileName is required.' }).check(
    z.trim(),
    z.minLength(1, '请提供文件名。fileName is required.'),
    z.maxLength(200, '文件名最多 200 字。At most 200 characters.'),
    z.refine((name) => !/[\\/]/.test(name) && !hasUnsafeCharacters(name, false), '文件名不能包含 / \\、控制字符或不可见的方向字符。No slashes, control or invisible direction characters.'),
    z.refine((name) => !/^\.+$/.test(name), '文件名无效。Not a file name.'),
  ),
  contentType: z.enum(ALLOWED_TYPES as [string, ...string[]], { error: `只接受 PDF、JPEG、PNG、TIFF、OFD 文件。Only ${ALLOWED_TYPES.join(', ')}.` }),
  size: z.number({ error: '请提供文件大小（字节）。size (bytes) is required.' }).check(
    z.int('文件大小须为整数字节。Whole bytes.'),
    z.gte(1, '文件不能为空。The file is empty.'),
    z.lte(MAX_UPLOAD_BYTES, `文件不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB。At most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`),
  ),
  sha256: z.string({ error: '请提供文件的 SHA-256。sha256 is required.' }).check(z.regex(/^[0-9a-f]{64}$/, '文件校验值（SHA-256）须为 64 位小写十六进制。sha256: 64 lowercase hex digits.')),
  replaces: z.optional(z.string().check(z.maxLength(60))),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

/** Uploads one person may ask for in an hour: each may put 200 MB into the bucket until it expires. */
export const UPLOADS_PER_HOUR = 300;

type FileDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'access' | 'archive' | 'files' | 'uploads' | 'limits' | 'clock' | 'newId' | 'telemetry'>;

export async function requestUpload(deps: FileDeps, caller: Caller, caseId: string, file: UploadRequest, idempotencyKey?: string) {
  return idempotent(deps.cases, caller, idempotencyKey, fingerprint('upload', caseId, file), async (record) => {
    const [c, { org }] = await Promise.all([deps.cases.get(caseId), loadRules(deps)]);
    if (!c || !canView(c, org, caller.personId)) throw new NotFoundError('没有这个案件。No such case.');
    if (!canAttach(c, org, caller.personId)) throw new ForbiddenError('您不能为此件添加附件。You may not add files to this case.');
    if (file.replaces && !c.attachments?.some((a) => a.id === file.replaces)) throw new ValidationError('没有要替换的附件。No such attachment to replace.', 'replaces');
    checkRoomForFile(c);
    const now = deps.clock.now();
    if (!(await deps.limits.take(`uploads#${caller.personId}`, UPLOADS_PER_HOUR, 3600, now))) {
      throw new RateLimitedError(`一小时内最多上传 ${UPLOADS_PER_HOUR} 个文件，请稍后再试。At most ${UPLOADS_PER_HOUR} uploads an hour: try again later.`, 3600 - Math.floor((now / 1000) % 3600));
    }
    const uploadId = deps.newId();
    const key = `uploads/${caseId}/${uploadId}`;
    const signed = await deps.files.presignPut(key, { contentType: file.contentType, size: file.size, sha256: file.sha256 }, UPLOAD_URL_SECONDS);
    const response = {
      statusCode: 201,
      body: { uploadId, url: signed.url, method: 'PUT', headers: signed.headers, expiresAt: new Date(now + UPLOAD_URL_SECONDS * 1000).toISOString() },
    };
    await deps.uploads.put({ uploadId, caseId, personId: caller.personId, ...file, key, createdAt: new Date(now).toISOString(), expiresAt: Math.floor(now / 1000) + 86_400 }, record(response));
    return response;
  });
}

/** Reads the object back: its size, the type its first bytes say, its SHA-256, and which version was read. */
async function inspect(deps: FileDeps, key: string) {
  const hash = createHash('sha256');
  let head = new Uint8Array(0);
  let size = 0;
  const object = await deps.files.open(key);
  for await (const chunk of object.body) {
    if (head.length < 16) head = new Uint8Array([...head, ...chunk.subarray(0, 16 - head.length)]);
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, type: sniff(head), sha256: hash.digest('hex'), identity: object.identity };
}

/** Writes a change to a case, re-reading it if someone else changed it meanwhile. */
async function saveWithRetry(
  deps: FileDeps,
  caseId: string,
  change: (c: CaseRecord) => Outcome,
  idempotency?: (saved: CaseRecord) => Idempotency | undefined,
  consumesUpload?: string,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.cases.get(caseId);
    if (!c) throw new NotFoundError('没有这个案件。No such case.');
    const outcome = change(c);
    // Attaching or reading a file tells nobody: these ports cannot deliver (notify.ts), so a change
    // that would is refused before anything is written rather than saved with its news unsent.
    if (outcome.notifications.length > 0) throw new Error(`A file's change on ${caseId} would tell people, and is not delivered here`);
    try {
      await saveOutcome(deps, c, outcome, { idempotency: idempotency?.({ ...outcome.case, version: c.version + 1 }), consumesUpload });
      return outcome.case;
    } catch (error) {
      if (!(error instanceof ConflictError) || error.code !== 'stale-version') throw error;
    }
  }
  throw new ConflictError('该件正被频繁修改，请稍后再试。The case keeps changing: try again shortly.');
}

/**
 * Verifies an upload and attaches exactly the bytes verified: S3 took only bytes matching the
 * declared SHA-256 (it is signed into the upload URL), and the copy names the version that was
 * read, so bytes sent again while this runs are never what gets attached.
 */
export async function completeUpload(deps: FileDeps, caller: Caller, caseId: string, uploadId: string, idempotencyKey?: string) {
  return idempotent(deps.cases, caller, idempotencyKey, fingerprint('complete', caseId, uploadId), async (record) => {
    const upload = await deps.uploads.get(caseId, uploadId);
    // Past its day it is forgotten, whether or not TTL has deleted it yet (AWS does so up to days later; locally, never).
    if (!upload || upload.personId !== caller.personId || upload.expiresAt * 1000 <= deps.clock.now()) throw new NotFoundError('没有这个上传。No such upload.');
    // One completion at a time: a second one (a double click, a retry) is told, not run alongside.
    if (!(await deps.uploads.claim(caseId, uploadId, caller.personId, deps.clock.now(), CLAIM_LAPSES_MS))) {
      if (!(await deps.uploads.get(caseId, uploadId))) throw new NotFoundError('没有这个上传（可能已附加）。No such upload (it may be attached already).');
      throw new ConflictError('该文件正在校验，请稍候。This file is being checked already: wait a moment.', 'upload-in-progress');
    }
    let settled = false;
    try {
      const response = await verifyAndAttach(deps, caller, upload, record);
      settled = true;
      return response;
    } catch (error) {
      settled = error instanceof UnprocessableError && error.code === 'upload-rejected';
      throw error;
    } finally {
      // Refused or attached, the upload is done with; a failure that was not the file's lets a retry try again.
      if (!settled) await deps.uploads.release(caseId, uploadId).catch(() => undefined);
    }
  });
}

/** A claimed completion lapses after this long (a crashed one must not block the file for ever). */
const CLAIM_LAPSES_MS = 5 * 60_000;

async function verifyAndAttach(deps: FileDeps, caller: Caller, upload: PendingUpload, record: (response: Response) => Idempotency | undefined): Promise<Response> {
  const { caseId, uploadId } = upload;
  const stat = await deps.files.stat(upload.key);
  if (!stat) throw new ConflictError('尚未收到文件，请先上传。The file has not arrived: upload it first.', 'not-uploaded');
  const refuse = async (field: string, message: string): Promise<never> => {
    // Nothing is attached, and what arrived is removed.
    await deps.files.remove(upload.key);
    await deps.uploads.remove(caseId, uploadId);
    deps.telemetry.count('UploadsRefused');
    deps.telemetry.info('Upload refused', { caseId, field });
    throw new UnprocessableError('upload-rejected', message, field);
  };
  if (stat.size !== upload.size) await refuse('size', `文件大小（${stat.size} 字节）与申报的 ${upload.size} 字节不符。The file is ${stat.size} bytes, not the ${upload.size} declared.`);
  const found = await inspect(deps, upload.key);
  if (found.size !== upload.size) await refuse('size', `文件大小（${found.size} 字节）与申报的 ${upload.size} 字节不符。The file is ${found.size} bytes, not the ${upload.size} declared.`);
  if (found.type !== upload.contentType) {
    await refuse('contentType', `文件内容不是申报的类型（${upload.contentType}）。The file's contents are not ${upload.contentType}${found.type ? ` but ${found.type}` : ''}.`);
  }
  if (found.sha256 !== upload.sha256) await refuse('sha256', '文件校验值不符，上传可能不完整，请重新上传。The SHA-256 does not match: upload it again.');

  const attachmentId = deps.newId();
  const key = attachmentKey(caseId, attachmentId);
  if (!(await deps.files.copy(upload.key, key, found.identity))) {
    await refuse('file', '文件在校验期间被再次上传，未予附加，请重新上传。The file was sent again while it was being checked: nothing was attached; upload it again.');
  }
  const rules = await loadRules(deps);
  const file = { id: attachmentId, fileName: upload.fileName, contentType: upload.contentType, size: upload.size, sha256: upload.sha256, key, replaces: upload.replaces };
  // A scan added to a filed item is kept as long as the rest of it: locked before it is attached.
  const filed = await deps.archive.get(caseId);
  if (filed) await deps.files.retain(key, filed.retainUntil);
  let response: Response | undefined;
  let saved: CaseRecord;
  try {
    saved = await saveWithRetry(
      deps,
      caseId,
      (c) => attachFile(c, engineContext(deps, rules, definitionVersion(c.type, c.definitionVersion)), caller.personId, file),
      (next) => record((response = { statusCode: 200, body: next.attachments!.find((a) => a.id === attachmentId)! })),
      uploadId,
    );
  } catch (error) {
    // Not attached: the copy goes too (a locked one stays, unreferenced, as S3 keeps it).
    await deps.files.remove(key).catch(() => undefined);
    throw error;
  }
  // Attached, and the pending upload gone with it: what follows only tidies up, and may fail without harm.
  try {
    if (!filed && saved.filedAt) {
      // Filed while this ran.
      const item = await deps.archive.get(caseId);
      if (item) await deps.files.retain(key, item.retainUntil);
    }
    await deps.files.remove(upload.key);
  } catch (error) {
    deps.telemetry.survived('TidyFailures', 'A file was attached; tidying up after it failed', error, { caseId, attachmentId });
  }
  return response ?? { statusCode: 200, body: saved.attachments!.find((a) => a.id === attachmentId)! };
}

/** A short-lived download link, for someone who may see the case; every download is in the trail. */
export async function downloadAttachment(deps: FileDeps, caller: Caller, caseId: string, attachmentId: string, idempotencyKey?: string) {
  return idempotent(deps.cases, caller, idempotencyKey, fingerprint('download', caseId, attachmentId), async (record) => {
    const [c, rules, grants] = await Promise.all([deps.cases.get(caseId), loadRules(deps), deps.access.grantsOf(caller.personId, deps.clock.now())]);
    const file = c?.attachments?.find((a) => a.id === attachmentId);
    if (!c || !file) throw new NotFoundError('没有这个附件。No such attachment.');
    const url = await deps.files.presignGet(file.key, file.fileName, file.contentType, DOWNLOAD_URL_SECONDS);
    const response = { statusCode: 200, body: { url, fileName: file.fileName, expiresAt: new Date(deps.clock.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString() } };
    // A classified file refused outright (403); any other case the caller may not see stays unknown (404).
    await saveWithRetry(
      deps,
      caseId,
      (fresh) => recordDownload(fresh, { ...engineContext(deps, rules, definitionVersion(fresh.type, fresh.definitionVersion)), grants }, caller.personId, attachmentId),
      () => record(response),
    );
    return response;
  });
}
