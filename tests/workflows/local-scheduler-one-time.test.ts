import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { ManualClock, settle } from '../../local/clock.ts';
import { close, listen } from '../../local/http-util.ts';
import { createSchedulerApiServer, startScheduler } from '../../local/scheduler.ts';
import type { ScheduleSpec } from '../../infra/topology.ts';

const GROUP = 'bangong';
const ARN_PREFIX = 'arn:aws:scheduler:us-east-1:000000000000';
const TARGET = 'arn:aws:lambda:us-east-1:000000000000:function:ChaseOverdue';
const ROLE = 'arn:aws:iam::000000000000:role/SchedulerInvoke';
const SWEEP: ScheduleSpec = { id: 'OverdueSweep', expression: 'cron(0 8 * * ? *)', timezone: 'Asia/Shanghai', description: 'test', entry: 'unused', grants: [] };
const at = (iso: string) => Date.parse(iso);

type Target = (event: unknown) => Promise<unknown>;

/** Given: the local scheduler on a manual clock (Monday 2026-11-23 01:00 UTC) behind its API, driven by the real SDK. */
async function givenScheduler(options: { target?: Target | null } = {}) {
  const clock = new ManualClock(at('2026-11-23T01:00:00Z'));
  const received: { arn: string; event: unknown }[] = [];
  const errors: { name: string; error: unknown }[] = [];
  const scheduler = startScheduler({
    schedules: [SWEEP],
    clock,
    resolveHandler: async () => async () => undefined,
    resolveTarget:
      options.target === null
        ? undefined
        : async (arn) => async (event) => {
            received.push({ arn, event });
            return options.target?.(event);
          },
    onError: (name, error) => errors.push({ name, error }),
  });
  const server = createSchedulerApiServer(scheduler, GROUP, ARN_PREFIX);
  const port = await listen(server, '127.0.0.1', 0);
  const client = new SchedulerClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  /** CreateSchedule as the product sends it, one time, in the system's group. */
  const create = (name: string, overrides: Partial<CreateScheduleCommandInput> = {}) =>
    client.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-11-23T09:30:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: TARGET, RoleArn: ROLE, Input: JSON.stringify({ caseId: name }) },
        ActionAfterCompletion: 'DELETE',
        ...overrides,
      }),
    );
  const get = (name: string) => client.send(new GetScheduleCommand({ Name: name, GroupName: GROUP }));
  const stop = async () => {
    client.destroy();
    await close(server);
    await scheduler.stop();
  };
  return { clock, scheduler, client, create, get, received, errors, stop };
}

describe('one-time schedules in the local EventBridge Scheduler', () => {
  let local: Awaited<ReturnType<typeof givenScheduler>>;
  afterEach(() => local?.stop());

  it('arms a schedule that invokes its target once, at its time, with its Input parsed and context attributes filled', async () => {
    local = await givenScheduler();
    const input = { caseId: 'C-1', scheduledTime: '<aws.scheduler.scheduled-time>' };

    const { ScheduleArn } = await local.create('chase-C-1', { Target: { Arn: TARGET, RoleArn: ROLE, Input: JSON.stringify(input) } });

    expect(ScheduleArn).toBe(`${ARN_PREFIX}:schedule/${GROUP}/chase-C-1`);
    expect(local.scheduler.pendingOneTime()).toEqual([{ name: 'chase-C-1', at: '2026-11-23T09:30:00.000Z', input: { caseId: 'C-1', scheduledTime: '2026-11-23T09:30:00Z' } }]);
    await local.clock.set(at('2026-11-23T09:29:59Z'));
    expect(local.received).toEqual([]);
    await local.clock.set(at('2026-11-23T09:30:00Z'));
    expect(local.received).toEqual([{ arn: TARGET, event: { caseId: 'C-1', scheduledTime: '2026-11-23T09:30:00Z' } }]);
    await local.clock.advance(7 * 86_400_000);
    expect(local.received).toHaveLength(1);
    expect(local.scheduler.pendingOneTime()).toEqual([]);
    expect(local.errors).toEqual([]);
  });

  it('reads the time in ScheduleExpressionTimezone: 09:30 in Shanghai is 01:30 UTC', async () => {
    local = await givenScheduler();

    await local.create('chase-C-2', { ScheduleExpressionTimezone: 'Asia/Shanghai' });

    expect(local.scheduler.pendingOneTime().map((s) => s.at)).toEqual(['2026-11-23T01:30:00.000Z']);
    await local.clock.set(at('2026-11-23T01:29:59Z'));
    expect(local.received).toEqual([]);
    await local.clock.set(at('2026-11-23T01:30:00Z'));
    expect(local.received.map((r) => r.event)).toEqual([{ caseId: 'chase-C-2' }]);
  });

  it('fires at once when its time has already passed, with {} when there is no Input', async () => {
    local = await givenScheduler();

    await local.create('late', { ScheduleExpression: 'at(2026-11-22T00:00:00)', Target: { Arn: TARGET, RoleArn: ROLE } });
    await settle();

    expect(local.received).toEqual([{ arn: TARGET, event: {} }]);
  });

  it('refuses a second schedule of the same name, one-time or from the topology, with ConflictException', async () => {
    local = await givenScheduler();
    await local.create('chase-C-3');

    await expect(local.create('chase-C-3')).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    await expect(local.create(SWEEP.id)).rejects.toMatchObject({ name: 'ConflictException' });

    await local.clock.set(at('2026-11-23T09:30:00Z'));
    expect(local.received.map((r) => r.event)).toEqual([{ caseId: 'chase-C-3' }]);
  });

  it('answers a retried create (the same ClientToken) with the schedule it already made', async () => {
    local = await givenScheduler();
    const first = await local.create('chase-C-4', { ClientToken: 'token-1' });

    const retry = await local.create('chase-C-4', { ClientToken: 'token-1' });

    expect(retry.ScheduleArn).toBe(first.ScheduleArn);
    expect(local.scheduler.pendingOneTime()).toHaveLength(1);
  });

  it.each([
    ['a recurring expression', { ScheduleExpression: 'rate(1 hour)' }, /ScheduleExpression/],
    ['a date that does not exist', { ScheduleExpression: 'at(2026-02-30T09:00:00)' }, /ScheduleExpression/],
    ['no expression', { ScheduleExpression: undefined }, /ScheduleExpression/],
    ['an unknown time zone', { ScheduleExpressionTimezone: 'Mars/Olympus' }, /ScheduleExpressionTimezone/],
    ['no Target.Arn', { Target: { RoleArn: ROLE } }, /Target\.Arn/],
    ['no Target.RoleArn', { Target: { Arn: TARGET } }, /Target\.RoleArn/],
    ['an Input that is not JSON', { Target: { Arn: TARGET, RoleArn: ROLE, Input: 'caseId=C-1' } }, /Target\.Input/],
    ['no FlexibleTimeWindow', { FlexibleTimeWindow: undefined }, /FlexibleTimeWindow/],
    ['an unknown ActionAfterCompletion', { ActionAfterCompletion: 'ARCHIVE' }, /ActionAfterCompletion/],
  ])('refuses %s with ValidationException naming the field', async (_, overrides, field) => {
    local = await givenScheduler();

    const refused = local.create('chase-C-5', overrides as Partial<CreateScheduleCommandInput>);

    await expect(refused).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 }, message: expect.stringMatching(field) });
    expect(local.scheduler.pendingOneTime()).toEqual([]);
  });

  it.each([
    ['a space', 'chase C-6'],
    ['65 characters', 'x'.repeat(65)],
  ])('refuses a name with %s with ValidationException naming Name', async (_, name) => {
    local = await givenScheduler();

    await expect(local.create(name)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/Name/) });
  });

  it('answers ResourceNotFoundException for a group other than the system’s', async () => {
    local = await givenScheduler();

    await expect(local.create('chase-C-7', { GroupName: 'other' })).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(local.create('chase-C-7', { GroupName: undefined })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    expect(local.scheduler.pendingOneTime()).toEqual([]);
  });

  it('describes a one-time schedule in GetSchedule and lists it beside the topology’s, filtered by NamePrefix', async () => {
    local = await givenScheduler();
    await local.create('chase-C-8', { ScheduleExpressionTimezone: 'Asia/Shanghai', Description: 'chase C-8' });
    await local.create('remind-C-8');

    const schedule = await local.get('chase-C-8');
    const all = await local.client.send(new ListSchedulesCommand({ GroupName: GROUP }));
    const chases = await local.client.send(new ListSchedulesCommand({ GroupName: GROUP, NamePrefix: 'chase-' }));

    expect(schedule).toMatchObject({
      Arn: `${ARN_PREFIX}:schedule/${GROUP}/chase-C-8`,
      GroupName: GROUP,
      State: 'ENABLED',
      Description: 'chase C-8',
      ScheduleExpression: 'at(2026-11-23T09:30:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: TARGET, RoleArn: ROLE, Input: JSON.stringify({ caseId: 'chase-C-8' }) },
      CreationDate: new Date(at('2026-11-23T01:00:00Z')),
    });
    expect(all.Schedules?.map((s) => s.Name)).toEqual([SWEEP.id, 'chase-C-8', 'remind-C-8']);
    expect(chases.Schedules).toEqual([expect.objectContaining({ Name: 'chase-C-8', Target: { Arn: TARGET } })]);
  });

  it('removes a schedule after it fires when ActionAfterCompletion is DELETE, and keeps it, spent, when NONE', async () => {
    local = await givenScheduler();
    await local.create('deleted-after');
    await local.create('kept-after', { ActionAfterCompletion: 'NONE' });
    expect((await local.get('deleted-after')).Name).toBe('deleted-after');

    await local.clock.set(at('2026-11-23T09:30:00Z'));
    await local.clock.advance(7 * 86_400_000);

    await expect(local.get('deleted-after')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await local.get('kept-after')).toMatchObject({ Name: 'kept-after', ActionAfterCompletion: 'NONE' });
    expect(local.received.map((r) => r.event)).toEqual([{ caseId: 'deleted-after' }, { caseId: 'kept-after' }]);
    expect(local.scheduler.pendingOneTime()).toEqual([]);
  });

  it('never fires a schedule created DISABLED', async () => {
    local = await givenScheduler();

    await local.create('disabled', { State: 'DISABLED' });
    await local.clock.advance(7 * 86_400_000);

    expect(local.received).toEqual([]);
    expect(await local.get('disabled')).toMatchObject({ State: 'DISABLED' });
  });

  it('cancels a pending schedule on DeleteSchedule; a second delete, or one of a topology schedule, is refused', async () => {
    local = await givenScheduler();
    await local.create('chase-C-9');

    expect(local.clock.pendingTimers).toBe(2); // the topology's sweep and this one

    await local.client.send(new DeleteScheduleCommand({ Name: 'chase-C-9', GroupName: GROUP }));

    expect(local.clock.pendingTimers).toBe(1);
    await local.clock.set(at('2026-11-24T00:00:00Z'));

    expect(local.received).toEqual([]);
    expect(local.scheduler.pendingOneTime()).toEqual([]);
    await expect(local.get('chase-C-9')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(local.client.send(new DeleteScheduleCommand({ Name: 'chase-C-9', GroupName: GROUP }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(local.client.send(new DeleteScheduleCommand({ Name: SWEEP.id, GroupName: GROUP }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('reports a failing target, or one with no resolveTarget, to onError', async () => {
    local = await givenScheduler({ target: async () => Promise.reject(new Error('down')) });
    await local.create('failing', { ScheduleExpression: 'at(2026-11-22T00:00:00)' });
    await settle();
    expect(local.errors).toEqual([{ name: 'failing', error: new Error('down') }]);
    await local.stop();

    local = await givenScheduler({ target: null });
    await local.create('unresolved', { ScheduleExpression: 'at(2026-11-22T00:00:00)' });
    await settle();
    expect(local.errors).toEqual([{ name: 'unresolved', error: expect.objectContaining({ message: expect.stringMatching(/resolveTarget/) }) }]);
  });

  it('stop() cancels pending schedules and waits for a run in progress', async () => {
    let release!: () => void;
    let finished = false;
    local = await givenScheduler({
      target: async (event) => {
        if ((event as { caseId: string }).caseId !== 'running') return;
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      },
    });
    await local.create('running', { ScheduleExpression: 'at(2026-11-23T02:00:00)' });
    await local.create('pending', { ScheduleExpression: 'at(2026-11-23T03:00:00)' });
    await local.clock.set(at('2026-11-23T02:00:00Z'));

    let stopped = false;
    const stopping = local.scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(finished).toBe(true);
    expect(local.scheduler.pendingOneTime()).toEqual([]);
    expect(local.clock.pendingTimers).toBe(0);
    await local.clock.set(at('2026-11-24T00:00:00Z'));
    expect(local.received.map((r) => r.event)).toEqual([{ caseId: 'running' }]);
  });
});
