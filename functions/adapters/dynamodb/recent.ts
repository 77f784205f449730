/**
 * What a container last read of a small record that rarely changes (the org chart, the calendar),
 * for callers content with one read that recently. Its own edits it sees at once, and a read begun
 * before one of them never puts the older value back. Freshness is the machine's time, not the
 * business clock (which tests move in jumps).
 */
export class Recent<T> {
  private value: T | undefined;
  private readAt = 0;

  /** The value, if read within the last `maxAgeMs` (none given: the caller wants it read now). */
  within(maxAgeMs: number | undefined): T | undefined {
    return maxAgeMs !== undefined && this.value !== undefined && Date.now() - this.readAt < maxAgeMs ? this.value : undefined;
  }

  /** The last value read, however old. */
  get last(): T | undefined {
    return this.value;
  }

  /** When a read starts: hand it to `offer` with what the read found. */
  start(): number {
    return Date.now();
  }

  /** Keeps what a read begun at `startedAt` found, unless a later read or an own edit came since; returns it. */
  offer(value: T, startedAt: number): T {
    if (startedAt >= this.readAt) {
      this.value = value;
      this.readAt = startedAt;
    }
    return value;
  }

  /** This container's own edit. */
  set(value: T): void {
    this.value = value;
    this.readAt = Date.now();
  }
}
