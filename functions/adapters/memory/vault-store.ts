/** The archive's own objects in memory, with S3VaultStore's contract: a `create` writes once (false if one is there). */
import type { VaultStore } from '../../domain/ports.ts';
import { chunks, collect, type MemoryBucket } from './bucket.ts';
import { roundTrip } from './items.ts';

export class MemoryVaultStore implements VaultStore {
  constructor(private readonly bucket: MemoryBucket) {}

  async create(key: string, bytes: Uint8Array, contentType: string, options: { locked?: boolean } = {}): Promise<boolean> {
    await roundTrip();
    if (this.bucket.get(key)) return false;
    this.bucket.put(key, bytes, contentType);
    if (options.locked) this.bucket.update(key, { legalHold: true });
    return true;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await roundTrip();
    this.bucket.put(key, bytes, contentType);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    await roundTrip();
    const object = this.bucket.get(key);
    return object && new Uint8Array(object.bytes);
  }

  async list(prefix: string): Promise<string[]> {
    await roundTrip();
    return this.bucket.keys(prefix);
  }

  async upload(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<{ size: number }> {
    const bytes = await collect(body);
    this.bucket.put(key, bytes, contentType);
    return { size: bytes.length };
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    await roundTrip();
    const object = this.bucket.get(key);
    return object && chunks(object.bytes);
  }

  async presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string> {
    await roundTrip();
    const query = new URLSearchParams({ 'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`, 'response-content-type': contentType, 'X-Amz-Expires': String(expiresIn) });
    return `https://memory.invalid/vault/${encodeURIComponent(key)}?${query}`;
  }
}
