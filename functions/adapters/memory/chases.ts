/**
 * Chases armed in memory, with SchedulerChases' contract: one per case, step and time (arming it
 * again adds nothing), each called at most once, none while disarmed. Nothing fires by itself: a
 * test reads `armed`, or calls `due` to take the ones whose time has come, as EventBridge
 * Scheduler would call them.
 */
import type { Chases, Clock } from '../../domain/ports.ts';
import { roundTrip } from './items.ts';

export interface ArmedChase {
  readonly caseId: string;
  readonly stepKey: string;
  /** ISO, whole minutes (rounded up). */
  readonly at: string;
}

export class MemoryChases implements Chases {
  private readonly pending = new Map<string, ArmedChase>();
  private readonly called = new Set<string>();
  /** Every chase armed, in order (once, or again after it was disarmed). */
  readonly armed: ArmedChase[] = [];
  /** Chases removed before their time, in order. */
  readonly disarmed: ArmedChase[] = [];
  /** How many times `arm` was called, repeats included. */
  calls = 0;

  constructor(private readonly clock: Clock) {}

  async arm(chase: ArmedChase): Promise<void> {
    this.calls++;
    await roundTrip();
    const at = minute(chase.at);
    const key = `${chase.caseId}|${chase.stepKey}|${at}`;
    // Armed or called already; one disarmed may be armed again, as a deleted schedule is created again.
    if (this.pending.has(key) || this.called.has(key)) return;
    const armed = { caseId: chase.caseId, stepKey: chase.stepKey, at };
    this.armed.push(armed);
    this.pending.set(key, armed);
  }

  async disarm(chase: ArmedChase): Promise<void> {
    await roundTrip();
    const key = `${chase.caseId}|${chase.stepKey}|${minute(chase.at)}`;
    const armed = this.pending.get(key);
    if (!armed) return;
    this.pending.delete(key);
    this.disarmed.push(armed);
  }

  /** Takes the chases whose time has come on the clock, soonest first: each is handed out once. */
  due(): ArmedChase[] {
    const now = this.clock.now();
    const due = [...this.pending.entries()].filter(([, a]) => Date.parse(a.at) <= now).sort(([, a], [, b]) => a.at.localeCompare(b.at));
    for (const [key] of due) {
      this.pending.delete(key);
      this.called.add(key);
    }
    return due.map(([, a]) => a);
  }
}

/** As Scheduler: within the minute named, so the time is rounded up to the minute. */
const minute = (at: string) => new Date(Math.ceil(Date.parse(at) / 60_000) * 60_000).toISOString();
