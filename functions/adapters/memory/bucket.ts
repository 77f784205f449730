/**
 * The bucket in memory: what the file, vault and scan-text twins read and write, as their S3
 * adapters share one bucket. Each write is a new version with its own ETag; retention is the
 * application's (as locally, where s3rver has no Object Lock).
 */
import { createHash } from 'node:crypto';
import { copy } from './items.ts';

export interface MemoryObject {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly etag: string;
  readonly versionId: string;
  readonly retainUntil?: string;
  readonly legalHold?: boolean;
}

export class MemoryBucket {
  private readonly objects = new Map<string, MemoryObject>();
  private versions = 0;

  get(key: string): MemoryObject | undefined {
    return this.objects.get(key);
  }

  put(key: string, bytes: Uint8Array, contentType: string): MemoryObject {
    const object: MemoryObject = {
      bytes: copy(new Uint8Array(bytes)),
      contentType,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      versionId: String(++this.versions),
    };
    this.objects.set(key, object);
    return object;
  }

  update(key: string, change: Partial<Pick<MemoryObject, 'retainUntil' | 'legalHold'>>): void {
    const object = this.objects.get(key);
    if (object) this.objects.set(key, { ...object, ...change });
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  keys(prefix: string): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}

/** The bytes of an object as the SDK streams them: one chunk. */
export async function* chunks(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield copy(bytes);
}

export async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}
