/**
 * The local Step Functions endpoint answers DescribeExecution and GetExecutionHistory as AWS does:
 * the bodies and headers the AWS CLI v2 sends (`aws stepfunctions describe-execution`,
 * `get-execution-history` with `--max-items`, `--page-size`, `--reverse-order`, `--no-paginate`),
 * sent as raw HTTP, and the same through @aws-sdk/client-sfn.
 */
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidToken,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { settle } from '../../local/clock.ts';
import { substitute } from '../../local/stepfunctions/asl-local.ts';
import { MAX_EVENTS } from '../../local/stepfunctions/history.ts';
import { givenLocalStepFunctions } from '../support/local-sfn.ts';

/** One person decides; approved, the execution cools down a minute, records the outcome and succeeds. */
const DEFINITION = JSON.stringify({
  StartAt: 'Ask Approver',
  States: {
    'Ask Approver': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: '${RecordTask}', Payload: { 'token.$': '$$.Task.Token', 'caseId.$': '$.caseId' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.decision',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Too Late' }],
      Next: 'Approved?',
    },
    'Approved?': { Type: 'Choice', Choices: [{ Variable: '$.decision.approved', BooleanEquals: true, Next: 'Cool Down' }], Default: 'Rejected' },
    'Cool Down': { Type: 'Wait', Seconds: 60, Next: 'Record Outcome' },
    'Record Outcome': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${RecordOutcome}', 'Payload.$': '$' },
      ResultSelector: { 'recorded.$': '$.Payload' },
      ResultPath: '$.outcome',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Rejected: { Type: 'Fail', Error: 'Rejected', Cause: '不同意' },
    'Too Late': { Type: 'Fail', Error: 'Overdue', Cause: 'Nobody decided in time' },
  },
});

const APPROVED_PATH = [
  'ExecutionStarted',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskStateExited',
  'ChoiceStateEntered',
  'ChoiceStateExited',
  'WaitStateEntered',
  'WaitStateExited',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSucceeded',
  'TaskStateExited',
  'SucceedStateEntered',
  'SucceedStateExited',
  'ExecutionSucceeded',
];

/** What the AWS CLI v2 puts on every Step Functions request (the signature is not checked locally). */
function cliHeaders(target: string, body: string, host: string): Record<string, string> {
  return {
    Host: host,
    'Accept-Encoding': 'identity',
    'X-Amz-Target': `AWSStepFunctions.${target}`,
    'Content-Type': 'application/x-amz-json-1.0',
    'User-Agent': `aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#stepfunctions.${target.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`,
    'X-Amz-Date': '20260930T020000Z',
    Authorization: `AWS4-HMAC-SHA256 Credential=local/20260930/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    'Content-Length': String(Buffer.byteLength(body)),
  };
}

/** botocore's JSON serializer: json.dumps with its default separators. */
const pythonJson = (value: Record<string, unknown>) => JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "');

function cli(endpoint: string, target: string, params: Record<string, unknown>): Promise<{ status: number; contentType?: string; body: any }> {
  const url = new URL(endpoint);
  const body = pythonJson(params);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: cliHeaders(target, body, url.host) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What `aws stepfunctions get-execution-history --max-items n` does: pages (of --page-size, or as the service likes) until n items, then a NextToken. */
async function cliMaxItems(endpoint: string, executionArn: string, maxItems: number, extra: Record<string, unknown> = {}) {
  const items: any[] = [];
  const requests: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  do {
    const params = { executionArn, ...extra, ...(nextToken ? { nextToken } : {}) };
    requests.push(params);
    const reply = await cli(endpoint, 'GetExecutionHistory', params);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    items.push(...reply.body.events);
    nextToken = reply.body.nextToken;
  } while (nextToken && items.length < maxItems);
  return { items: items.slice(0, maxItems), requests };
}

function expectLinked(events: { id?: number; previousEventId?: number }[]) {
  events.forEach((e, i) => {
    expect(e.id).toBe(i + 1);
    expect(e.previousEventId).toBe(i);
  });
}

describe('the local Step Functions endpoint answers DescribeExecution and GetExecutionHistory as AWS does', () => {
  let local: Awaited<ReturnType<typeof givenLocalStepFunctions>>;
  let endpoint: string;
  let tokens: string[];
  let machineArn: string;

  beforeEach(async () => {
    tokens = [];
    local = await givenLocalStepFunctions({
      RecordTask: async (payload) => {
        tokens.push((payload as { token: string }).token);
        return { recorded: true };
      },
      RecordOutcome: async () => 'ok',
    });
    const e = await local.sfn.config.endpoint!();
    endpoint = `${e.protocol}//${e.hostname}:${e.port}`;
    const definition = substitute(DEFINITION, { RecordTask: local.engine.functionArn('RecordTask'), RecordOutcome: local.engine.functionArn('RecordOutcome') });
    machineArn = (await local.sfn.send(new CreateStateMachineCommand({ name: 'History', definition, roleArn: 'arn:aws:iam::000000000000:role/x' }))).stateMachineArn!;
  });

  afterEach(() => local.stop());

  async function start(name: string) {
    const { executionArn } = await local.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify({ caseId: name }) }));
    await settle();
    return executionArn!;
  }

  async function runApproved(name: string) {
    const arn = await start(name);
    await local.clock.advance(5 * 60_000);
    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.at(-1)!, output: JSON.stringify({ approved: true }) }));
    await settle();
    await local.clock.advance(60_000);
    await settle();
    return arn;
  }

  it('describe-execution as the CLI sends it: the AWS shape, dates in epoch seconds', async () => {
    const arn = await start('C-running');
    const running = await cli(endpoint, 'DescribeExecution', { executionArn: arn });
    expect(running.status).toBe(200);
    expect(running.contentType).toBe('application/x-amz-json-1.0');
    expect(running.body).toEqual({
      executionArn: arn,
      stateMachineArn: machineArn,
      name: 'C-running',
      status: 'RUNNING',
      startDate: Date.parse('2026-09-30T02:00:00Z') / 1000,
      input: '{"caseId":"C-running"}',
      inputDetails: { included: true },
      redriveCount: 0,
    });

    await local.clock.advance(90_000);
    await local.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: JSON.stringify({ approved: false }) }));
    await settle();
    const failed = await cli(endpoint, 'DescribeExecution', { executionArn: arn });
    expect(failed.body).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: '不同意', stopDate: Date.parse('2026-09-30T02:01:30Z') / 1000 });
  });

  it('get-execution-history --no-paginate: every event, ids from 1, each linked to the one before, with AWS’s details', async () => {
    const arn = await runApproved('C-approved');
    const reply = await cli(endpoint, 'GetExecutionHistory', { executionArn: arn });
    expect(reply.status).toBe(200);
    expect(reply.body.nextToken).toBeUndefined();
    const events = reply.body.events;
    expect(events.map((e: any) => e.type)).toEqual(APPROVED_PATH);
    expectLinked(events);
    const [started, entered, scheduled] = events;
    expect(started).toEqual({
      timestamp: Date.parse('2026-09-30T02:00:00Z') / 1000,
      type: 'ExecutionStarted',
      id: 1,
      previousEventId: 0,
      executionStartedEventDetails: { input: '{"caseId":"C-approved"}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::000000000000:role/x' },
    });
    expect(entered.stateEnteredEventDetails).toEqual({ name: 'Ask Approver', input: '{"caseId":"C-approved"}', inputDetails: { truncated: false } });
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', region: 'us-east-1', timeoutInSeconds: 3600 });
    expect(JSON.parse(scheduled.taskScheduledEventDetails.parameters)).toEqual({
      FunctionName: local.engine.functionArn('RecordTask'),
      Payload: { token: tokens[0], caseId: 'C-approved' },
    });
    const succeeded = events.find((e: any) => e.type === 'TaskSucceeded');
    expect(JSON.parse(succeeded.taskSucceededEventDetails.output)).toEqual({ approved: true });
    // The clock the engine runs on: the decision came after 5 minutes, the Wait took one more.
    expect(succeeded.timestamp).toBe(Date.parse('2026-09-30T02:05:00Z') / 1000);
    const waitExited = events.find((e: any) => e.type === 'WaitStateExited');
    expect(waitExited.timestamp).toBe(Date.parse('2026-09-30T02:06:00Z') / 1000);
    expect(events.filter((e: any) => e.type === 'ChoiceStateExited')[0].stateExitedEventDetails.name).toBe('Approved?');
    const last = events.at(-1);
    expect(JSON.parse(last.executionSucceededEventDetails.output)).toMatchObject({ caseId: 'C-approved', decision: { approved: true }, outcome: { recorded: 'ok' } });
    // DescribeExecution agrees with the history's end.
    const described = await cli(endpoint, 'DescribeExecution', { executionArn: arn });
    expect(described.body).toMatchObject({ status: 'SUCCEEDED', output: last.executionSucceededEventDetails.output, stopDate: last.timestamp });
  });

  it('get-execution-history --max-items and --page-size: nextToken returns the rest, the pages join up to the whole history', async () => {
    const arn = await runApproved('C-paged');
    // --max-items 5 with no --page-size: one request (the service's default page), cut to five by the CLI.
    const five = await cliMaxItems(endpoint, arn, 5);
    expect(five.requests).toEqual([{ executionArn: arn }]);
    expect(five.items.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);

    // --page-size 4: the CLI sends maxResults and follows nextToken with the other arguments unchanged.
    const paged = await cliMaxItems(endpoint, arn, 1000, { maxResults: 4 });
    expect(paged.requests).toHaveLength(Math.ceil(APPROVED_PATH.length / 4));
    for (const r of paged.requests.slice(1)) expect(r).toMatchObject({ executionArn: arn, maxResults: 4, nextToken: expect.any(String) });
    expect(paged.items.map((e) => e.type)).toEqual(APPROVED_PATH);
    expectLinked(paged.items);

    // A token used with other arguments is refused, as in AWS.
    const first = await cli(endpoint, 'GetExecutionHistory', { executionArn: arn, maxResults: 4 });
    const reversed = await cli(endpoint, 'GetExecutionHistory', { executionArn: arn, maxResults: 4, reverseOrder: true, nextToken: first.body.nextToken });
    expect(reversed).toMatchObject({ status: 400, body: { __type: 'InvalidToken' } });
    const garbled = await cli(endpoint, 'GetExecutionHistory', { executionArn: arn, nextToken: 'not a token' });
    expect(garbled).toMatchObject({ status: 400, body: { __type: 'InvalidToken' } });
  });

  it('get-execution-history --reverse-order: newest first, paged backwards to the start', async () => {
    const arn = await runApproved('C-reversed');
    const all = await cliMaxItems(endpoint, arn, 1000, { reverseOrder: true, maxResults: 7 });
    expect(all.items.map((e) => e.id)).toEqual(APPROVED_PATH.map((_, i) => APPROVED_PATH.length - i));
    expect(all.items.map((e) => e.type)).toEqual([...APPROVED_PATH].reverse());
    expect(all.requests).toHaveLength(3);
  });

  it('--no-include-execution-data leaves inputs, outputs and parameters out', async () => {
    const arn = await runApproved('C-no-data');
    const reply = await cli(endpoint, 'GetExecutionHistory', { executionArn: arn, includeExecutionData: false });
    const text = JSON.stringify(reply.body);
    expect(text).not.toContain('C-no-data');
    expect(text).not.toContain('"input"');
    expect(text).not.toContain('"output"');
    expect(reply.body.events[2].taskScheduledEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', region: 'us-east-1', timeoutInSeconds: 3600 });
    expect(reply.body.events[1].stateEnteredEventDetails).toEqual({ name: 'Ask Approver' });
  });

  it('records a timed-out task and a stopped execution as AWS does', async () => {
    const late = await start('C-late');
    await local.clock.advance(3600_000);
    await settle();
    const lateEvents = (await local.sfn.send(new GetExecutionHistoryCommand({ executionArn: late }))).events!;
    expect(lateEvents.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskTimedOut',
      'TaskStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
    expect(lateEvents[5]!.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout' });
    expect(lateEvents.at(-1)!.executionFailedEventDetails).toEqual({ error: 'Overdue', cause: 'Nobody decided in time' });

    const stopped = await start('C-stopped');
    await local.sfn.send(new StopExecutionCommand({ executionArn: stopped, error: 'Withdrawn', cause: '撤回' }));
    await settle();
    const stoppedEvents = (await local.sfn.send(new GetExecutionHistoryCommand({ executionArn: stopped }))).events!;
    expect(stoppedEvents.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'ExecutionAborted']);
    expect(stoppedEvents.at(-1)!.executionAbortedEventDetails).toEqual({ error: 'Withdrawn', cause: '撤回' });
  });

  it('through @aws-sdk/client-sfn: Dates, pages joined by nextToken, reverse order', async () => {
    const arn = await runApproved('C-sdk');
    const described = await local.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.startDate).toEqual(new Date('2026-09-30T02:00:00Z'));
    expect(described.stopDate).toEqual(new Date('2026-09-30T02:06:00Z'));

    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await local.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 5, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(5);
      events.push(...page.events!);
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(4);
    expect(events.map((e) => e.type)).toEqual(APPROVED_PATH);
    expectLinked(events);
    expect(events[0]!.timestamp).toEqual(new Date('2026-09-30T02:00:00Z'));

    const newest = await local.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2 }));
    expect(newest.events!.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'SucceedStateExited']);
    const older = await local.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2, nextToken: newest.nextToken }));
    expect(older.events!.map((e) => e.id)).toEqual([APPROVED_PATH.length - 2, APPROVED_PATH.length - 3]);
  });

  it('answers an unknown execution with ExecutionDoesNotExist, a malformed ARN with InvalidArn, a page size over 1,000 with ValidationException (400)', async () => {
    const ghost = machineArn.replace(':stateMachine:', ':execution:') + ':nobody';
    for (const target of ['DescribeExecution', 'GetExecutionHistory']) {
      expect(await cli(endpoint, target, { executionArn: ghost })).toMatchObject({ status: 400, body: { __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${ghost}'` } });
      expect(await cli(endpoint, target, { executionArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:History' })).toMatchObject({ status: 400, body: { __type: 'InvalidArn' } });
      expect(await cli(endpoint, target, { executionArn: 'not-an-arn' })).toMatchObject({ status: 400, body: { __type: 'InvalidArn' } });
    }
    const arn = await start('C-limits');
    expect(await cli(endpoint, 'GetExecutionHistory', { executionArn: arn, maxResults: 1001 })).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
    await expect(local.sfn.send(new DescribeExecutionCommand({ executionArn: ghost }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(local.sfn.send(new GetExecutionHistoryCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:nonsense' }))).rejects.toBeInstanceOf(InvalidArn);
    await expect(local.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, nextToken: 'eyJ9' }))).rejects.toBeInstanceOf(InvalidToken);
    // An object's own names are no operations.
    for (const target of ['__proto__', 'toString', 'hasOwnProperty', 'constructor']) {
      expect(await cli(endpoint, target, {})).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    }
  });

  it('keeps the first event and the latest 1,000 of a long execution, and only the first and last a day after it ended', async () => {
    const loop = JSON.stringify({
      StartAt: 'Tick',
      States: {
        Tick: { Type: 'Task', Resource: '${RecordOutcome}', ResultPath: '$.last', Next: 'Again?' },
        'Again?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Next: 'Count' }], Default: 'Done' },
        Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, -1)' }, Next: 'Tick' },
        Done: { Type: 'Succeed' },
      },
    });
    const sm = await local.sfn.send(new CreateStateMachineCommand({ name: 'Loop', definition: substitute(loop, { RecordOutcome: local.engine.functionArn('RecordOutcome') }), roleArn: 'arn:aws:iam::000000000000:role/x' }));
    const { executionArn } = await local.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: JSON.stringify({ n: 150 }) }));
    for (let i = 0; i < 200 && (await local.sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING'; i++) await settle();
    await settle();
    // Tick (entered, scheduled, started, succeeded, exited) 151 times, the choice (2) 151 times, the pass (2) 150 times.
    const total = 1 + 151 * 7 + 150 * 2 + 2 + 1;
    const kept = (await cliMaxItems(endpoint, executionArn!, 10_000, { maxResults: 1000 })).items;
    expect(kept).toHaveLength(MAX_EVENTS + 1);
    expect(kept[0]).toMatchObject({ id: 1, type: 'ExecutionStarted' });
    expect(kept[1].id).toBe(total - MAX_EVENTS + 1);
    expect(kept.at(-1)).toMatchObject({ id: total, type: 'ExecutionSucceeded', previousEventId: total - 1 });
    expect(kept[1].type).not.toBe('ExecutionStarted');
    expect(kept.find((e) => e.type === 'LambdaFunctionScheduled').lambdaFunctionScheduledEventDetails.resource).toBe(local.engine.functionArn('RecordOutcome'));

    await local.clock.advance(25 * 3_600_000);
    // Forgetting happens as executions start and end: one more run sweeps the old history.
    await runApproved('C-later');
    const compacted = (await local.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(compacted.map((e) => [e.id, e.type])).toEqual([
      [1, 'ExecutionStarted'],
      [total, 'ExecutionSucceeded'],
    ]);
    expect((await local.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
  });
});
