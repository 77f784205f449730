/**
 * The archive's own objects in the bucket: daily trail digests, 四性检测 reports and handover
 * packages. Objects written `locked` are created once (If-None-Match) and, in AWS, kept under
 * Object Lock with a legal hold, so nobody can change or delete them; s3rver has no locks, and
 * locally only the create-once rule holds.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable, Transform } from 'node:stream';
import type { VaultStore } from '../../domain/ports.ts';
import { downloadLink } from './download-link.ts';
import type { LockMode } from './file-store.ts';
import { isMissing } from './missing.ts';

/** How long a locked object is retained (besides its legal hold): longer than any retention period. */
const LOCK_YEARS = 100;

export class S3VaultStore implements VaultStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly objectLock = false,
    private readonly lockMode: LockMode = 'GOVERNANCE',
  ) {}

  async create(key: string, bytes: Uint8Array, contentType: string, options: { locked?: boolean } = {}): Promise<boolean> {
    const until = new Date();
    until.setUTCFullYear(until.getUTCFullYear() + LOCK_YEARS);
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          IfNoneMatch: '*',
          ...(options.locked && this.objectLock ? { ObjectLockMode: this.lockMode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' as const } : {}),
        }),
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((error as { name?: string }).name === 'PreconditionFailed' || status === 412) return false;
      throw error;
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await object.Body!.transformToByteArray();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async upload(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<{ size: number }> {
    // Loaded here, not at import: every function builds this store, only the archive worker streams packages.
    const { Upload } = await import('@aws-sdk/lib-storage');
    let size = 0;
    // Counted on the way through: the upload is the stream's only reader.
    const counted = Readable.from(body).pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    // Parts of 16 MiB, two at a time: memory stays flat whatever the package's size.
    await new Upload({ client: this.s3, params: { Bucket: this.bucket, Key: key, Body: counted, ContentType: contentType }, partSize: 16 * 1024 * 1024, queueSize: 2 }).done();
    return { size };
  }

  presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string> {
    return downloadLink(this.s3, { bucket: this.bucket, key }, { name: fileName, contentType }, expiresIn);
  }
}
