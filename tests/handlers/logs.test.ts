import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('logs and metrics in Lambda', () => {
  let written: string[];

  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'bangong-test-ActOnCase');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    written = [];
    // Powertools writes errors and warnings to stderr, the rest to stdout, as Lambda's runtime does.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    }
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const lines = () => written.flatMap((chunk) => chunk.split('\n')).filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
  const context = (requestId: string) => ({ functionName: 'bangong-test-ActOnCase', awsRequestId: requestId, memoryLimitInMB: '512', invokedFunctionArn: 'arn:aws:lambda:x' }) as never;

  it('writes one JSON line per event with the case, step, execution and request, publishes what was counted as EMF, and forgets the keys between invocations', async () => {
    const { observed } = await import('../../functions/handlers/observed.ts');
    const { telemetry } = await import('../../functions/adapters/telemetry.ts');
    const handler = observed(
      'DriveCase',
      async (event: { caseId: string; stepKey: string; execution: string }) => {
        telemetry.count('Chases');
        telemetry.survived('DeliveryFailures', 'Could not deliver', new Error('SES is down'));
        return event.caseId;
      },
      (event) => ({ caseId: event.caseId, step: event.stepKey, execution: event.execution }),
    );
    await handler({ caseId: '20261127-abcd', stepKey: '2.1', execution: '20261127-abcd' }, context('req-1'));
    const logged = lines();
    const failure = logged.find((l) => l.message === 'Could not deliver')!;
    expect(failure).toMatchObject({ level: 'ERROR', service: 'bangong', caseId: '20261127-abcd', step: '2.1', execution: '20261127-abcd', handler: 'DriveCase', function_request_id: 'req-1', counter: 'DeliveryFailures' });
    expect(failure.error).toMatchObject({ name: 'Error', message: 'SES is down' });
    const emf = logged.find((l) => l._aws)!;
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Bangong', Dimensions: [['service']] });
    expect(emf).toMatchObject({ service: 'bangong', Chases: 1, DeliveryFailures: 1 });

    written = [];
    const quiet = observed('DriveCase', async () => telemetry.info('nothing to do'));
    await quiet({}, context('req-2'));
    const [line, ...rest] = lines();
    expect(line).toMatchObject({ message: 'nothing to do', function_request_id: 'req-2' });
    expect(line!.caseId).toBeUndefined();
    // Nothing counted, nothing published (the cold start was the first invocation's).
    expect(rest.filter((l) => l._aws)).toEqual([]);
  });

  it('logs an HTTP request with its route, caller, case and status, and a failure of ours with its stack but never in the response', async () => {
    const { httpHandler } = await import('../../functions/handlers/middleware.ts');
    const handler = httpHandler({ auth: false }, async () => {
      throw new Error('ConditionalCheckFailed on CASE#1');
    });
    const event = {
      version: '2.0',
      routeKey: 'POST /api/cases/{id}/act',
      rawPath: '/api/cases/20261127-abcd/act',
      headers: {},
      pathParameters: { id: '20261127-abcd' },
      requestContext: { requestId: 'api-req-9', timeEpoch: Date.now(), http: { method: 'POST' } },
      isBase64Encoded: false,
    };
    const response = await handler(event as never, context('req-3'));
    expect(response.statusCode).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('ConditionalCheckFailed');
    const logged = lines();
    expect(logged.find((l) => l.message === 'Request failed')).toMatchObject({ level: 'ERROR', requestId: 'api-req-9', caseId: '20261127-abcd', route: 'POST /api/cases/{id}/act' });
    expect(logged.find((l) => l.message === 'Request handled')).toMatchObject({ level: 'INFO', status: 500, requestId: 'api-req-9' });
  });
});

describe('logs locally', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes the same events as one readable line each, quoting what could forge a line', async () => {
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
    vi.spyOn(console, 'error').mockImplementation((text: string) => void out.push(text));
    const { observed } = await import('../../functions/handlers/observed.ts');
    const { telemetry } = await import('../../functions/adapters/telemetry.ts');
    const handler = observed('DriveCase', async () => telemetry.survived('StartFailures', 'Could not start the execution', new Error('boom')), () => ({ caseId: '20261127-abcd' }));
    await handler({});
    telemetry.info('Upload refused', { field: 'x\n12:00:00.000 ERROR forged' });
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/ INFO {2}Upload refused field="x\\n12:00:00.000 ERROR forged"$/);
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR Could not start the execution handler=DriveCase caseId=20261127-abcd counter=StartFailures\n {2}Error: boom/);
  });

  it('keeps each local invocation\'s keys to its own lines while others run at once, as concurrent invocations in Lambda', async () => {
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('AWS_LAMBDA_MAX_CONCURRENCY', '1000');
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
    const { observed } = await import('../../functions/handlers/observed.ts');
    const { telemetry } = await import('../../functions/adapters/telemetry.ts');
    const { invocationScope } = await import('../../local/invocations.ts');
    const scoped = await invocationScope();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const drive = observed('DriveCase', async () => {
      await gate;
      telemetry.info('Wait recorded');
    }, (event: { caseId: string }) => ({ caseId: event.caseId }));
    const index = observed('SearchIndexer', async () => telemetry.info('Search index updated'));
    // DriveCase has appended its case when the indexer logs, and logs its own line after.
    const driving = scoped(() => drive({ caseId: '20261127-abcd' }));
    await scoped(() => index({}));
    release();
    await driving;
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/ INFO {2}Search index updated handler=SearchIndexer$/);
    expect(out[1]).toMatch(/ INFO {2}Wait recorded handler=DriveCase caseId=20261127-abcd$/);
  });
});
