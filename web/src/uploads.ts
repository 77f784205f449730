/**
 * Scans go from the browser straight to S3: SHA-256 computed here (crypto.subtle), a presigned PUT
 * with a progress bar per file, then the API reads the file back and attaches it. A failed file
 * keeps its place with a retry button. The type and size rules are the API's own (file-types.ts).
 */
import { ALLOWED_TYPES, MAX_UPLOAD_BYTES, sniff } from '../../functions/domain/archive/file-types.ts';
import { ApiError, idempotencyKey, post } from './api.ts';
import { h, uid } from './dom.ts';
import { colon, formatBytes, localize, t } from './i18n.ts';
import type { Attachment } from './types.ts';

const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ofd: 'application/ofd',
};

/** The file's type by its first bytes, as the API will judge it; undefined if not accepted. */
async function typeOf(file: File): Promise<string | undefined> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const sniffed = sniff(head);
  if (sniffed) return sniffed;
  const declared = file.type || BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
  return declared && ALLOWED_TYPES.includes(declared) ? declared : undefined;
}

async function sha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** PUTs the bytes to the presigned URL, reporting progress (fetch cannot report upload progress). */
function put(url: string, headers: Record<string, string>, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => event.lengthComputable && onProgress(event.loaded / event.total));
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`HTTP ${xhr.status}`))));
    xhr.addEventListener('error', () => reject(new Error(t('uploadNetwork'))));
    xhr.addEventListener('abort', () => reject(new Error(t('uploadNetwork'))));
    xhr.send(file);
  });
}

/** Files chosen on the new-request form, handed to the case page once the case exists. */
const staged = new Map<string, File[]>();
export function stageFiles(caseId: string, files: readonly File[]): void {
  if (files.length > 0) staged.set(caseId, [...files]);
}
export function takeStagedFiles(caseId: string): File[] {
  const files = staged.get(caseId) ?? [];
  staged.delete(caseId);
  return files;
}

/** A drop zone with a file picker; calls `onFiles` with what was dropped or chosen. */
export function dropZone(onFiles: (files: File[]) => void, label = t('uploadTitle')): HTMLElement {
  const inputId = uid('files');
  const hintId = uid('files-hint');
  const input = h('input', {
    type: 'file',
    id: inputId,
    class: 'visually-hidden',
    multiple: true,
    accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,.ofd,application/pdf,image/jpeg,image/png,image/tiff',
    'aria-describedby': hintId,
    onchange: () => {
      onFiles([...(input.files ?? [])]);
      input.value = '';
    },
  });
  const zone = h(
    'div',
    { class: 'drop-zone' },
    h('p', { class: 'drop-title' }, label),
    h('p', null, t('dropHere'), ' ', h('label', { for: inputId, class: 'button-like' }, t('chooseFiles')), input),
    h('p', { class: 'muted small', id: hintId }, t('uploadTypes')),
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('drag-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('drag-over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('drag-over');
    onFiles([...(event.dataTransfer?.files ?? [])]);
  });
  return zone;
}

/** Checks a file against the API's rules before anything is sent; a message if it fails. */
export async function refusal(file: File): Promise<string | undefined> {
  if (file.size > MAX_UPLOAD_BYTES) return t('uploadTooLarge');
  if (file.size === 0 || !(await typeOf(file))) return t('uploadWrongType');
  return undefined;
}

/** The upload list of a case: each file with its own progress bar, status and retry. */
export function uploadPanel(caseId: string, onUploaded: (attachment: Attachment) => void): { element: HTMLElement; add: (files: File[]) => void } {
  // The list is not a live region: its progress bars change many times a second. Each file's
  // change of state (hashing, sending, verifying, done, failed) is said once on this line; the
  // percentage is the <progress> element's, read when the person looks for it.
  const list = h('ul', { class: 'upload-list' });
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const add = (files: File[]) => {
    for (const file of files) list.append(uploadItem(caseId, file, onUploaded, (state) => (announcer.textContent = `${file.name}${colon()}${state}`)));
  };
  const element = h('div', { class: 'uploader' }, dropZone(add), list, announcer);
  return { element, add };
}

function uploadItem(caseId: string, file: File, onUploaded: (attachment: Attachment) => void, announce: (state: string) => void): HTMLElement {
  const progress = h('progress', { max: 100, value: '0', 'aria-label': file.name });
  const state = h('span', { class: 'upload-state' });
  const retry = h('button', { type: 'button', hidden: true }, t('retry'));
  const item = h('li', { class: 'upload-item' }, h('span', { class: 'file-name' }, file.name), h('span', { class: 'muted small' }, formatBytes(file.size)), progress, state, retry);
  let digest: Promise<string> | undefined;

  const show = (text: string) => {
    state.textContent = text;
    announce(text);
  };
  const run = async () => {
    retry.hidden = true;
    item.classList.remove('failed');
    try {
      const refused = await refusal(file);
      if (refused) throw new Error(refused);
      const contentType = (await typeOf(file))!;
      show(t('uploadHashing'));
      digest ??= sha256(file);
      const hash = await digest;
      const asked = await post<{ uploadId: string; url: string; headers: Record<string, string> }>(
        `/api/cases/${encodeURIComponent(caseId)}/uploads`,
        { fileName: file.name, contentType, size: file.size, sha256: hash },
        { 'Idempotency-Key': idempotencyKey() },
      );
      show(t('uploadSending'));
      await put(asked.url, asked.headers, file, (fraction) => (progress.value = Math.round(fraction * 100)));
      progress.value = 100;
      show(t('uploadVerifying'));
      const attachment = await post<Attachment>(`/api/cases/${encodeURIComponent(caseId)}/uploads/${encodeURIComponent(asked.uploadId)}/complete`, {}, { 'Idempotency-Key': idempotencyKey() });
      show(t('uploadDone'));
      item.classList.add('done');
      onUploaded(attachment);
    } catch (error) {
      const message = error instanceof ApiError || error instanceof Error ? localize(error.message) : String(error);
      show(t('uploadFailed', { message }));
      item.classList.add('failed');
      retry.hidden = false;
      // A file the API refused for its type or size will not pass on a retry either.
      if (error instanceof ApiError && (error.status === 400 || error.status === 403) && error.field !== 'sha256') retry.hidden = true;
    }
  };
  retry.addEventListener('click', () => void run());
  void run();
  return item;
}
