/**
 * Scans in S3: presigned uploads (the declared SHA-256 signed in, so S3 takes no other bytes) and
 * downloads, reading an upload back to verify it and copying exactly the version that was read.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  NotFound,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileLock, FileStore, ObjectIdentity } from '../../domain/ports.ts';
import { downloadLink } from './download-link.ts';

/** An object with no retention or hold set answers an error naming that, not an empty lock. */
function absentLock(error: unknown): undefined {
  const name = (error as { name?: string }).name ?? '';
  if (/NoSuchObjectLockConfiguration|ObjectLockConfigurationNotFound|InvalidRequest/.test(name)) return undefined;
  throw error;
}

/** How filed scans are locked (stage setting `lockMode`): GOVERNANCE by default, COMPLIANCE where the office wants none able to lift it. */
export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

/** A permanent item (永久) has no end date; in COMPLIANCE mode it is also retained this long, which no one can shorten. */
const PERMANENT_YEARS = 100;

const CHECKSUM_HEADER = 'x-amz-checksum-sha256';

export class S3FileStore implements FileStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Object Lock and versions: on in AWS; s3rver has neither, and the application enforces retention. */
    private readonly objectLock = false,
    private readonly lockMode: LockMode = 'GOVERNANCE',
  ) {}

  async presignPut(key: string, file: { contentType: string; size: number; sha256: string }, expiresIn: number) {
    const checksum = Buffer.from(file.sha256, 'hex').toString('base64');
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: file.contentType, ContentLength: file.size, ChecksumSHA256: checksum }),
      // Signed as headers the client must send (not hoisted into the query): S3 checks the body
      // against the checksum; the type is signed too, so the object is stored as what was verified.
      { expiresIn, unhoistableHeaders: new Set([CHECKSUM_HEADER]), signableHeaders: new Set(['content-type']) },
    );
    return { url, headers: { 'Content-Type': file.contentType, [CHECKSUM_HEADER]: checksum } };
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<{ body: AsyncIterable<Uint8Array>; identity: ObjectIdentity }> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return { body: object.Body as AsyncIterable<Uint8Array>, identity: { etag: object.ETag, versionId: object.VersionId } };
  }

  async copy(from: string, to: string, exact: ObjectIdentity): Promise<boolean> {
    const source = `${this.bucket}/${encodeURIComponent(from).replace(/%2F/g, '/')}`;
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          // The version read (AWS keeps versions); and its ETag, which S3 checks before copying.
          CopySource: exact.versionId ? `${source}?versionId=${encodeURIComponent(exact.versionId)}` : source,
          CopySourceIfMatch: exact.etag,
        }),
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // Changed since it was read, or gone (another completion already moved it).
      if ((error as { name?: string }).name === 'PreconditionFailed' || status === 412) return false;
      if ((error as { name?: string }).name === 'NoSuchKey' || status === 404) return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async retain(key: string, until: string | undefined): Promise<void> {
    if (!this.objectLock) return;
    if (until) {
      await this.s3.send(new PutObjectRetentionCommand({ Bucket: this.bucket, Key: key, Retention: { Mode: this.lockMode, RetainUntilDate: new Date(until) } }));
    } else {
      await this.s3.send(new PutObjectLegalHoldCommand({ Bucket: this.bucket, Key: key, LegalHold: { Status: 'ON' } }));
      if (this.lockMode === 'COMPLIANCE') {
        // A legal hold can be lifted by whoever may lift it; compliance retention by no one.
        const until = new Date();
        until.setUTCFullYear(until.getUTCFullYear() + PERMANENT_YEARS);
        await this.s3.send(new PutObjectRetentionCommand({ Bucket: this.bucket, Key: key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } }));
      }
    }
  }

  async destroy(key: string): Promise<void> {
    if (!this.objectLock) return this.remove(key);
    // A versioned bucket keeps old versions behind a delete marker: destruction removes each one.
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (v.Key === key) await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId: v.VersionId }));
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }

  async lockOf(key: string): Promise<FileLock | undefined> {
    if (!(await this.stat(key))) return undefined;
    if (!this.objectLock) return { by: 'application' };
    const [retention, hold] = await Promise.all([
      this.s3.send(new GetObjectRetentionCommand({ Bucket: this.bucket, Key: key })).catch(absentLock),
      this.s3.send(new GetObjectLegalHoldCommand({ Bucket: this.bucket, Key: key })).catch(absentLock),
    ]);
    return {
      by: 'object-lock',
      ...(retention?.Retention?.Mode ? { mode: retention.Retention.Mode } : {}),
      ...(retention?.Retention?.RetainUntilDate ? { retainUntil: retention.Retention.RetainUntilDate.toISOString() } : {}),
      legalHold: hold?.LegalHold?.Status === 'ON',
    };
  }

  presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string> {
    return downloadLink(this.s3, { bucket: this.bucket, key }, { name: fileName, contentType }, expiresIn);
  }
}
