/**
 * The clock the local runtime waits on. Step Functions waits, task timeouts and schedules all go
 * through it, so tests can move time through weeks without sleeping (ManualClock), while the
 * system clock survives waits longer than Node's timer limit.
 */

/** Node fires a setTimeout longer than 2^31-1 ms (24.8 days) at once; longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TimerClock {
  now(): number;
  /** Calls `fire` once the clock reaches `at` (epoch ms); returns a cancel function. */
  at(at: number, fire: () => void): () => void;
}

export const systemClock: TimerClock = {
  now: () => Date.now(),
  at(at, fire) {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const remaining = at - Date.now();
      if (remaining <= 0) {
        fire();
        return;
      }
      timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
      // A pending wait must not keep a process alive on its own: the servers do that.
      timer.unref();
    };
    arm();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  },
};

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** A clock that moves only when told to; timers fire in time order as it passes them. */
export class ManualClock implements TimerClock {
  private current: number;
  private seq = 0;
  private readonly pending = new Set<PendingTimer>();

  constructor(start: Date | number = Date.UTC(2026, 0, 5, 1, 0, 0)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  at(at: number, fire: () => void): () => void {
    const timer = { at, seq: this.seq++, fire };
    if (at <= this.current) {
      queueMicrotask(fire);
      return () => {};
    }
    this.pending.add(timer);
    return () => this.pending.delete(timer);
  }

  /** Moves the clock forward, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.set(this.current + ms);
  }

  async set(to: Date | number): Promise<void> {
    const target = typeof to === 'number' ? to : to.getTime();
    if (target < this.current) throw new Error('ManualClock cannot move backwards');
    for (;;) {
      const next = [...this.pending]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.pending.delete(next);
      this.current = next.at;
      next.fire();
      // Let the work the timer started settle (it may arm the next timer) before moving on.
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** How many timers are waiting: lets a test see that a wait was armed. */
  get pendingTimers(): number {
    return this.pending.size;
  }
}

/** Lets promise chains and I/O callbacks scheduled so far run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
