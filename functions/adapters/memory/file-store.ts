/**
 * Scanned files in memory, with S3FileStore's contract: a presigned PUT takes exactly the declared
 * bytes (`receive` plays the client's upload through it), a copy copies exactly the version read
 * or nothing, and locks are the application's (`by: 'application'`), as locally.
 */
import { createHash } from 'node:crypto';
import type { FileLock, FileStore, ObjectIdentity } from '../../domain/ports.ts';
import { chunks, type MemoryBucket } from './bucket.ts';
import { roundTrip } from './items.ts';

const BASE = 'https://memory.invalid/bucket/';
const CHECKSUM_HEADER = 'x-amz-checksum-sha256';

export class MemoryFileStore implements FileStore {
  /** What each presigned PUT allows, by key. */
  private readonly presigned = new Map<string, { contentType: string; size: number; sha256: string; expiresAt: number }>();

  constructor(
    private readonly bucket: MemoryBucket,
    private readonly now: () => number,
  ) {}

  async presignPut(key: string, file: { contentType: string; size: number; sha256: string }, expiresIn: number): Promise<{ url: string; headers: Record<string, string> }> {
    await roundTrip();
    this.presigned.set(key, { ...file, expiresAt: this.now() + expiresIn * 1000 });
    const checksum = Buffer.from(file.sha256, 'hex').toString('base64');
    return { url: `${BASE}${encodeURIComponent(key)}?X-Amz-Expires=${expiresIn}`, headers: { 'Content-Type': file.contentType, [CHECKSUM_HEADER]: checksum } };
  }

  /**
   * The client's PUT to a presigned URL: refused (false) unless the bytes, their type and size are
   * exactly those signed and the URL has not expired, as S3 would refuse them.
   */
  receive(url: string, bytes: Uint8Array, contentType: string): boolean {
    if (!url.startsWith(BASE)) return false;
    const key = decodeURIComponent(url.slice(BASE.length).split('?')[0]!);
    const signed = this.presigned.get(key);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (!signed || signed.expiresAt < this.now() || signed.contentType !== contentType || signed.size !== bytes.length || signed.sha256 !== sha256) return false;
    this.bucket.put(key, bytes, contentType);
    return true;
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    await roundTrip();
    const object = this.bucket.get(key);
    return object ? { size: object.bytes.length } : undefined;
  }

  async open(key: string): Promise<{ body: AsyncIterable<Uint8Array>; identity: ObjectIdentity }> {
    await roundTrip();
    const object = this.bucket.get(key);
    if (!object) throw Object.assign(new Error(`NoSuchKey: ${key}`), { name: 'NoSuchKey' });
    return { body: chunks(object.bytes), identity: { etag: object.etag, versionId: object.versionId } };
  }

  async copy(from: string, to: string, exact: ObjectIdentity): Promise<boolean> {
    await roundTrip();
    const object = this.bucket.get(from);
    // Changed since it was read, or gone (another completion already moved it).
    if (!object || (exact.versionId !== undefined && exact.versionId !== object.versionId) || (exact.etag !== undefined && exact.etag !== object.etag)) return false;
    this.bucket.put(to, object.bytes, object.contentType);
    return true;
  }

  async remove(key: string): Promise<void> {
    await roundTrip();
    this.bucket.delete(key);
  }

  async retain(key: string, until: string | undefined): Promise<void> {
    await roundTrip();
    this.bucket.update(key, until ? { retainUntil: until } : { legalHold: true });
  }

  async destroy(key: string): Promise<void> {
    await roundTrip();
    this.bucket.delete(key);
  }

  async lockOf(key: string): Promise<FileLock | undefined> {
    await roundTrip();
    return this.bucket.get(key) ? { by: 'application' } : undefined;
  }

  async presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string> {
    await roundTrip();
    const query = new URLSearchParams({
      'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'response-content-type': contentType,
      'X-Amz-Expires': String(expiresIn),
    });
    return `${BASE}${encodeURIComponent(key)}?${query}`;
  }
}
