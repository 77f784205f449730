/**
 * The Step Functions API on loopback (AWS JSON 1.0 protocol, `X-Amz-Target: AWSStepFunctions.*`),
 * so handlers use the same @aws-sdk/client-sfn calls here as in AWS.
 */
import { createServer, type Server } from 'node:http';
import { readBody } from '../http-util.ts';
import { StepFunctionsApiError, type ExecutionRecord, type LocalStepFunctions } from './engine.ts';

type Body = Record<string, string | undefined>;

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
    output: e.output,
    error: e.error,
    cause: e.cause,
  };
}

function operations(engine: LocalStepFunctions): Record<string, (body: Body) => unknown> {
  return {
    CreateStateMachine: (b) => {
      const sm = engine.createStateMachine(required(b, 'name'), required(b, 'definition'), b.roleArn);
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
      const e = engine.startExecution(required(b, 'stateMachineArn'), b.input ?? '{}', b.name);
      return { executionArn: e.arn, startDate: seconds(e.startedAt) };
    },
    DescribeExecution: (b) => describeExecution(engine.describeExecution(required(b, 'executionArn'))),
    ListExecutions: (b) => ({
      executions: engine
        .listExecutions(required(b, 'stateMachineArn'), b.statusFilter as never)
        .map((e) => ({ executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: seconds(e.startedAt), stopDate: seconds(e.stoppedAt) })),
    }),
    StopExecution: (b) => ({ stopDate: seconds(engine.stopExecution(required(b, 'executionArn'), b.error, b.cause).stoppedAt) }),
    SendTaskSuccess: (b) => (engine.sendTaskSuccess(required(b, 'taskToken'), required(b, 'output')), {}),
    SendTaskFailure: (b) => (engine.sendTaskFailure(required(b, 'taskToken'), b.error, b.cause), {}),
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

export function createStepFunctionsServer(engine: LocalStepFunctions): Server {
  const ops = operations(engine);
  return createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const op = ops[target.replace(/^AWSStepFunctions\./, '')];
      if (!op) throw new StepFunctionsApiError('UnknownOperationException', `Operation not supported locally: ${target}`);
      const text = (await readBody(request, 1024 * 1024)).toString('utf8');
      reply(200, op(text ? JSON.parse(text) : {}));
    } catch (error) {
      if (error instanceof StepFunctionsApiError) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
