/**
 * EventBridge Scheduler on loopback, on the injected clock. Two kinds of schedule, as the product
 * uses them in AWS:
 * - recurring ones, declared in infra/topology.ts (CDK deploys the same): fired with the handler
 *   and input CDK gives the targets;
 * - one-time ones (`at(...)`), armed at run time through the SDK's CreateSchedule: at their time
 *   they call the function `resolveTarget` finds for Target.Arn with Target.Input, then are
 *   deleted (ActionAfterCompletion DELETE) or kept, spent (NONE).
 * The REST-JSON API answers CreateSchedule and DeleteSchedule (one-time only: recurring ones
 * change in the topology), GetSchedule and ListSchedules (both kinds), with AWS's error types,
 * in the one schedule group the system configures. Not emulated: retries and dead-letter queues
 * (a failed run goes to onError once), flexible windows (a run starts at the window's opening),
 * UpdateSchedule and schedule groups. Timing differs on purpose: a run starts at its exact time
 * (AWS runs within the minute it names) and a time already past runs at once (AWS's answer to a
 * past `at()` is not relied on: the product arms only times to come, rounded up to the minute).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { CronExpressionParser } from 'cron-parser';
import type { TimerClock } from './clock.ts';
import { readBody } from './http-util.ts';
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

/** An error the Scheduler API answers with: the SDK turns `type` into the exception of that name. */
export class SchedulerApiError extends Error {
  constructor(
    readonly type: 'ValidationException' | 'ConflictException' | 'ResourceNotFoundException',
    message: string,
  ) {
    super(message);
    this.name = 'SchedulerApiError';
  }
}

const API_ERROR_STATUS: Record<SchedulerApiError['type'], number> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
};

/** One formatter per time zone: building one costs more than the rest of a CreateSchedule (a restart arms thousands). */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timezone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timezone);
  if (format) return format;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new SchedulerApiError('ValidationException', `Invalid ScheduleExpressionTimezone ${timezone}`);
  }
  // Only zones Intl knows get here: a handful in practice.
  zoneFormats.set(timezone, format);
  return format;
}

/**
 * When a one-time expression `at(yyyy-mm-ddThh:mm:ss)` fires: the wall-clock time read in
 * `timezone` (an IANA name, as ScheduleExpressionTimezone), as epoch ms.
 */
export function oneTimeFireTime(expression: string, timezone: string): number {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!at) throw new SchedulerApiError('ValidationException', `Invalid ScheduleExpression ${expression}: only at(yyyy-mm-ddThh:mm:ss) is created at run time locally (recurring schedules are declared in infra/topology.ts)`);
  const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 2026-02-30 over to March: a field out of range shows as a different date.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new SchedulerApiError('ValidationException', `Invalid ScheduleExpression ${expression}: no such date and time`);
  }
  const format = zoneFormat(timezone);
  // Intl reads an instant in a zone but not back: correct the UTC reading by the zone's offset,
  // then again at the corrected instant in case a daylight-saving change lies between them.
  const offset = (instant: number) => {
    const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
    return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) - Math.floor(instant / 1000) * 1000;
  };
  const first = wall - offset(wall);
  return wall - offset(first);
}

/** What CreateSchedule asks for, once the API has checked its shape. */
export interface OneTimeRequest {
  readonly name: string;
  readonly arn: string;
  readonly expression: string;
  readonly timezone: string;
  readonly target: {
    readonly arn: string;
    readonly roleArn: string;
    readonly input?: string;
    /** Kept and shown as given (not emulated: a failure goes to onError once). */
    readonly retryPolicy?: unknown;
    readonly deadLetterArn?: string;
  };
  readonly flexibleTimeWindow: { readonly Mode: string; readonly MaximumWindowInMinutes?: number };
  readonly actionAfterCompletion: 'NONE' | 'DELETE';
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string;
  readonly clientToken?: string;
}

export interface OneTimeSchedule extends OneTimeRequest {
  /** When it fires, epoch ms. */
  readonly at: number;
  readonly createdAt: number;
}

export interface LocalScheduler {
  readonly schedules: readonly ScheduleSpec[];
  /** Fires one recurring schedule now (as the console's "run now" would), waiting for its handler. */
  fire(id: string): Promise<unknown>;
  /** When each recurring schedule fires next. */
  nextRuns(): Record<string, string>;
  /**
   * Arms a one-time schedule (CreateSchedule). A name taken, by a topology schedule or a one-time
   * one, is a ConflictException, unless the one-time one was created with the same client token
   * (the SDK's retry of one request): that one is returned.
   */
  createOneTime(request: OneTimeRequest): OneTimeSchedule;
  /** Every one-time schedule: pending, disabled, or spent and kept (ActionAfterCompletion NONE). */
  oneTimeSchedules(): readonly OneTimeSchedule[];
  /** Cancels and forgets a one-time schedule (DeleteSchedule). */
  deleteOneTime(name: string): void;
  /** The one-time schedules still to fire, soonest first, with the input their target will get. */
  pendingOneTime(): { name: string; at: string; input: unknown }[];
  /** Stops firing and waits for runs in progress. */
  stop(): Promise<void>;
}

export function startScheduler(options: {
  schedules: readonly ScheduleSpec[];
  clock: TimerClock;
  resolveHandler: (spec: ScheduleSpec) => Promise<ScheduledHandler>;
  /** The function behind a one-time schedule's Target.Arn (a Lambda ARN in the product). */
  resolveTarget?: (arn: string) => Promise<(event: unknown) => Promise<unknown>>;
  /** Called with the schedule's id (recurring) or name (one-time) when its run fails. */
  onError?: (id: string, error: unknown) => void;
}): LocalScheduler {
  const { clock, schedules } = options;
  const onError = options.onError ?? console.error;
  const cancels = new Map<string, () => void>();
  const next = new Map<string, number>();
  let stopped = false;

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
          .catch((error) => onError(spec.id, error))
          .finally(() => running.delete(spec.id));
        running.set(spec.id, run);
      }),
    );
  };
  for (const spec of schedules) arm(spec);

  const oneTime = new Map<string, OneTimeSchedule>();
  /** The one-time schedules waiting for their time; a timer that fires for one no longer here does nothing. */
  const armed = new Map<string, { schedule: OneTimeSchedule; cancel: () => void }>();
  const oneTimeRuns = new Set<Promise<unknown>>();
  const invokeTarget = async (schedule: OneTimeSchedule) => {
    if (!options.resolveTarget) throw new Error(`No resolveTarget given to the local scheduler: cannot invoke ${schedule.target.arn}`);
    const handler = await options.resolveTarget(schedule.target.arn);
    return handler(eventFor(schedule));
  };
  const fireOneTime = (schedule: OneTimeSchedule) => {
    if (armed.get(schedule.name)?.schedule !== schedule) return;
    armed.delete(schedule.name);
    const run: Promise<unknown> = invokeTarget(schedule)
      .catch((error) => onError(schedule.name, error))
      .finally(() => {
        oneTimeRuns.delete(run);
        // As AWS, DELETE removes the schedule once its target has been invoked.
        if (schedule.actionAfterCompletion === 'DELETE' && oneTime.get(schedule.name) === schedule) oneTime.delete(schedule.name);
      });
    oneTimeRuns.add(run);
  };

  return {
    schedules,
    fire: async (id) => {
      const spec = schedules.find((s) => s.id === id);
      if (!spec) throw new Error(`No schedule ${id}`);
      return invoke(spec, clock.now());
    },
    nextRuns: () => Object.fromEntries([...next].map(([id, at]) => [id, new Date(at).toISOString()])),
    createOneTime: (request) => {
      const taken = oneTime.get(request.name);
      if (taken && request.clientToken !== undefined && taken.clientToken === request.clientToken) return taken;
      if (taken || schedules.some((s) => s.id === request.name)) {
        throw new SchedulerApiError('ConflictException', `Schedule ${request.name} already exists.`);
      }
      const schedule: OneTimeSchedule = { ...request, at: oneTimeFireTime(request.expression, request.timezone), createdAt: clock.now() };
      if (schedule.target.input !== undefined) eventFor(schedule);
      oneTime.set(schedule.name, schedule);
      if (schedule.state === 'ENABLED' && !stopped) {
        const entry = { schedule, cancel: () => {} };
        armed.set(schedule.name, entry);
        // A time already past fires at once (the clock calls back straight away).
        entry.cancel = clock.at(schedule.at, () => fireOneTime(schedule));
      }
      return schedule;
    },
    oneTimeSchedules: () => [...oneTime.values()],
    deleteOneTime: (name) => {
      if (schedules.some((s) => s.id === name)) {
        throw new SchedulerApiError('ValidationException', `Schedule ${name} is declared in infra/topology.ts: remove it there, not through the API`);
      }
      if (!oneTime.delete(name)) throw new SchedulerApiError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
      armed.get(name)?.cancel();
      armed.delete(name);
    },
    pendingOneTime: () =>
      [...armed.values()]
        .map(({ schedule }) => ({ name: schedule.name, at: new Date(schedule.at).toISOString(), input: eventFor(schedule) }))
        .sort((a, b) => a.at.localeCompare(b.at)),
    stop: async () => {
      stopped = true;
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
      for (const { cancel } of armed.values()) cancel();
      armed.clear();
      await Promise.all([...running.values(), ...oneTimeRuns]);
    },
  };
}

/**
 * The event a one-time target receives: Target.Input parsed (none: `{}`), with the context
 * attributes AWS fills in it (`<aws.scheduler.scheduled-time>` and the like).
 */
function eventFor(schedule: OneTimeSchedule): unknown {
  const { input } = schedule.target;
  if (input === undefined) return {};
  const context: Record<string, string> = {
    'schedule-arn': schedule.arn,
    'scheduled-time': new Date(schedule.at).toISOString().replace('.000Z', 'Z'),
    'execution-id': randomUUID(),
    'attempt-number': '1',
  };
  const filled = input.replace(/<aws\.scheduler\.([a-z-]+)>/g, (whole, name: string) => context[name] ?? whole);
  try {
    return JSON.parse(filled);
  } catch {
    // A Lambda target takes JSON only: AWS would fail every invocation, so fail the create instead.
    throw new SchedulerApiError('ValidationException', 'Invalid Target.Input: not JSON');
  }
}

/** Scheduler names: 1-64 of letters, digits, `-`, `_` and `.` (AWS's Name constraint). */
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

/**
 * Checks a CreateSchedule request's shape, naming the field at fault as AWS does; the scheduler
 * checks the expression and that the name is free.
 */
function parseCreate(name: string, body: unknown, arn: string): OneTimeRequest {
  const invalid = (field: string, why: string) => new SchedulerApiError('ValidationException', `Invalid ${field}: ${why}`);
  const object = (value: unknown, field: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'required, an object');
    return value as Record<string, unknown>;
  };
  const text = (value: unknown, field: string) => {
    if (typeof value !== 'string' || value === '') throw invalid(field, 'required, a string');
    return value;
  };
  const optional = <T>(value: unknown, read: (value: unknown) => T) => (value === undefined ? undefined : read(value));
  const oneOf = <T extends string>(value: unknown, field: string, allowed: readonly T[]) => {
    if (!allowed.includes(value as T)) throw invalid(field, `one of ${allowed.join(', ')}`);
    return value as T;
  };
  if (!NAME.test(name)) throw invalid('Name', `${name}: 1 to 64 letters, digits, -, _ or .`);
  const request = object(body, 'request body');
  const window = object(request.FlexibleTimeWindow, 'FlexibleTimeWindow');
  const mode = oneOf(window.Mode, 'FlexibleTimeWindow.Mode', ['OFF', 'FLEXIBLE']);
  const minutes = window.MaximumWindowInMinutes;
  if (mode === 'FLEXIBLE' && !(typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440)) {
    throw invalid('FlexibleTimeWindow.MaximumWindowInMinutes', 'from 1 to 1440 when Mode is FLEXIBLE');
  }
  const target = object(request.Target, 'Target');
  return {
    name,
    arn,
    expression: text(request.ScheduleExpression, 'ScheduleExpression'),
    timezone: optional(request.ScheduleExpressionTimezone, (v) => text(v, 'ScheduleExpressionTimezone')) ?? 'UTC',
    target: {
      arn: text(target.Arn, 'Target.Arn'),
      roleArn: text(target.RoleArn, 'Target.RoleArn'),
      input: optional(target.Input, (v) => text(v, 'Target.Input')),
      retryPolicy: optional(target.RetryPolicy, (v) => object(v, 'Target.RetryPolicy')),
      deadLetterArn: optional(target.DeadLetterConfig, (v) => optional(object(v, 'Target.DeadLetterConfig').Arn, (a) => text(a, 'Target.DeadLetterConfig.Arn'))),
    },
    flexibleTimeWindow: mode === 'FLEXIBLE' ? { Mode: mode, MaximumWindowInMinutes: minutes as number } : { Mode: mode },
    actionAfterCompletion: optional(request.ActionAfterCompletion, (v) => oneOf(v, 'ActionAfterCompletion', ['NONE', 'DELETE'])) ?? 'NONE',
    state: optional(request.State, (v) => oneOf(v, 'State', ['ENABLED', 'DISABLED'])) ?? 'ENABLED',
    description: optional(request.Description, (v) => text(v, 'Description')),
    clientToken: optional(request.ClientToken, (v) => text(v, 'ClientToken')),
  };
}

/** GetSchedule's answer; ListSchedules gives a summary of it. */
interface ScheduleDescription {
  readonly Arn: string;
  readonly Name: string;
  readonly GroupName: string;
  readonly State: string;
  readonly CreationDate?: number;
  readonly LastModificationDate?: number;
  readonly Target: { readonly Arn: string };
}

/**
 * The EventBridge Scheduler API (REST-JSON) for one schedule group: CreateSchedule and
 * DeleteSchedule for one-time schedules, GetSchedule and ListSchedules for all. Any other group
 * is a ResourceNotFoundException, as a group that does not exist in AWS.
 */
export function createSchedulerApiServer(scheduler: LocalScheduler, group: string, arnPrefix: string): Server {
  const arnOf = (name: string) => `${arnPrefix}:schedule/${group}/${name}`;
  const describe = (spec: ScheduleSpec) => ({
    Arn: arnOf(spec.id),
    Name: spec.id,
    GroupName: group,
    State: 'ENABLED',
    Description: spec.description,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: spec.timezone,
    Target: { Arn: `local:${spec.entry}`, Input: scheduleInput(spec.id) },
  });
  const describeOneTime = (s: OneTimeSchedule) => ({
    Arn: s.arn,
    Name: s.name,
    GroupName: group,
    State: s.state,
    Description: s.description,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: s.timezone,
    FlexibleTimeWindow: s.flexibleTimeWindow,
    ActionAfterCompletion: s.actionAfterCompletion,
    // Timestamps in REST-JSON bodies are epoch seconds.
    CreationDate: s.createdAt / 1000,
    LastModificationDate: s.createdAt / 1000,
    Target: {
      Arn: s.target.arn,
      RoleArn: s.target.roleArn,
      Input: s.target.input,
      RetryPolicy: s.target.retryPolicy,
      DeadLetterConfig: s.target.deadLetterArn ? { Arn: s.target.deadLetterArn } : undefined,
    },
  });
  const all = (): ScheduleDescription[] => [...scheduler.schedules.map(describe), ...scheduler.oneTimeSchedules().map(describeOneTime)];
  const summary = ({ Arn, Name, GroupName, State, CreationDate, LastModificationDate, Target }: ScheduleDescription) => ({
    Arn, Name, GroupName, State, CreationDate, LastModificationDate, Target: { Arn: Target.Arn },
  });
  const inGroup = (name: unknown) => {
    // No GroupName means the account's `default` group, as in AWS.
    if ((name ?? 'default') !== group) throw new SchedulerApiError('ResourceNotFoundException', `Schedule group ${String(name ?? 'default')} does not exist.`);
  };

  return createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === 'GET' && url.pathname === '/schedules') {
        const prefix = url.searchParams.get('NamePrefix') ?? '';
        const state = url.searchParams.get('State');
        // The health check may list before the group is known: an empty list, not an error.
        const list = (url.searchParams.get('ScheduleGroup') ?? 'default') === group ? all() : [];
        return reply(200, { Schedules: list.filter((s) => s.Name.startsWith(prefix) && (!state || s.State === state)).map(summary) });
      }
      const one = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      if (!one) throw new SchedulerApiError('ResourceNotFoundException', `Not supported locally: ${request.method} ${url.pathname}`);
      const name = decodeURIComponent(one[1]!);
      if (request.method === 'POST') {
        // The SDK sends GroupName in CreateSchedule's body, and in the query everywhere else.
        const body = parseJson((await readBody(request, 1024 * 1024)).toString('utf8'));
        const create = parseCreate(name, body, arnOf(name));
        inGroup((body as { GroupName?: unknown }).GroupName);
        return reply(200, { ScheduleArn: scheduler.createOneTime(create).arn });
      }
      inGroup(url.searchParams.get('groupName') ?? undefined);
      if (request.method === 'DELETE') {
        scheduler.deleteOneTime(name);
        return reply(200, {});
      }
      const found = request.method === 'GET' ? all().find((s) => s.Name === name) : undefined;
      if (!found) throw new SchedulerApiError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
      return reply(200, found);
    } catch (error) {
      const known = error instanceof SchedulerApiError;
      if (!known) console.error(error);
      response.setHeader('x-amzn-ErrorType', known ? error.type : 'InternalServerException');
      return reply(known ? API_ERROR_STATUS[error.type] : 500, { Message: known ? error.message : 'Internal error in the local scheduler' });
    }
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new SchedulerApiError('ValidationException', 'Invalid request body: not JSON');
  }
}
