/**
 * SchedulerChases, the chases port on EventBridge Scheduler, through the real SDK against the local
 * scheduler: one one-time schedule per case, step and time, at the time asked (rounded up to the
 * minute, in UTC: Scheduler fires within the minute it names), calling the chase function with the
 * case and step; arming it again adds nothing, and one disarmed is gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ManualClock } from '../../local/clock.ts';
import { close, listen } from '../../local/http-util.ts';
import { createSchedulerApiServer, startScheduler } from '../../local/scheduler.ts';
import { SchedulerChases } from '../../functions/adapters/scheduler/chases.ts';

const TARGET = { group: 'bangong', arn: 'arn:aws:lambda:us-east-1:000000000000:function:ChaseCase', roleArn: 'arn:aws:iam::000000000000:role/chase', deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:chase-dlq' };

describe('chases armed as one-time EventBridge Scheduler schedules', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function given() {
    const clock = new ManualClock(Date.parse('2026-11-23T01:00:00Z'));
    const calls: { arn: string; event: unknown }[] = [];
    const scheduler = startScheduler({ schedules: [], clock, resolveHandler: async () => async () => undefined, resolveTarget: async (arn) => async (event) => calls.push({ arn, event }) });
    const server = createSchedulerApiServer(scheduler, TARGET.group, 'arn:aws:scheduler:us-east-1:000000000000');
    const port = await listen(server, '127.0.0.1', 0);
    const client = new SchedulerClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    stops.push(async () => {
      client.destroy();
      await scheduler.stop();
      await close(server);
    });
    return { clock, calls, scheduler, client, chases: new SchedulerChases(client, TARGET) };
  }

  it('calls the chase function with the case and step at the time asked, once, and is gone after', async () => {
    const { clock, calls, scheduler, client, chases } = await given();
    await chases.arm({ caseId: '20261123-8f9d45a4', stepKey: '2.1', at: '2026-11-24T09:30:00.250Z' });
    // Arming the same chase again (a retried task, a wake) adds nothing.
    await chases.arm({ caseId: '20261123-8f9d45a4', stepKey: '2.1', at: '2026-11-24T09:30:00.250Z' });
    const [armed, ...more] = scheduler.pendingOneTime();
    expect(more).toEqual([]);
    expect(armed).toEqual({ name: expect.stringMatching(/^chase-20261123-8f9d45a4-2\.1-[0-9a-z]+$/), at: '2026-11-24T09:31:00.000Z', input: { caseId: '20261123-8f9d45a4', stepKey: '2.1' } });
    const schedule = await client.send(new GetScheduleCommand({ Name: armed!.name, GroupName: TARGET.group }));
    expect(schedule).toMatchObject({ ScheduleExpression: 'at(2026-11-24T09:31:00)', ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion: 'DELETE', Target: { Arn: TARGET.arn, RoleArn: TARGET.roleArn, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: TARGET.deadLetterArn } } });

    await clock.set(Date.parse('2026-11-24T09:30:59Z'));
    expect(calls).toEqual([]);
    await clock.set(Date.parse('2026-11-24T09:31:00Z'));
    expect(calls).toEqual([{ arn: TARGET.arn, event: { caseId: '20261123-8f9d45a4', stepKey: '2.1' } }]);
    expect(scheduler.pendingOneTime()).toEqual([]);
  });

  it('keeps one schedule per step and per time: a later chase of the same step, or another step, is a schedule of its own', async () => {
    const { scheduler, chases } = await given();
    await chases.arm({ caseId: '20261123-8f9d45a4', stepKey: '2.1', at: '2026-11-24T09:30:00Z' });
    await chases.arm({ caseId: '20261123-8f9d45a4', stepKey: '2.1', at: '2026-11-25T09:30:00Z' });
    await chases.arm({ caseId: '20261123-8f9d45a4', stepKey: '3.1', at: '2026-11-24T09:30:00Z' });
    expect(new Set(scheduler.pendingOneTime().map((s) => s.name)).size).toBe(3);
  });

  it('removes the chase of one step at one time when disarmed, leaving the others; one already gone is nothing to do', async () => {
    const { clock, calls, scheduler, chases } = await given();
    const left = { caseId: '20261123-8f9d45a4', stepKey: '2.1', at: '2026-11-24T09:30:00.250Z' };
    await chases.arm(left);
    await chases.arm({ ...left, stepKey: '3.1' });
    await chases.disarm(left);
    expect(scheduler.pendingOneTime().map((s) => s.input)).toEqual([{ caseId: left.caseId, stepKey: '3.1' }]);
    // Fired and deleted, or never armed at that time.
    await chases.disarm(left);
    await chases.disarm({ ...left, at: '2026-11-30T09:30:00Z' });
    await clock.set(Date.parse('2026-11-24T09:31:00Z'));
    expect(calls.map((c) => c.event)).toEqual([{ caseId: left.caseId, stepKey: '3.1' }]);
  });
});
