import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/clock.ts';
import { nextFireTime, startScheduler, type ScheduledEvent } from '../../local/scheduler.ts';
import type { ScheduleSpec } from '../../infra/topology.ts';

const at = (iso: string) => Date.parse(iso);

describe('EventBridge Scheduler expressions', () => {
  it('fires cron() in the schedule’s time zone: 08:00 Shanghai is 00:00 UTC', () => {
    const next = nextFireTime('cron(0 8 * * ? *)', 'Asia/Shanghai', at('2026-11-23T01:00:00Z'));
    expect(new Date(next).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('reads weekday numbers as EventBridge does (1 = Sunday, 2 = Monday)', () => {
    // 2026-11-23 is a Monday; from Tuesday morning the next day-of-week 2 is the following Monday.
    const next = nextFireTime('cron(30 9 ? * 2 *)', 'Asia/Shanghai', at('2026-11-24T00:00:00Z'));
    expect(new Date(next).toISOString()).toBe('2026-11-30T01:30:00.000Z');
    const weekdays = nextFireTime('cron(0 9 ? * MON-FRI *)', 'Asia/Shanghai', at('2026-11-27T02:00:00Z')); // Friday 10:00
    expect(new Date(weekdays).toISOString()).toBe('2026-11-30T01:00:00.000Z');
  });

  it('supports rate() and refuses what it cannot honour', () => {
    expect(nextFireTime('rate(2 hours)', 'UTC', 0)).toBe(2 * 3_600_000);
    expect(() => nextFireTime('cron(0 8 * * ? 2027)', 'UTC', 0)).toThrow(/year/);
    expect(() => nextFireTime('every day', 'UTC', 0)).toThrow(/expression/);
  });
});

describe('the local scheduler', () => {
  const spec: ScheduleSpec = {
    id: 'DailySweep',
    expression: 'cron(0 8 * * ? *)',
    timezone: 'Asia/Shanghai',
    description: 'test',
    entry: 'unused',
    grants: [],
  };

  it('fires the handler each day at the scheduled time as the clock moves, with the scheduled time in the event', async () => {
    const clock = new ManualClock(at('2026-11-23T01:00:00Z'));
    const events: ScheduledEvent[] = [];
    const scheduler = startScheduler({ schedules: [spec], clock, resolveHandler: async () => async (e) => void events.push(e) });
    await clock.set(at('2026-11-23T23:59:59Z'));
    expect(events).toEqual([]);
    await clock.set(at('2026-11-26T00:00:00Z'));
    expect(events.map((e) => e.scheduledTime)).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z']);
    expect(events.every((e) => e.schedule === 'DailySweep')).toBe(true);
    scheduler.stop();
    await clock.set(at('2026-11-28T00:00:00Z'));
    expect(events).toHaveLength(3);
  });

  it('keeps firing after a handler fails', async () => {
    const clock = new ManualClock(at('2026-11-23T01:00:00Z'));
    let calls = 0;
    const errors: string[] = [];
    const scheduler = startScheduler({
      schedules: [spec],
      clock,
      onError: (id) => errors.push(id),
      resolveHandler: async () => async () => {
        calls++;
        throw new Error('down');
      },
    });
    await clock.set(at('2026-11-25T00:00:00Z'));
    expect(calls).toBe(2);
    expect(errors).toEqual(['DailySweep', 'DailySweep']);
    scheduler.stop();
  });
});

describe('EventBridge day-of-week forms', () => {
  const from = Date.parse('2026-11-23T00:00:00Z'); // Monday 08:00 in Shanghai
  const next = (expr: string) => new Date(nextFireTime(expr, 'Asia/Shanghai', from)).toISOString();

  it('keeps the occurrence after # and the step after / as written', () => {
    expect(next('cron(0 9 ? * 2#1 *)')).toBe('2026-12-07T01:00:00.000Z'); // first Monday of December
    expect(next('cron(0 9 ? * 2/7 *)')).toBe('2026-11-23T01:00:00.000Z'); // Mondays only
    expect(next('cron(0 9 ? * 6L *)')).toBe('2026-11-27T01:00:00.000Z'); // last Friday of November
  });

  it('refuses what EventBridge refuses: both or neither of the day fields as ?', () => {
    expect(() => nextFireTime('cron(0 9 * * * *)', 'UTC', from)).toThrow(/exactly one/);
    expect(() => nextFireTime('cron(0 9 ? * ? *)', 'UTC', from)).toThrow(/exactly one/);
  });
});
