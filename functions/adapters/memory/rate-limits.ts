/** Counters per key and window in memory, with DynamoRateLimits' contract: a use past the limit is refused and not counted. */
import type { RateLimits } from '../../domain/ports.ts';
import { roundTrip } from './items.ts';

export class MemoryRateLimits implements RateLimits {
  private readonly counts = new Map<string, number>();

  async take(key: string, limit: number, windowSeconds: number, now: number): Promise<boolean> {
    await roundTrip();
    const id = `${key}#${Math.floor(now / 1000 / windowSeconds)}`;
    const n = this.counts.get(id) ?? 0;
    if (n >= limit) return false;
    this.counts.set(id, n + 1);
    return true;
  }
}
