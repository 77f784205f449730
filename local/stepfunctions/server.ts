/**
 * The Step Functions API on loopback (AWS JSON 1.0 protocol, `X-Amz-Target: AWSStepFunctions.*`),
 * so handlers use the same @aws-sdk/client-sfn calls here as in AWS.
 */
import { createServer, type Server } from 'node:http';
import { readBody } from '../http-util.ts';
import { StepFunctionsApiError, type ExecutionRecord, type LocalStepFunctions } from './engine.ts';
import type { HistoryEvent } from './history.ts';

type Body = Record<string, unknown>;

/** GetExecutionHistory's page size when maxResults is absent or 0, and the largest it takes (as in AWS). */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
/** The execution data a history event carries, left out when includeExecutionData is false. */
const DATA_FIELDS = new Set(['input', 'inputDetails', 'output', 'outputDetails', 'parameters']);

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function describeExecution(e: ExecutionRecord) {
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startedAt),
    stopDate: seconds(e.stoppedAt),
    input: e.input,
    inputDetails: { included: true },
    output: e.output,
    outputDetails: e.output === undefined ? undefined : { included: true },
    error: e.error,
    cause: e.cause,
    redriveCount: 0,
  };
}

/** GetExecutionHistory: a page of events, oldest first unless reversed, and a token for the rest. */
function executionHistory(engine: LocalStepFunctions, b: Body) {
  const arn = required(b, 'executionArn');
  const reverse = flag(b, 'reverseOrder', false);
  const includeData = flag(b, 'includeExecutionData', true);
  const limit = pageSize(b.maxResults);
  const history = engine.executionHistory(arn);
  const page = history.page({ limit, reverse, from: decodeToken(b.nextToken, arn, reverse) });
  return {
    events: page.events.map((event) => eventJson(event, includeData)),
    nextToken: page.next === undefined ? undefined : encodeToken(arn, reverse, page.next),
  };
}

function eventJson(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = { timestamp: event.timestamp / 1000, type: event.type, id: event.id, previousEventId: event.previousEventId };
  if (event.details) {
    const { key, value } = event.details;
    json[key] = includeData ? value : Object.fromEntries(Object.entries(value).filter(([field]) => !DATA_FIELDS.has(field)));
  }
  return json;
}

function pageSize(maxResults: unknown): number {
  if (maxResults === undefined || maxResults === null || maxResults === 0) return DEFAULT_PAGE;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE) {
    throw new StepFunctionsApiError(
      'ValidationException',
      `1 validation error detected: Value '${String(maxResults).slice(0, 32)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`,
    );
  }
  return maxResults;
}

/**
 * Page tokens name where the next page starts, bound to the execution and the order asked for: as
 * in AWS, a token is good only with the same other arguments.
 */
function encodeToken(arn: string, reverse: boolean, after: number): string {
  return Buffer.from(JSON.stringify({ a: arn, r: reverse, f: after })).toString('base64url');
}

function decodeToken(token: unknown, arn: string, reverse: boolean): number | undefined {
  if (token === undefined || token === null) return undefined;
  const invalid = () => new StepFunctionsApiError('InvalidToken', `Invalid Token: '${String(token).slice(0, 64)}'`);
  if (typeof token !== 'string' || token.length > 1024 || !/^[\w-]+$/.test(token)) throw invalid();
  let parsed: { a?: unknown; r?: unknown; f?: unknown } | null;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (parsed?.a !== arn || parsed.r !== reverse || !Number.isInteger(parsed.f)) throw invalid();
  return parsed.f as number;
}

function operations(engine: LocalStepFunctions): Record<string, (body: Body) => unknown> {
  return {
    CreateStateMachine: (b) => {
      const sm = engine.createStateMachine(required(b, 'name'), required(b, 'definition'), optional(b, 'roleArn'));
      return { stateMachineArn: sm.arn, creationDate: seconds(sm.createdAt) };
    },
    DescribeStateMachine: (b) => {
      const sm = engine.describeStateMachine(required(b, 'stateMachineArn'));
      return { stateMachineArn: sm.arn, name: sm.name, status: 'ACTIVE', definition: sm.definition, roleArn: sm.roleArn, type: 'STANDARD', creationDate: seconds(sm.createdAt) };
    },
    ListStateMachines: () => ({
      stateMachines: engine.listStateMachines().map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: 'STANDARD', creationDate: seconds(sm.createdAt) })),
    }),
    StartExecution: (b) => {
      const e = engine.startExecution(required(b, 'stateMachineArn'), optional(b, 'input') ?? '{}', optional(b, 'name'));
      return { executionArn: e.arn, startDate: seconds(e.startedAt) };
    },
    DescribeExecution: (b) => describeExecution(engine.describeExecution(required(b, 'executionArn'))),
    GetExecutionHistory: (b) => executionHistory(engine, b),
    ListExecutions: (b) => ({
      executions: engine
        .listExecutions(required(b, 'stateMachineArn'), optional(b, 'statusFilter') as never)
        .map((e) => ({ executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: seconds(e.startedAt), stopDate: seconds(e.stoppedAt) })),
    }),
    StopExecution: (b) => ({ stopDate: seconds(engine.stopExecution(required(b, 'executionArn'), optional(b, 'error'), optional(b, 'cause')).stoppedAt) }),
    SendTaskSuccess: (b) => (engine.sendTaskSuccess(required(b, 'taskToken'), required(b, 'output')), {}),
    SendTaskFailure: (b) => (engine.sendTaskFailure(required(b, 'taskToken'), optional(b, 'error'), optional(b, 'cause')), {}),
    SendTaskHeartbeat: (b) => (engine.sendTaskHeartbeat(required(b, 'taskToken')), {}),
  };
}

function required(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw new StepFunctionsApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optional(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new StepFunctionsApiError('SerializationException', `Unexpected value type for '${field}'`);
  return value;
}

function flag(body: Body, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new StepFunctionsApiError('SerializationException', `Unexpected value type for '${field}'`);
  return value;
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new StepFunctionsApiError('SerializationException', 'The request body is not JSON');
  }
}

export function createStepFunctionsServer(engine: LocalStepFunctions): Server {
  const ops = operations(engine);
  return createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const name = target.replace(/^AWSStepFunctions\./, '');
      // Own operations only: `__proto__` or `toString` are not operations.
      const op = Object.hasOwn(ops, name) ? ops[name] : undefined;
      if (!op) throw new StepFunctionsApiError('UnknownOperationException', `Operation not supported locally: ${target}`);
      const text = (await readBody(request, 1024 * 1024)).toString('utf8');
      const body = parseBody(text);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new StepFunctionsApiError('SerializationException', 'The request body is not a JSON object');
      reply(200, op(body as Body));
    } catch (error) {
      if (error instanceof StepFunctionsApiError) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
