import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { settle } from '../../local/clock.ts';
import { givenLocalStepFunctions } from '../support/local-sfn.ts';

const FIXTURE = 'tests/workflows/fixtures/human-step.asl.json';
const DAY = 86_400_000;

describe('the local Step Functions endpoint runs waitForTaskToken as AWS does', () => {
  let local: Awaited<ReturnType<typeof givenLocalStepFunctions>>;
  let issued: { token: string; caseId: string }[];
  let outcomes: unknown[];
  let machineArn: string;

  beforeEach(async () => {
    issued = [];
    outcomes = [];
    local = await givenLocalStepFunctions({
      RecordTask: async (payload) => {
        issued.push(payload as { token: string; caseId: string });
      },
      RecordOutcome: async (payload) => {
        outcomes.push(payload);
        return 'ok';
      },
    });
    const created = await local.sfn.send(
      new CreateStateMachineCommand({ name: 'HumanStep', definition: local.definition(FIXTURE), roleArn: 'arn:aws:iam::000000000000:role/x' }),
    );
    machineArn = created.stateMachineArn!;
  });

  afterEach(() => local.stop());

  async function start(timeoutSeconds = 3 * 86_400) {
    const { executionArn } = await local.sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ Payload: { caseId: 'C-1', timeoutSeconds } }) }),
    );
    await settle();
    return executionArn!;
  }

  const describeExecution = (executionArn: string) => local.sfn.send(new DescribeExecutionCommand({ executionArn }));

  it('pauses with the token handed to the task, and SendTaskSuccess resumes it', async () => {
    const arn = await start();
    expect(issued).toHaveLength(1);
    expect(issued[0]!.caseId).toBe('C-1');
    expect(issued[0]!.token).toMatch(/^[0-9a-f-]{36}$/);
    await local.clock.advance(2 * DAY);
    expect((await describeExecution(arn)).status).toBe('RUNNING');

    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: issued[0]!.token, output: JSON.stringify({ approved: true }) }));
    await settle();
    expect(outcomes).toEqual([{ Payload: { caseId: 'C-1', timeoutSeconds: 259200 }, decision: { approved: true } }]);
    // The Wait state after the task runs on the same clock: a day must pass before the end.
    expect((await describeExecution(arn)).status).toBe('RUNNING');
    await local.clock.advance(DAY);
    const done = await describeExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).outcome).toEqual({ recorded: 'ok' });
  });

  it('fails the task with SendTaskFailure, and the error name is what Catch matches', async () => {
    const arn = await start();
    await local.sfn.send(new SendTaskFailureCommand({ taskToken: issued[0]!.token, error: 'Rejected', cause: '不同意' }));
    await settle();
    const failed = await describeExecution(arn);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Rejected');
    expect(outcomes).toEqual([]);
  });

  it('raises States.Timeout when the clock passes TimeoutSecondsPath, not a moment before', async () => {
    const arn = await start(60 * 86_400); // 60 days: longer than one Node timer can hold
    await local.clock.advance(60 * DAY - 1000);
    expect((await describeExecution(arn)).status).toBe('RUNNING');
    await local.clock.advance(1000);
    const timedOut = await describeExecution(arn);
    expect(timedOut.status).toBe('FAILED');
    expect(timedOut.error).toBe('Overdue');
  });

  it('refuses a token that was already used, and one that never existed', async () => {
    await start();
    const token = issued[0]!.token;
    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await expect(local.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(local.sfn.send(new SendTaskFailureCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(local.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(
      local.sfn.send(new SendTaskSuccessCommand({ taskToken: '00000000-0000-4000-8000-000000000000', output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(local.sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('refuses a token after its task timed out', async () => {
    await start(3600);
    await local.clock.advance(3600 * 1000);
    await expect(
      local.sfn.send(new SendTaskSuccessCommand({ taskToken: issued[0]!.token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('rejects output that is not JSON without spending the token', async () => {
    const arn = await start();
    await expect(local.sfn.send(new SendTaskSuccessCommand({ taskToken: issued[0]!.token, output: 'not json' }))).rejects.toMatchObject({ name: 'InvalidOutput' });
    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: issued[0]!.token, output: '{}' }));
    await settle();
    expect(outcomes).toHaveLength(1);
    expect((await describeExecution(arn)).status).toBe('RUNNING');
  });

  it('stops an execution: its token is refused and no later state runs', async () => {
    const arn = await start();
    await local.sfn.send(new StopExecutionCommand({ executionArn: arn, cause: 'withdrawn' }));
    await settle();
    const stopped = await describeExecution(arn);
    expect(stopped.status).toBe('ABORTED');
    await expect(local.sfn.send(new SendTaskSuccessCommand({ taskToken: issued[0]!.token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(outcomes).toEqual([]);
    expect(local.clock.pendingTimers).toBe(0);
  });

  it('returns the same execution when started again with the same name and input, and refuses another input', async () => {
    const input = JSON.stringify({ Payload: { caseId: 'C-9', timeoutSeconds: 60 } });
    const first = await local.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'case-C-9', input }));
    const again = await local.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'case-C-9', input }));
    expect(again.executionArn).toBe(first.executionArn);
    await settle();
    expect(issued).toHaveLength(1);
    await expect(
      local.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'case-C-9', input: '{"Payload":{}}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('answers unknown executions and machines with the AWS error names', async () => {
    await expect(describeExecution('arn:aws:states:us-east-1:000000000000:execution:HumanStep:nope')).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(
      local.sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Nope' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });
});

describe('heartbeats', () => {
  it('fails with States.HeartbeatTimeout when heartbeats stop, and keeps waiting while they come', async () => {
    const tokens: string[] = [];
    const local = await givenLocalStepFunctions({ Work: async (p) => void tokens.push((p as { token: string }).token) });
    try {
      const definition = JSON.stringify({
        StartAt: 'Long Job',
        States: {
          'Long Job': {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: local.engine.functionArn('Work'), Payload: { 'token.$': '$$.Task.Token' } },
            HeartbeatSeconds: 60,
            End: true,
          },
        },
      });
      const { stateMachineArn } = await local.sfn.send(new CreateStateMachineCommand({ name: 'Beats', definition, roleArn: 'arn:aws:iam::000000000000:role/x' }));
      const { executionArn } = await local.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await settle();
      for (let i = 0; i < 3; i++) {
        await local.clock.advance(50_000);
        await local.sfn.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
      }
      expect((await local.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      await local.clock.advance(60_000);
      const failed = await local.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toBe('States.HeartbeatTimeout');
    } finally {
      await local.stop();
    }
  });
});
