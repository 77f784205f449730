/**
 * The records of requests' first responses under their Idempotency-Key (dynamodb/idempotency-item.ts),
 * shared by the twins whose transactions write one: a second record under a key fails the whole write.
 */
import type { Idempotency, StoredResponse } from '../../domain/ports.ts';
import { copy } from './items.ts';

export class MemoryIdempotency {
  private readonly records = new Map<string, StoredResponse>();

  has(personId: string, key: string): boolean {
    return this.records.has(this.id(personId, key));
  }

  get(personId: string, key: string): StoredResponse | undefined {
    return copy(this.records.get(this.id(personId, key)));
  }

  /** Writes a record; the caller has checked `has` in the same synchronous step (its transaction). */
  put(i: Idempotency, pending = false): void {
    // As a string and back, so a replay is byte for byte the first response.
    const response = JSON.parse(JSON.stringify(i.response)) as StoredResponse['response'];
    this.records.set(this.id(i.personId, i.key), { fingerprint: i.fingerprint, response, ...(pending ? { pending: true } : {}) });
  }

  delete(personId: string, key: string): void {
    this.records.delete(this.id(personId, key));
  }

  private id(personId: string, key: string): string {
    return `${personId}#${key}`;
  }
}
