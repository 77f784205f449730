/** Uploads asked for and not yet attached, with DynamoUploadStore's contract: one record per upload, one completion at a time. */
import { ConflictError } from '../../domain/errors.ts';
import type { Idempotency, PendingUpload, UploadStore } from '../../domain/ports.ts';
import type { MemoryIdempotency } from './idempotency.ts';
import { copy, roundTrip } from './items.ts';

interface StoredUpload {
  readonly upload: PendingUpload;
  readonly claimedAt?: number;
}

export class MemoryUploadStore implements UploadStore {
  private readonly uploads = new Map<string, StoredUpload>();

  constructor(private readonly idempotency: MemoryIdempotency) {}

  async put(upload: PendingUpload, idempotency?: Idempotency): Promise<void> {
    await roundTrip();
    const id = this.id(upload.caseId, upload.uploadId);
    // One write with the request's idempotency record: either both or neither.
    if (this.uploads.has(id) || (idempotency && this.idempotency.has(idempotency.personId, idempotency.key))) {
      throw new ConflictError('请求重复，请重试。A concurrent request got there first: try again.', 'conflict');
    }
    this.uploads.set(id, { upload: copy(upload) });
    if (idempotency) this.idempotency.put(idempotency);
  }

  async get(caseId: string, uploadId: string): Promise<PendingUpload | undefined> {
    await roundTrip();
    return copy(this.uploads.get(this.id(caseId, uploadId))?.upload);
  }

  async claim(caseId: string, uploadId: string, personId: string, now: number, staleAfterMs: number): Promise<boolean> {
    await roundTrip();
    const stored = this.uploads.get(this.id(caseId, uploadId));
    // Only the person who asked, and only one completion at a time (a claim left by a crash lapses).
    if (!stored || stored.upload.personId !== personId || (stored.claimedAt !== undefined && stored.claimedAt >= now - staleAfterMs)) return false;
    this.uploads.set(this.id(caseId, uploadId), { ...stored, claimedAt: now });
    return true;
  }

  async release(caseId: string, uploadId: string): Promise<void> {
    await roundTrip();
    const stored = this.uploads.get(this.id(caseId, uploadId));
    if (stored) this.uploads.set(this.id(caseId, uploadId), { upload: stored.upload });
  }

  async remove(caseId: string, uploadId: string): Promise<void> {
    await roundTrip();
    this.drop(caseId, uploadId);
  }

  /** Whether the upload is still there (the case twin checks it inside the write that attaches it). */
  has(caseId: string, uploadId: string): boolean {
    return this.uploads.has(this.id(caseId, uploadId));
  }

  drop(caseId: string, uploadId: string): void {
    this.uploads.delete(this.id(caseId, uploadId));
  }

  private id(caseId: string, uploadId: string): string {
    return `${caseId}#${uploadId}`;
  }
}
