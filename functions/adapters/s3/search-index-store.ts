/**
 * The search index in S3: one gzipped SQLite database per year (`search/<year>.sqlite.gz`) and a small
 * manifest naming each year's current version. Readers fetch the manifest on each query and a
 * shard only when its version changed since they last read it, so a warm function answers from
 * memory. Only the indexer writes, shard first, then the manifest, so a reader never sees a
 * manifest naming a shard not yet written. Its batches run one at a time per stream shard, and two
 * may still overlap: every write is conditional on the object being as it was read (S3 If-Match),
 * and a batch that lost the race is applied again on what won (StaleIndexError).
 */
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isMissing } from './missing.ts';
import { StaleIndexError, type SearchIndexStore } from '../../domain/ports.ts';
import { SearchShard } from '../../domain/search/search-index.ts';

const zip = promisify(gzip);
const unzip = promisify(gunzip);

export const SEARCH_PREFIX = 'search/';

interface Manifest {
  readonly years: Record<string, { readonly version: string; readonly cases: number; readonly bytes: number; readonly at: string }>;
}


export class S3SearchIndexStore implements SearchIndexStore {
  private readonly loaded = new Map<number, { version: string; shard: SearchShard; etag?: string }>();
  private manifest: Promise<Read<Manifest>> | undefined;
  private manifestAt = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async years(): Promise<number[]> {
    // Read again when older than a few seconds: a busy office changes the index every few seconds,
    // and each new version of a year is read whole.
    if (!this.manifest || Date.now() - this.manifestAt > MANIFEST_TTL_MS) {
      this.manifest = this.readManifest();
      this.manifestAt = Date.now();
    }
    return Object.keys((await this.manifest).value.years).map(Number).sort();
  }

  async shard(year: number): Promise<SearchShard> {
    const manifest = (await (this.manifest ??= this.readManifest())).value;
    const version = manifest.years[year]?.version;
    const cached = this.loaded.get(year);
    if (cached && (version === undefined || cached.version === version)) return cached.shard;
    // Read even when the manifest names no version: a save may have written the shard and not the
    // manifest (it failed in between); writing over it must start from what is there.
    const stored = await this.readShard(year);
    if (!stored) return this.keep(year, 'empty', await SearchShard.open());
    return this.keep(year, stored.version, await SearchShard.open(stored.bytes), stored.etag);
  }

  async save(year: number, shard: SearchShard): Promise<void> {
    const version = `${Date.now()}-${randomUUID().slice(0, 8)}`;
    const body = await zip(shard.serialize(), { level: 1 });
    const etag = await this.put(shardKey(year), body, 'application/gzip', this.loaded.get(year)?.etag, year, version);
    const current = await this.readManifest();
    const next: Manifest = { years: { ...current.value.years, [year]: { version, cases: shard.caseCount, bytes: body.length, at: new Date().toISOString() } } };
    await this.put(MANIFEST, Buffer.from(JSON.stringify(next)), 'application/json', current.etag, year);
    this.manifest = Promise.resolve({ value: next });
    this.manifestAt = Date.now();
    this.keep(year, version, shard, etag);
  }

  /** Writes only over what was read (or where nothing was); otherwise another indexer won: StaleIndexError. */
  private async put(key: string, body: Buffer, contentType: string, etag: string | undefined, year: number, version?: string): Promise<string | undefined> {
    try {
      const put = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...(version ? { Metadata: { version } } : {}),
          ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
        }),
      );
      return put.ETag;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || status === 409) {
        // Read again next time: what is cached is what lost.
        this.forget(year);
        this.manifest = undefined;
        this.manifestAt = 0;
        throw new StaleIndexError(key);
      }
      throw error;
    }
  }

  private keep(year: number, version: string, shard: SearchShard, etag?: string): SearchShard {
    const previous = this.loaded.get(year);
    this.loaded.set(year, { version, shard, etag });
    if (previous && previous.shard !== shard) retire(previous.shard);
    return shard;
  }

  private forget(year: number): void {
    const previous = this.loaded.get(year);
    this.loaded.delete(year);
    if (previous) retire(previous.shard);
  }

  /** A shard's bytes and the version they are (kept as the object's metadata). */
  private async readShard(year: number): Promise<{ bytes: Uint8Array; version: string; etag?: string } | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: shardKey(year) }));
      const bytes = await unzip(Buffer.from(await object.Body!.transformToByteArray()));
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), version: object.Metadata?.version ?? object.ETag ?? 'unknown', etag: object.ETag };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private async readManifest(): Promise<Read<Manifest>> {
    return (await this.read<Manifest>(MANIFEST)) ?? { value: { years: {} } };
  }

  private async read<T>(key: string): Promise<Read<T> | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      return { value: JSON.parse(bytes.toString('utf8')) as T, etag: object.ETag };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

interface Read<T> {
  readonly value: T;
  readonly etag?: string;
}

const MANIFEST = `${SEARCH_PREFIX}manifest.json`;
/** How long a manifest read is used for (the index follows changes within seconds of this). */
const MANIFEST_TTL_MS = 5_000;

/**
 * A replaced shard is closed (its memory freed) once a query that took it just before can have
 * used it: searching a shard is synchronous, so only the other shards' reads can come in between.
 */
function retire(shard: SearchShard): void {
  setTimeout(() => shard.close(), 5_000).unref();
}

function shardKey(year: number): string {
  return `${SEARCH_PREFIX}${year}.sqlite.gz`;
}
