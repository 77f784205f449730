import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle, systemClock } from '../../local/clock.ts';
import { LocalStepFunctions } from '../../local/stepfunctions/engine.ts';
import { givenLocalStepFunctions } from '../support/local-sfn.ts';

const token = (p: unknown) => (p as { token: string }).token;

function machine(states: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...extra });
}

const waitTask = (fn: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fn, Payload: { 'token.$': '$$.Task.Token', 'seconds.$': '$.seconds' } },
  ...extra,
});

describe('local Step Functions: the edges AWS defines', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    vi.useRealTimers();
  });

  it('a task function that fails fails the task with its error name, spends the token and leaves no timer armed', async () => {
    const local = await givenLocalStepFunctions({ Boom: async () => Promise.reject(Object.assign(new Error('no'), { name: 'CaseNotFound' })) });
    stop = local.stop;
    const sm = local.engine.createStateMachine('Fails', machine({ Ask: waitTask(local.engine.functionArn('Boom'), { TimeoutSeconds: 600, HeartbeatSeconds: 60, End: true }) }));
    const e = local.engine.startExecution(sm.arn, '{"seconds": 5}');
    await settle();
    expect(local.engine.describeExecution(e.arn)).toMatchObject({ status: 'FAILED', error: 'CaseNotFound' });
    expect(local.clock.pendingTimers).toBe(0);
  });

  it('refuses an invalid definition every time it is asked, in every engine, however often a valid one was created before', async () => {
    for (let round = 0; round < 2; round++) {
      const local = await givenLocalStepFunctions({ F: async () => ({ ok: true }) });
      stop = local.stop;
      const broken = machine({ Ask: { Type: 'Task', Resource: local.engine.functionArn('F'), Next: 'Missing' } });
      expect(() => local.engine.createStateMachine('Broken', broken)).toThrow(expect.objectContaining({ type: 'InvalidDefinition' }));
      const sm = local.engine.createStateMachine('Good', machine({ Ask: { Type: 'Task', Resource: local.engine.functionArn('F'), End: true } }));
      const e = local.engine.startExecution(sm.arn, '{}');
      await settle();
      expect(local.engine.describeExecution(e.arn)).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
      expect(() => local.engine.createStateMachine('Broken', broken)).toThrow(expect.objectContaining({ type: 'InvalidDefinition' }));
      await local.stop();
      stop = undefined;
    }
  });

  it('a task function that answers its own token before returning does not crash the engine', async () => {
    let engine!: LocalStepFunctions;
    const local = await givenLocalStepFunctions({
      Quick: async (p) => {
        engine.sendTaskFailure(token(p), 'Rejected', 'at once');
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    engine = local.engine;
    stop = local.stop;
    const sm = engine.createStateMachine('Quick', machine({ Ask: waitTask(engine.functionArn('Quick'), { End: true }) }));
    const e = engine.startExecution(sm.arn, '{"seconds": 5}');
    await new Promise((r) => setTimeout(r, 20));
    expect(engine.describeExecution(e.arn)).toMatchObject({ status: 'FAILED', error: 'Rejected' });
  });

  it('after StopExecution a Retry on States.ALL does not run the task again', async () => {
    const calls: string[] = [];
    const local = await givenLocalStepFunctions({ Ask: async (p) => void calls.push(token(p)) });
    stop = local.stop;
    const sm = local.engine.createStateMachine(
      'Stoppable',
      machine({ Ask: waitTask(local.engine.functionArn('Ask'), { Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }], End: true }) }),
    );
    const e = local.engine.startExecution(sm.arn, '{"seconds": 5}');
    await settle();
    local.engine.stopExecution(e.arn);
    await new Promise((r) => setTimeout(r, 1200));
    expect(calls).toHaveLength(1);
    expect(local.engine.describeExecution(e.arn).status).toBe('ABORTED');
    expect(() => local.engine.sendTaskSuccess(calls[0]!, '{}')).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
  });

  it('States.Runtime is not caught by States.ALL: a bad TimeoutSecondsPath fails the execution', async () => {
    const local = await givenLocalStepFunctions({ Ask: async () => {} });
    stop = local.stop;
    const sm = local.engine.createStateMachine(
      'BadPath',
      machine({
        Ask: waitTask(local.engine.functionArn('Ask'), { TimeoutSecondsPath: '$.Payload.seconds', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true }),
        Caught: { Type: 'Succeed' },
      }),
    );
    const e = local.engine.startExecution(sm.arn, '{"seconds": "soon"}');
    await settle();
    expect(local.engine.describeExecution(e.arn)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('a missed heartbeat is caught by a Catch on States.Timeout, as in AWS', async () => {
    const local = await givenLocalStepFunctions({ Ask: async () => {} });
    stop = local.stop;
    const sm = local.engine.createStateMachine(
      'Beat',
      machine({
        Ask: waitTask(local.engine.functionArn('Ask'), { HeartbeatSeconds: 30, Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Late' }], End: true }),
        Late: { Type: 'Pass', End: true },
      }),
    );
    const e = local.engine.startExecution(sm.arn, '{"seconds": 5}');
    await settle();
    await local.clock.advance(30_000);
    const done = local.engine.describeExecution(e.arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).error.Error).toBe('States.HeartbeatTimeout');
  });

  it('the machine’s own TimeoutSeconds times the execution out on the clock', async () => {
    const local = await givenLocalStepFunctions({ Ask: async () => {} });
    stop = local.stop;
    const sm = local.engine.createStateMachine('Bounded', machine({ Ask: waitTask(local.engine.functionArn('Ask'), { End: true }) }, { TimeoutSeconds: 3600 }));
    const e = local.engine.startExecution(sm.arn, '{"seconds": 5}');
    await settle();
    await local.clock.advance(3_599_000);
    expect(local.engine.describeExecution(e.arn).status).toBe('RUNNING');
    await local.clock.advance(1000);
    expect(local.engine.describeExecution(e.arn).status).toBe('TIMED_OUT');
    expect(local.clock.pendingTimers).toBe(0);
  });

  it('a Wait until a timestamp from the input ends when the clock gets there', async () => {
    const local = await givenLocalStepFunctions({});
    stop = local.stop;
    const sm = local.engine.createStateMachine('Until', machine({ Hold: { Type: 'Wait', TimestampPath: '$.until', End: true } }));
    const e = local.engine.startExecution(sm.arn, JSON.stringify({ until: '2026-10-08T00:00:00Z' }));
    await local.clock.set(Date.parse('2026-10-07T23:59:59Z'));
    expect(local.engine.describeExecution(e.arn).status).toBe('RUNNING');
    await local.clock.set(Date.parse('2026-10-08T00:00:00Z'));
    expect(local.engine.describeExecution(e.arn).status).toBe('SUCCEEDED');
  });

  it('a closed execution’s name cannot be started again', async () => {
    const local = await givenLocalStepFunctions({});
    stop = local.stop;
    const sm = local.engine.createStateMachine('Once', machine({ Done: { Type: 'Succeed' } }));
    local.engine.startExecution(sm.arn, '{}', 'only-once');
    await settle();
    expect(() => local.engine.startExecution(sm.arn, '{}', 'only-once')).toThrow(expect.objectContaining({ type: 'ExecutionAlreadyExists' }));
  });
});

describe('on the system clock', () => {
  afterEach(() => vi.useRealTimers());

  it('a 60-day human step outlives one Node timer (24.8 days) and times out at 60 days', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-09-30T00:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const engine = new LocalStepFunctions({ clock: systemClock, resolveTask: async () => async () => {} });
    const sm = engine.createStateMachine('Sixty', machine({ Ask: waitTask(engine.functionArn('Ask'), { TimeoutSeconds: 60 * 86_400, End: true }) }));
    const e = engine.startExecution(sm.arn, '{"seconds": 5}');
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);
    expect(engine.describeExecution(e.arn).status).toBe('RUNNING');
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);
    expect(engine.describeExecution(e.arn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });
});
