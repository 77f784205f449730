import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, MAX_TIMER_MS, systemClock } from '../../local/clock.ts';

describe('systemClock', () => {
  afterEach(() => vi.useRealTimers());

  it('waits 60 days without firing early, although one Node timer overflows past 24.8 days', () => {
    vi.useFakeTimers({ now: 0 });
    const fired: number[] = [];
    systemClock.at(60 * 86_400_000, () => fired.push(Date.now()));
    vi.advanceTimersByTime(MAX_TIMER_MS + 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(60 * 86_400_000 - MAX_TIMER_MS - 2);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([60 * 86_400_000]);
  });

  it('can be cancelled', () => {
    vi.useFakeTimers({ now: 0 });
    const fire = vi.fn();
    const cancel = systemClock.at(1000, fire);
    cancel();
    vi.advanceTimersByTime(2000);
    expect(fire).not.toHaveBeenCalled();
  });
});

describe('ManualClock', () => {
  it('fires timers in time order as it passes them, and not before', async () => {
    const clock = new ManualClock(0);
    const order: string[] = [];
    clock.at(300, () => order.push('c'));
    clock.at(100, () => order.push('a'));
    clock.at(200, () => order.push('b'));
    await clock.advance(150);
    expect(order).toEqual(['a']);
    await clock.advance(1000);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1150);
  });

  it('fires a timer armed by another timer within the same move', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.at(100, () => {
      fired.push(clock.now());
      clock.at(200, () => fired.push(clock.now()));
    });
    await clock.advance(500);
    expect(fired).toEqual([100, 200]);
  });

  it('refuses to move backwards', async () => {
    await expect(new ManualClock(1000).set(0)).rejects.toThrow(/backwards/);
  });
});
