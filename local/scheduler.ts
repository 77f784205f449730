/**
 * EventBridge Scheduler on loopback: fires the schedules declared in infra/topology.ts on the
 * injected clock, invoking the same handlers with the same input CDK gives the targets, and
 * answers the Scheduler API's ListSchedules/GetSchedule so health checks read it as in AWS.
 */
import { createServer, type Server } from 'node:http';
import { CronExpressionParser } from 'cron-parser';
import type { TimerClock } from './clock.ts';
import type { ScheduleSpec } from '../infra/topology.ts';

export type ScheduledHandler = (event: ScheduledEvent) => Promise<unknown>;

/** What the target receives: CDK sets the same Input, with `<aws.scheduler.*>` filled by AWS. */
export interface ScheduledEvent {
  readonly schedule: string;
  readonly scheduledTime: string;
}

/** The input template CDK passes to EventBridge Scheduler; local fires fill it the same way. */
export function scheduleInput(id: string): string {
  return JSON.stringify({ schedule: id, scheduledTime: '<aws.scheduler.scheduled-time>' });
}

/** The next time an EventBridge Scheduler expression fires after `after`, in its time zone. */
export function nextFireTime(expression: string, timezone: string, after: number): number {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[rate[2]!.replace(/s$/, '') as 'minute' | 'hour' | 'day'];
    return after + Number(rate[1]) * unit;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) throw new Error(`Not a schedule expression: ${expression}`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`cron() needs 6 fields (min hour day-of-month month day-of-week year): ${expression}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if (year !== '*') throw new Error(`Only year * is supported locally: ${expression}`);
  // As EventBridge: exactly one of day-of-month and day-of-week is `?`.
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) throw new Error(`Use ? in exactly one of day-of-month and day-of-week: ${expression}`);
  // EventBridge numbers weekdays 1-7 from Sunday, cron-parser 0-6. Only weekday values move:
  // not the step after `/` nor the occurrence after `#`.
  const weekday = dayOfWeek.replace(/(^|[,-])([1-7])(?=$|[,\-#/L])/g, (_, before: string, d: string) => `${before}${Number(d) - 1}`);
  const unix = [minute, hour, dayOfMonth, month, weekday].map((f) => (f === '?' ? '*' : f)).join(' ');
  const parsed = CronExpressionParser.parse(unix, { currentDate: new Date(after), tz: timezone });
  return parsed.next().getTime();
}

export interface LocalScheduler {
  readonly schedules: readonly ScheduleSpec[];
  /** Fires one schedule now (as the console's "run now" would), waiting for its handler. */
  fire(id: string): Promise<unknown>;
  /** When each schedule fires next. */
  nextRuns(): Record<string, string>;
  /** Stops firing and waits for runs in progress. */
  stop(): Promise<void>;
}

export function startScheduler(options: {
  schedules: readonly ScheduleSpec[];
  clock: TimerClock;
  resolveHandler: (spec: ScheduleSpec) => Promise<ScheduledHandler>;
  onError?: (id: string, error: unknown) => void;
}): LocalScheduler {
  const { clock, schedules } = options;
  const cancels = new Map<string, () => void>();
  const next = new Map<string, number>();

  const running = new Map<string, Promise<unknown>>();
  const invoke = async (spec: ScheduleSpec, at: number) => {
    const handler = await options.resolveHandler(spec);
    return handler({ schedule: spec.id, scheduledTime: new Date(at).toISOString() });
  };
  const arm = (spec: ScheduleSpec) => {
    const at = nextFireTime(spec.expression, spec.timezone, clock.now());
    next.set(spec.id, at);
    cancels.set(
      spec.id,
      clock.at(at, () => {
        arm(spec);
        // A run still going when the next is due (a test clock jumping weeks) is not doubled up.
        if (running.has(spec.id)) return;
        const run = invoke(spec, at)
          .catch((error) => (options.onError ?? console.error)(spec.id, error))
          .finally(() => running.delete(spec.id));
        running.set(spec.id, run);
      }),
    );
  };
  for (const spec of schedules) arm(spec);

  return {
    schedules,
    fire: async (id) => {
      const spec = schedules.find((s) => s.id === id);
      if (!spec) throw new Error(`No schedule ${id}`);
      return invoke(spec, clock.now());
    },
    nextRuns: () => Object.fromEntries([...next].map(([id, at]) => [id, new Date(at).toISOString()])),
    stop: async () => {
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
      await Promise.all(running.values());
    },
  };
}

/** The read side of the EventBridge Scheduler API (REST-JSON): ListSchedules and GetSchedule. */
export function createSchedulerApiServer(scheduler: LocalScheduler, group: string, arnPrefix: string): Server {
  const describe = (spec: ScheduleSpec) => ({
    Arn: `${arnPrefix}:schedule/${group}/${spec.id}`,
    Name: spec.id,
    GroupName: group,
    State: 'ENABLED',
    Description: spec.description,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: spec.timezone,
    Target: { Arn: `local:${spec.entry}`, Input: scheduleInput(spec.id) },
  });
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const groupName = url.searchParams.get('ScheduleGroup') ?? url.searchParams.get('groupName') ?? 'default';
    if (request.method === 'GET' && url.pathname === '/schedules') {
      const list = groupName === group ? scheduler.schedules.map(describe) : [];
      return reply(200, { Schedules: list.map(({ Target, ...s }) => ({ ...s, Target: { Arn: Target.Arn } })) });
    }
    const one = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const spec = one && groupName === group ? scheduler.schedules.find((s) => s.id === decodeURIComponent(one[1]!)) : undefined;
    if (request.method === 'GET' && spec) return reply(200, describe(spec));
    response.setHeader('x-amzn-ErrorType', 'ResourceNotFoundException');
    return reply(404, { Message: `Schedule not found: ${url.pathname}` });
  });
}
