/**
 * Scans go straight to S3 (never through a Lambda body): the client asks for a presigned upload,
 * declaring type, size and SHA-256; once it is there the file is read back and verified (size,
 * type sniffed from its bytes, checksum) before it is attached. A file that fails is removed and
 * nothing is attached; an abandoned upload expires.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { attachFile, canAttach, canView, recordDownload, type Outcome } from '../cases/engine.ts';
import type { Attachment, CaseRecord } from '../cases/case.ts';
import { engineContext, loadRules } from '../cases/rules.ts';
import { definitionVersion } from '../definitions/lookup.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../errors.ts';
import type { Caller, Deps } from '../ports.ts';
import { ALLOWED_TYPES, MAX_UPLOAD_BYTES, sniff } from './file-types.ts';

const UPLOAD_URL_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 5 * 60;

export const UploadRequestSchema = z.object({
  fileName: z
    .string({ error: '请提供文件名。fileName is required.' })
    .trim()
    .min(1, '请提供文件名。fileName is required.')
    .max(200, '文件名最多 200 字。At most 200 characters.')
    .refine((name) => !/[\\/\u0000-\u001f]/.test(name), '文件名不能包含 / \\ 或控制字符。No slashes or control characters.'),
  contentType: z.enum(ALLOWED_TYPES as [string, ...string[]], { error: `只接受 PDF、JPEG、PNG、TIFF、OFD 文件。Only ${ALLOWED_TYPES.join(', ')}.` }),
  size: z
    .number({ error: '请提供文件大小（字节）。size (bytes) is required.' })
    .int('文件大小须为整数字节。Whole bytes.')
    .min(1, '文件不能为空。The file is empty.')
    .max(MAX_UPLOAD_BYTES, `文件不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB。At most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`),
  sha256: z.string({ error: '请提供文件的 SHA-256。sha256 is required.' }).regex(/^[0-9a-f]{64}$/, 'SHA-256 须为 64 位小写十六进制。64 lowercase hex digits.'),
  replaces: z.string().max(60).optional(),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;


export async function requestUpload(deps: Deps, caller: Caller, caseId: string, file: UploadRequest) {
  const [c, { org }] = await Promise.all([deps.cases.get(caseId), loadRules(deps)]);
  if (!c || !canView(c, org, caller.personId)) throw new NotFoundError('没有这个案件。No such case.');
  if (!canAttach(c, org, caller.personId)) throw new ForbiddenError('您不能为此件添加附件。You may not add files to this case.');
  if (file.replaces && !c.attachments?.some((a) => a.id === file.replaces)) throw new ValidationError('没有要替换的附件。No such attachment to replace.', 'replaces');
  const now = deps.clock.now();
  const uploadId = deps.newId();
  const key = `uploads/${caseId}/${uploadId}`;
  await deps.uploads.put({ uploadId, caseId, personId: caller.personId, ...file, key, createdAt: new Date(now).toISOString(), expiresAt: Math.floor(now / 1000) + 86_400 });
  const url = await deps.files.presignPut(key, { contentType: file.contentType, size: file.size }, UPLOAD_URL_SECONDS);
  return { uploadId, url, method: 'PUT', headers: { 'Content-Type': file.contentType }, expiresAt: new Date(now + UPLOAD_URL_SECONDS * 1000).toISOString() };
}

/** Reads the object back: its size, the type its first bytes say, its SHA-256. */
async function inspect(deps: Deps, key: string) {
  const hash = createHash('sha256');
  let head = new Uint8Array(0);
  let size = 0;
  for await (const chunk of deps.files.read(key)) {
    if (head.length < 16) head = new Uint8Array([...head, ...chunk.subarray(0, 16 - head.length)]);
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, type: sniff(head), sha256: hash.digest('hex') };
}

/** Writes a change to a case, re-reading it if someone else changed it meanwhile. */
async function saveWithRetry(deps: Deps, caseId: string, change: (c: CaseRecord) => Outcome): Promise<CaseRecord> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.cases.get(caseId);
    if (!c) throw new NotFoundError('没有这个案件。No such case.');
    const outcome = change(c);
    try {
      await deps.cases.save(c, outcome);
      return outcome.case;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new ConflictError('该件正被频繁修改，请稍后再试。The case keeps changing: try again shortly.');
}

export async function completeUpload(deps: Deps, caller: Caller, caseId: string, uploadId: string): Promise<Attachment> {
  const upload = await deps.uploads.get(caseId, uploadId);
  if (!upload || upload.personId !== caller.personId) throw new NotFoundError('没有这个上传。No such upload.');
  const stat = await deps.files.stat(upload.key);
  if (!stat) throw new ConflictError('尚未收到文件，请先上传。The file has not arrived: upload it first.', 'not-uploaded');
  const refuse = async (field: string, message: string): Promise<never> => {
    // Nothing is attached, and what arrived is removed.
    await deps.files.remove(upload.key);
    await deps.uploads.remove(caseId, uploadId);
    throw new UnprocessableError('upload-rejected', message, field);
  };
  if (stat.size !== upload.size) await refuse('size', `文件大小（${stat.size} 字节）与申报的 ${upload.size} 字节不符。The file is ${stat.size} bytes, not the ${upload.size} declared.`);
  const found = await inspect(deps, upload.key);
  if (found.type !== upload.contentType) {
    await refuse('contentType', `文件内容不是申报的类型（${upload.contentType}）。The file's contents are not ${upload.contentType}${found.type ? ` but ${found.type}` : ''}.`);
  }
  if (found.sha256 !== upload.sha256) await refuse('sha256', '文件校验值不符，上传可能不完整，请重新上传。The SHA-256 does not match: upload it again.');

  const attachmentId = deps.newId();
  const key = `attachments/${caseId}/${attachmentId}`;
  await deps.files.copy(upload.key, key);
  const rules = await loadRules(deps);
  const file = { id: attachmentId, fileName: upload.fileName, contentType: upload.contentType, size: upload.size, sha256: upload.sha256, key, replaces: upload.replaces };
  const saved = await saveWithRetry(deps, caseId, (c) =>
    attachFile(c, engineContext(deps, rules, definitionVersion(c.type, c.definitionVersion)), caller.personId, file),
  );
  // A scan added after filing is kept as long as the rest of the item.
  const filed = saved.filedAt ? await deps.archive.get(caseId) : undefined;
  if (filed) await deps.files.retain(key, filed.retainUntil);
  await deps.files.remove(upload.key);
  await deps.uploads.remove(caseId, uploadId);
  return saved.attachments!.find((a) => a.id === attachmentId)!;
}

/** A short-lived download link, for someone who may see the case; every download is in the trail. */
export async function downloadAttachment(deps: Deps, caller: Caller, caseId: string, attachmentId: string) {
  const [c, rules, grants] = await Promise.all([deps.cases.get(caseId), loadRules(deps), deps.access.grantsOf(caller.personId, deps.clock.now())]);
  const file = c?.attachments?.find((a) => a.id === attachmentId);
  if (!c || !file) throw new NotFoundError('没有这个附件。No such attachment.');
  // A classified file refused outright (403); any other case the caller may not see stays unknown (404).
  await saveWithRetry(deps, caseId, (fresh) =>
    recordDownload(fresh, { ...engineContext(deps, rules, definitionVersion(fresh.type, fresh.definitionVersion)), grants }, caller.personId, attachmentId),
  );
  const url = await deps.files.presignGet(file.key, file.fileName, DOWNLOAD_URL_SECONDS);
  return { url, fileName: file.fileName, expiresAt: new Date(deps.clock.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString() };
}
