import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology, type Topology } from '../../infra/topology.ts';
import { officeFunctions, officeFunctionsById, statements, synth, validateAlone, type Synthesized } from './synth.ts';
import { FAILURE_COUNTERS } from '../../functions/domain/telemetry.ts';
import { WEB_SECURITY_HEADERS } from '../../web/security-headers.ts';

/** The real topology plus one of everything it does not declare yet, to pin how each is wired. */
const fixture: Topology = {
  ...topology,
  stateMachines: [...topology.stateMachines, { id: 'HumanStep', definition: 'tests/workflows/fixtures/human-step.asl.json', envVar: 'HUMAN_STEP_ARN' }],
  tasks: {
    ...topology.tasks,
    RecordTask: { entry: 'tests/infra/fixtures/record-task.ts', grants: ['table:write', 'workflows:respond'] },
    RecordOutcome: { entry: 'tests/infra/fixtures/record-outcome.ts', grants: [] },
    Unused: { entry: 'tests/infra/fixtures/record-outcome.ts', grants: [] },
  },
  routes: [...topology.routes, { method: 'POST', path: '/start', auth: 'local-only', entry: 'functions/handlers/http/never-deployed.ts', grants: ['table:write'] }],
  schedules: [...topology.schedules, { id: 'DailySweep', expression: 'cron(0 8 * * ? *)', timezone: 'Asia/Shanghai', description: 'test', entry: 'tests/infra/fixtures/daily-sweep.ts', grants: ['table:read', 'workflows:start'] }],
};

const outDir = mkdtempSync(join(tmpdir(), 'bangong-bundles-'));

describe('the CDK app', () => {
  let real: Synthesized;
  let wired: Synthesized;
  beforeAll(() => {
    // Templates are read without bundling (the same resources, asset hashes aside): bundling some
    // fifty functions one by one took minutes on a two-core machine. That every function bundles
    // is checked below, all at once.
    real = synth(topology, { bundle: false, validate: true });
    wired = synth(fixture, { bundle: false, opsEmail: 'ops@example.org' });
  }, 120_000);

  it('passes CloudFormation’s own schema rules as cdk synth checks them (aws-cdk-lib’s built-in validation): no finding, not even a warning', () => {
    expect(real.validation()).toEqual([]);
    // (and it sees a finding where there is one: a property of the wrong type, one that does not exist)
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {}); // (the CDK prints them as warnings too)
    const bad = validateAlone((stack) => new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon', NoSuchProperty: 1 } }));
    quiet.mockRestore();
    expect(bad.map((f) => f.description)).toEqual(expect.arrayContaining([expect.stringContaining('VisibilityTimeout'), expect.stringContaining('NoSuchProperty')]));
  });

  it('bundles every function (ESM for Node 22, minified, its nodeModules left beside it), and each of the case page’s routes carries only the clients and libraries its own work needs', async () => {
    const specs = [...topology.routes, ...Object.values(topology.tasks), ...topology.schedules, ...topology.timers, ...topology.streamConsumers];
    const groups = new Map<string, Set<string>>();
    for (const spec of specs) {
      const key = [...(spec.nodeModules ?? [])].sort().join(',');
      groups.set(key, (groups.get(key) ?? new Set()).add(spec.entry));
    }
    const options = (entries: string[], modules: string, splitting: boolean) => ({
      entryPoints: entries,
      bundle: true,
      splitting,
      platform: 'node' as const,
      format: 'esm' as const,
      target: 'node22',
      minify: true,
      mainFields: ['module', 'main'],
      external: modules ? modules.split(',') : [],
      outdir: outDir,
      write: false as const,
      metafile: true as const,
      logLevel: 'silent' as const,
    });
    // Every function, one esbuild run per set of nodeModules, the code they share written once
    // (splitting): what would fail to bundle in a deploy fails here, at a fraction of the output.
    const bundled = new Set<string>();
    for (const [modules, entries] of groups) {
      const result = await build(options([...entries], modules, true));
      expect(result.errors).toEqual([]);
      for (const output of Object.values(result.metafile.outputs)) if (output.entryPoint && entries.has(output.entryPoint)) bundled.add(output.entryPoint);
    }
    expect([...bundled].sort()).toEqual([...new Set(specs.map((s) => s.entry))].sort());
    // Cold starts: a function carries only the clients and libraries its own work needs. The case
    // page and its neighbours read no S3 object, and listing or requesting archive jobs writes no
    // spreadsheet (each once bundled them through a shared import). Bundled alone, as a deploy
    // bundles each (shared chunks would mix what functions of a group use).
    const watched = ['get-case', 'get-case-trail', 'get-case-execution', 'retry-scan-text', 'list-cases', 'list-tasks', 'act-on-case', 'list-archive-jobs', 'request-archive-job', 'download-handover', 'download-attachment', 'export-register'];
    const paths = watched.map((entry) => `functions/handlers/http/${entry}.ts`);
    const modules = [...new Set(specs.filter((spec) => paths.includes(spec.entry)).flatMap((spec) => spec.nodeModules ?? []))].join(',');
    const alone = await build(options(paths, modules, false));
    expect(alone.errors).toEqual([]);
    const inputsOf = new Map(Object.values(alone.metafile.outputs).flatMap((output) => (output.entryPoint ? [[output.entryPoint, Object.keys(output.inputs)] as const] : [])));
    const carries = (entry: string, what: string) => (inputsOf.get(`functions/handlers/http/${entry}.ts`) ?? [`missing ${entry}`]).some((input) => input.includes(what));
    for (const entry of ['get-case', 'get-case-trail', 'get-case-execution', 'retry-scan-text', 'list-cases', 'list-tasks', 'act-on-case']) expect(carries(entry, '@aws-sdk/client-s3'), entry).toBe(false);
    for (const entry of ['list-archive-jobs', 'request-archive-job', 'download-handover', 'get-case']) expect(carries(entry, 'exceljs'), entry).toBe(false);
    // (and the check can see them where they belong)
    expect(carries('download-attachment', '@aws-sdk/client-s3')).toBe(true);
    expect(carries('export-register', 'exceljs')).toBe(true);
    // The tracer is imported only where it traces (in Lambda), dynamically: still in the bundle.
    expect(carries('act-on-case', 'aws-xray-sdk-core')).toBe(true);
  }, 120_000);

  describe('stateful stack', () => {
    it('keeps the table with point-in-time recovery, encryption and deletion protection, retained on delete', () => {
      const [keyId] = Object.keys(real.stateful.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('records table') } }));
      real.stateful.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          DeletionProtectionEnabled: true,
          TimeToLiveSpecification: { AttributeName: topology.table.timeToLiveAttribute, Enabled: true },
          GlobalSecondaryIndexes: topology.table.indexes.map((i) => Match.objectLike({ IndexName: i.name })),
        }),
      });
    });

    it('keeps the archive versioned, object-locked, encrypted, private and TLS-only, retained on delete', () => {
      const archive = real.stateful.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } });
      const [id, bucket] = Object.entries(archive)[0]!;
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
      expect(bucket.Properties.LoggingConfiguration).toBeDefined();
      real.stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('workload stack', () => {
    it('runs every function on Node.js 22 or newer, on arm64 (x86_64 only where the topology says so), with the table, bucket and schedule group in its environment', () => {
      const functions = officeFunctions(wired.workload);
      expect(functions.length).toBeGreaterThan(0);
      const x86 = [...topology.routes, ...topology.schedules, ...topology.timers, ...topology.streamConsumers, ...Object.values(topology.tasks)].filter((f) => f.architecture === 'x86_64').length;
      expect(functions.filter((fn) => fn.Properties.Architectures[0] === 'x86_64')).toHaveLength(x86);
      for (const fn of functions) {
        expect(Number(/^nodejs(\d+)/.exec(fn.Properties.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
        expect(fn.Properties.Architectures).toEqual([expect.stringMatching(/^(arm64|x86_64)$/)]);
        expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['TABLE_NAME', 'BUCKET_NAME', 'SCHEDULE_GROUP']));
      }
    });

    it('ships each function’s source map beside its bundle without having Node read it at every cold start', () => {
      for (const fn of officeFunctions(real.workload)) expect(JSON.stringify(fn.Properties.Environment.Variables)).not.toContain('enable-source-maps');
    });

    it('never grants Scan, and grants the table and its named indexes without wildcards', () => {
      const all = [...statements(real.workload), ...statements(wired.workload)];
      const actions = all.flatMap((s) => [s.Action].flat());
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions.filter((a) => a === 'dynamodb:*' || a === '*')).toEqual([]);
      const tableGrants = all.filter((s) => [s.Action].flat().includes('dynamodb:Query'));
      expect(tableGrants.length).toBeGreaterThan(0);
      expect(JSON.stringify(tableGrants)).not.toMatch(/index\/\*/);
      expect(JSON.stringify(tableGrants)).toContain('/index/assigned');
    });

    it('gives the health check only read-only probes', () => {
      const health = Object.entries(real.workload.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('HttpHealthRole'))!;
      const actions = health[1].Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
      expect(actions.sort()).toEqual(
        ['dynamodb:DescribeTable', 'logs:CreateLogStream', 'logs:PutLogEvents', 's3:ListBucket', 'scheduler:ListSchedules', 'ses:GetAccount', 'states:ListStateMachines', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'].sort(),
      );
    });

    it('routes GET /health through the HTTP API with access logs, and deploys no local-only route', () => {
      wired.workload.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health' });
      expect(JSON.stringify(wired.workload.findResources('AWS::ApiGatewayV2::Route'))).not.toContain('/start');
      wired.workload.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
    });

    it('fills the ASL placeholders with the task functions, logs every transition without case data, traces, and may invoke only its tasks', () => {
      wired.workload.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        DefinitionSubstitutions: { RecordTask: Match.anyValue(), RecordOutcome: Match.anyValue() },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
        TracingConfiguration: { Enabled: true },
      });
      const invoke = statements(wired.workload).filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
      expect(invoke.length).toBeGreaterThan(0);
      for (const s of invoke) expect(JSON.stringify(s.Resource)).not.toBe('"*"');
    });

    it('grants starting executions and answering task tokens only to the functions that declare it', () => {
      const policies = wired.workload.findResources('AWS::IAM::Policy');
      const holders = (action: string) =>
        Object.keys(policies)
          .filter((id) => JSON.stringify(policies[id]!.Properties.PolicyDocument).includes(`"${action}"`))
          .map((id) => id.replace(/Role.*$/, ''))
          .sort();
      const named = (action: string) => holders(action).map((id) => id.replace(/[0-9A-F]{8}$/, ''));
      expect(named('states:StartExecution')).toEqual(['HttpCreateCase', 'HttpRestartExecutions', 'SchedulesOpenObligations', 'SchedulesRestartStalledCases', 'TestsInfraFixturesDailySweep']);
      expect(named('states:SendTaskSuccess')).toEqual(['HttpActOnCase', 'SchedulesRestartStalledCases', 'TasksChaseCase', 'TasksDriveCase', 'TestsInfraFixturesRecordTask']);
      expect(named('states:ListExecutions')).toEqual(['SchedulesRestartStalledCases']);
      expect(named('states:GetExecutionHistory')).toEqual(['HttpGetCaseExecution']);
      expect(named('ses:SendEmail')).toEqual(['HttpActOnCase', 'HttpCreateCase', 'SchedulesOpenObligations', 'SchedulesOverdueSweep', 'SchedulesRestartStalledCases', 'TasksChaseCase', 'TasksDriveCase']);
      // Chases are armed by the execution's task, by a decision moving the case to a step of people,
      // by the chase before and by the hourly repair of lost ones: nothing else schedules anything.
      expect(named('scheduler:CreateSchedule')).toEqual(['HttpActOnCase', 'SchedulesRestartStalledCases', 'TasksChaseCase', 'TasksDriveCase']);
      expect(named('iam:PassRole')).toEqual(['HttpActOnCase', 'SchedulesRestartStalledCases', 'TasksChaseCase', 'TasksDriveCase']);
      // Only a decision removes a chase: that of the step it left.
      expect(named('scheduler:DeleteSchedule')).toEqual(['HttpActOnCase']);
      const mail = statements(wired.workload).find((st) => [st.Action].flat().includes('ses:SendEmail')) as { Condition?: unknown };
      expect(mail.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@bangong.invalid' } });
      expect(named('dynamodb:PutItem')).toEqual([
        'HttpActOnCase',
        // The 四性检测 of one item records its outcome on the item.
        'HttpCheckArchiveItem',
        'HttpCompleteUpload',
        'HttpCreateCase',
        'HttpDownloadAttachment',
        // These seven may put one item only, the cursor key (asserted below).
        'HttpGetCase',
        'HttpGetCaseTrail',
        'HttpListCases',
        'HttpListDefinitions',
        'HttpListNotifications',
        'HttpListTasks',
        'HttpPutCalendar',
        'HttpPutOpinions',
        'HttpPutOrg',
        'HttpReadNotifications',
        'HttpRequestArchiveJob',
        'HttpRequestUpload',
        'HttpRestartExecutions',
        'HttpRetryScanText',
        'HttpSearch',
        'SchedulesOpenObligations',
        'SchedulesOverdueSweep',
        'SchedulesRestartStalledCases',
        // The nightly digest's one-off renumbering of items filed before DA/T 22 numbering.
        'SchedulesTrailDigest',
        'StreamsArchiveWorker',
        'StreamsReadScanTexts',
        'TasksChaseCase',
        'TasksDriveCase',
        'TestsInfraFixturesRecordTask',
      ]);
    });

    it('grants scans by prefix: uploads may only be put, verified ones copied to attachments, attachments read, locked when filed and deleted only by approved destruction', () => {
      const policies = real.workload.findResources('AWS::IAM::Policy');
      const s3Grants = Object.entries(policies)
        .filter(([id]) => !id.startsWith('CustomCDKBucketDeployment')) // copies the web form into its own bucket
        .flatMap(([id, p]) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
          .filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'))
          .map((st) => `${id.replace(/Role.*$/, '')} ${[st.Action].flat().sort().join(',')} ${JSON.stringify(st.Resource).match(/\/((uploads|attachments|search|trail-digests|archive)\/\*(\.text\.json|\.stamped\.pdf)?)/)?.[1]}`),
      );
      expect(s3Grants.sort()).toEqual([
        // The custom resource that sets the archive's CORS rule (the bucket itself, no objects).
        expect.stringMatching(/^ArchiveCorsRuleCustomResourcePolicy\w* s3:PutBucketCORS undefined$/),
        // The 四性检测 re-reads filed scans and their locks.
        expect.stringMatching(/^HttpCheckArchiveItem\w* s3:GetObject,s3:GetObjectLegalHold,s3:GetObjectRetention attachments\/\*$/),
        // The trail's digests are read to verify it, and written once (locked) by the daily schedule alone.
        expect.stringMatching(/^HttpCheckTrail\w* s3:GetObject trail-digests\/\*$/),
        // GetObjectVersion: the copy names the very version that was verified.
        expect.stringMatching(/^HttpCompleteUpload\w* s3:DeleteObject,s3:GetObject,s3:GetObjectVersion uploads\/\*$/),
        expect.stringMatching(/^HttpCompleteUpload\w* s3:PutObject attachments\/\*$/),
        expect.stringMatching(/^HttpCompleteUpload\w* s3:PutObjectLegalHold,s3:PutObjectRetention attachments\/\*$/),
        expect.stringMatching(/^HttpDownloadAttachment\w* s3:GetObject attachments\/\*$/),
        // A handover's link and a kept report: the archive's own objects, read.
        expect.stringMatching(/^HttpDownloadHandover\w* s3:GetObject archive\/\*$/),
        expect.stringMatching(/^HttpGetArchiveReport\w* s3:GetObject archive\/\*$/),
        expect.stringMatching(/^HttpRequestUpload\w* s3:PutObject uploads\/\*$/),
        // Search reads the index and the text beside each scan, never the scans themselves.
        expect.stringMatching(/^HttpSearch\w* s3:GetObject attachments\/\*\.text\.json$/),
        expect.stringMatching(/^HttpSearch\w* s3:GetObject search\/\*$/),
        expect.stringMatching(/^HttpVerifyCase\w* s3:GetObject trail-digests\/\*$/),
        expect.stringMatching(/^SchedulesRestartStalledCases\w* s3:PutObjectLegalHold,s3:PutObjectRetention attachments\/\*$/),
        expect.stringMatching(/^SchedulesTrailDigest\w* s3:AbortMultipartUpload,s3:PutObject archive\/\*$/),
        expect.stringMatching(/^SchedulesTrailDigest\w* s3:GetObject archive\/\*$/),
        expect.stringMatching(/^SchedulesTrailDigest\w* s3:GetObject trail-digests\/\*$/),
        expect.stringMatching(/^SchedulesTrailDigest\w* s3:PutObject,s3:PutObjectLegalHold,s3:PutObjectRetention trail-digests\/\*$/),
        // The archive worker: the same reads and stamps as one item's check, and the year's reports and packages.
        expect.stringMatching(/^StreamsArchiveWorker\w* s3:AbortMultipartUpload,s3:PutObject archive\/\*$/),
        expect.stringMatching(/^StreamsArchiveWorker\w* s3:GetObject archive\/\*$/),
        expect.stringMatching(/^StreamsArchiveWorker\w* s3:GetObject,s3:GetObjectLegalHold,s3:GetObjectRetention attachments\/\*$/),
        expect.stringMatching(/^StreamsArchiveWorker\w* s3:PutObject,s3:PutObjectLegalHold,s3:PutObjectRetention attachments\/\*\.stamped\.pdf$/),
        // The indexer alone writes the index; the reader alone reads scans to write their text.
        expect.stringMatching(/^StreamsIndexSearch\w* s3:GetObject attachments\/\*\.text\.json$/),
        expect.stringMatching(/^StreamsIndexSearch\w* s3:GetObject search\/\*$/),
        expect.stringMatching(/^StreamsIndexSearch\w* s3:PutObject search\/\*$/),
        expect.stringMatching(/^StreamsReadScanTexts\w* s3:GetObject attachments\/\*$/),
        expect.stringMatching(/^StreamsReadScanTexts\w* s3:PutObject attachments\/\*\.text\.json$/),
        expect.stringMatching(/^TasksDriveCase\w* s3:DeleteObject,s3:DeleteObjectVersion attachments\/\*$/),
        expect.stringMatching(/^TasksDriveCase\w* s3:ListBucketVersions undefined$/),
        expect.stringMatching(/^TasksDriveCase\w* s3:PutObjectLegalHold,s3:PutObjectRetention attachments\/\*$/),
      ]);
      const archive = Object.values(real.stateful.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }))[0]!;
      expect(JSON.stringify(archive.Properties.BucketName)).toContain('bangong-test-archive-');
      expect(JSON.stringify(archive.Properties.LifecycleConfiguration)).toContain('uploads/');
    });

    it('feeds the search indexer, the scan text reader and the archive worker from the table’s keys-only stream, filtered by key, retried by halves, failures kept in a queue', () => {
      real.stateful.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'KEYS_ONLY' } });
      const mappings = Object.values(real.workload.findResources('AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(topology.streamConsumers.length);
      for (const m of mappings) {
        expect(m.Properties).toMatchObject({ StartingPosition: 'LATEST', BisectBatchOnFunctionError: true, MaximumRetryAttempts: 10, ParallelizationFactor: 1 });
        expect(m.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
        const patterns = m.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern).dynamodb.Keys.pk.S[0].prefix);
        expect(patterns.every((p: string) => p === 'CASE#' || p === 'ARCHIVE#' || p === 'ARCHIVEJOB#')).toBe(true);
      }
      // A dead-letter queue for each consumer, each schedule and each timer.
      real.workload.resourceCountIs('AWS::SQS::Queue', topology.streamConsumers.length + topology.schedules.length + topology.timers.length);
      // The index is rewritten as it changes: old versions of it are not kept.
      expect(JSON.stringify(Object.values(real.stateful.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }))[0]!.Properties.LifecycleConfiguration)).toContain('search/');
    });

    it('lets the functions that page lists read and make the cursor key, and touch no other item with it', () => {
      const policies = real.workload.findResources('AWS::IAM::Policy');
      const keyed = Object.entries(policies).flatMap(([id, p]) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[])
          .filter((st) => JSON.stringify(st.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys']) === '["SECRET#cursors"]')
          .map((st) => `${id.replace(/Role.*$/, '')} ${[st.Action].flat().sort().join(',')} ${JSON.stringify(st.Condition!['ForAllValues:StringEquals']!['dynamodb:LeadingKeys'])}`),
      );
      expect(keyed.sort()).toEqual(
        ['HttpGetCase', 'HttpGetCaseTrail', 'HttpListCases', 'HttpListDefinitions', 'HttpListNotifications', 'HttpListTasks', 'HttpSearch'].map((fn) => `${fn} dynamodb:GetItem,dynamodb:PutItem ["SECRET#cursors"]`),
      );
    });

    it('lets every function of a signed-in route read the org chart (its caller must be an active member), and no more of the table than its grants say', () => {
      const policies = real.workload.findResources('AWS::IAM::Policy');
      const readers = new Set(
        Object.entries(policies).flatMap(([id, p]) =>
          (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[])
            .filter((st) => JSON.stringify(st.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys']) === '["ORG"]')
            .filter((st) => [st.Action].flat().sort().join() === 'dynamodb:GetItem,dynamodb:Query')
            .map(() => id.replace(/Role.*$/, '')),
        ),
      );
      const userRoutes = topology.routes.filter((r) => r.auth === 'user');
      const entries = new Set(userRoutes.map((r) => r.entry));
      const expected = [...entries].map((entry) => `Http${entry.replace(/^functions\/handlers\/http\//, '').replace(/\.ts$/, '').replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`);
      expect([...readers].sort()).toEqual(expected.sort());
      // Those with no table grant of their own (the list of registers) read nothing else.
      const registers = Object.entries(policies).find(([id]) => id.startsWith('HttpListRegisters'))![1];
      expect(JSON.stringify(registers.Properties.PolicyDocument)).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchGetItem)/);
    });

    it('lets a state machine invoke only the tasks its ASL names', () => {
      const substitutions = Object.values(wired.workload.findResources('AWS::StepFunctions::StateMachine')).map((sm) => Object.keys(sm.Properties.DefinitionSubstitutions).sort());
      expect(substitutions).toEqual([['DriveCase'], ['RecordOutcome', 'RecordTask']]);
    });

    it('puts every /api route behind the Cognito JWT authorizer but the catch-all 404, and deploys the dev login nowhere', () => {
      const routes = Object.values(real.workload.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
      const api = routes.filter((r) => String(r.RouteKey).includes(' /api/'));
      expect(api.length).toBe(topology.routes.filter((r) => r.path.startsWith('/api/')).length);
      for (const spec of topology.routes.filter((r) => r.path.startsWith('/api/'))) {
        const route = api.find((r) => r.RouteKey === `${spec.method} ${spec.path}`);
        expect(route?.AuthorizationType, `${spec.method} ${spec.path}`).toBe(spec.auth === 'user' ? 'JWT' : 'NONE');
      }
      // The one public /api route answers an address no other route has (404); it reads nothing.
      const open = topology.routes.filter((r) => r.path.startsWith('/api/') && r.auth !== 'user');
      expect(open.map((r) => `${r.method} ${r.path} ${r.auth} ${r.grants.length}`)).toEqual(['ANY /api/{proxy+} public 0']);
      expect(routes.map((r) => r.RouteKey)).not.toContain('POST /auth/dev-login');
      real.workload.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    });

    it('tells every function the case workflow’s ARN', () => {
      for (const fn of officeFunctions(real.workload)) {
        expect(Object.keys(fn.Properties.Environment.Variables)).toContain('CASE_WORKFLOW_ARN');
      }
    });

    it('deploys the daily overdue sweep at 08:30 Shanghai time and the hourly safety net', () => {
      real.workload.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 8 * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai' });
      real.workload.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    });

    it('schedules the sweep in Asia/Shanghai with the input the local scheduler gives', () => {
      wired.workload.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 8 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({ Input: JSON.stringify({ schedule: 'DailySweep', scheduledTime: '<aws.scheduler.scheduled-time>' }) }),
      });
    });

    it('serves the web form from a private bucket through CloudFront with origin access control, its page addresses answered by index.html', () => {
      real.workload.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }) });
      real.workload.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          Logging: Match.objectLike({ Bucket: Match.anyValue() }),
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true, FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })] }),
        }),
      });
      const site = Object.values(real.workload.findResources('AWS::S3::Bucket')).find((b) => b.Properties.OwnershipControls?.Rules?.[0]?.ObjectOwnership === 'BucketOwnerEnforced')!;
      expect(site.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const pages = Object.values(real.workload.findResources('AWS::CloudFront::Function'))[0]!;
      expect(pages.Properties.FunctionCode).toContain("request.uri = '/index.html'");
      const csp = JSON.stringify(real.workload.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      // The other headers are those the local gateway sends (web/security-headers.ts).
      real.workload.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: WEB_SECURITY_HEADERS['X-Frame-Options'], Override: true },
            ReferrerPolicy: { ReferrerPolicy: WEB_SECURITY_HEADERS['Referrer-Policy'], Override: true },
          }),
        }),
      });
      expect(WEB_SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
      // The page fetches from its own archive bucket and hosted UI only, not any bucket or API in any account.
      expect(csp).not.toContain('https://*.amazonaws.com');
      expect(csp).not.toContain('*.amazoncognito.com');
      expect(csp).toMatch(/https:\/\/bangong-[a-z0-9-]+-archive-/);
      expect(csp).toContain('.amazoncognito.com');
    });

    it('deploys the hashed files cached for a year and never pruned, then index.html and config.json revalidated on every visit', () => {
      const deployments = Object.entries(real.workload.findResources('Custom::CDKBucketDeployment'));
      expect(deployments).toHaveLength(2);
      const [assetsId, assets] = deployments.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === 'assets/')!;
      expect(assets.Properties).toMatchObject({ SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' }, Prune: false });
      // No invalidation: a hashed name is new content.
      expect(assets.Properties.DistributionId).toBeUndefined();
      const [, pages] = deployments.find(([id]) => id !== assetsId)!;
      expect(pages.Properties).toMatchObject({ SystemMetadata: { 'cache-control': 'no-cache' }, Prune: true, Exclude: ['assets/*'], DistributionPaths: ['/*'] });
      expect(pages.Properties.DestinationBucketKeyPrefix).toBeUndefined();
      // index.html names the new files only once they are in the bucket.
      expect(pages.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${assetsId.replace(/CustomResource.*$/, '')}`))]));
      // Both copy into the site bucket through the same provider function.
      expect(assets.Properties.ServiceToken).toEqual(pages.Properties.ServiceToken);
    });

    it('gives the page the API URL and the hosted UI’s sign-in settings, and lets the API accept that client and origin', () => {
      const deployment = Object.values(real.workload.findResources('Custom::CDKBucketDeployment')).find((d) => d.Properties.DestinationBucketKeyPrefix === undefined)!;
      // config.json is filled at deploy time with the API's endpoint and the sign-in client and domain.
      const markers = JSON.stringify(deployment.Properties.SourceMarkers);
      for (const value of ['ApiEndpoint', 'WebSignInClient', 'WebSignInDomain']) expect(markers).toContain(value);
      real.workload.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        AllowedOAuthFlows: ['code'],
        GenerateSecret: false,
        SupportedIdentityProviders: ['COGNITO'],
        CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
      });
      real.workload.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: Match.anyValue() });
      const authorizer = Object.values(real.workload.findResources('AWS::ApiGatewayV2::Authorizer'))[0]!;
      const [clientId] = Object.keys(real.workload.findResources('AWS::Cognito::UserPoolClient'));
      expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
      real.workload.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({ AllowHeaders: ['authorization', 'content-type', 'idempotency-key'], ExposeHeaders: ['content-disposition'] }),
      });
      // The archive's CORS rule is the workload stack's (security.test.ts reads it).
      real.workload.resourceCountIs('Custom::AWS', 1);
    });
  });

  describe('operations', () => {
    type Resource = { Properties: Record<string, any> };
    const alarmsOf = (template: Synthesized['workload']) => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    /** Every metric an alarm watches, whether alone or inside a math expression. */
    const watched = (alarm: Resource): { namespace: string; name: string; dimensions: Record<string, unknown> }[] => {
      const p = alarm.Properties;
      const dims = (list: { Name: string; Value: unknown }[] = []) => Object.fromEntries(list.map((d) => [d.Name, d.Value]));
      if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: dims(p.Dimensions) }];
      return (p.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] } } }[])
        .filter((m) => m.MetricStat)
        .map((m) => ({ namespace: m.MetricStat!.Metric.Namespace, name: m.MetricStat!.Metric.MetricName, dimensions: dims(m.MetricStat!.Metric.Dimensions) }));
    };
    const topicOf = (template: Synthesized['workload']) => Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;

    it('tells the ops topic of every alarm, the topic encrypted and mailed to the ops address', () => {
      for (const template of [real.workload, wired.workload]) {
        const topic = topicOf(template);
        const alarms = alarmsOf(template);
        expect(alarms.length).toBeGreaterThan(10);
        for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
        template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      }
      wired.workload.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
      real.workload.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('watches every function for errors and throttles', () => {
      for (const template of [real.workload, wired.workload]) {
        const metrics = alarmsOf(template).flatMap(watched).filter((m) => m.namespace === 'AWS/Lambda');
        const ids = Object.keys(officeFunctionsById(template));
        expect(ids.length).toBeGreaterThan(30);
        for (const id of ids) {
          for (const name of ['Errors', 'Throttles']) {
            expect(metrics.some((m) => m.name === name && JSON.stringify(m.dimensions.FunctionName) === JSON.stringify({ Ref: id })), `${id} ${name}`).toBe(true);
          }
        }
      }
    });

    it('sums an alarm’s metrics with quiet periods as 0, and lets Drive Case’s expected StepMoved errors pass below 5', () => {
      for (const alarm of alarmsOf(real.workload)) {
        const expressions = ((alarm.Properties.Metrics ?? []) as { Expression?: string }[]).map((m) => m.Expression).filter((e): e is string => e !== undefined);
        // A plain `a + b` has no value in a period without data for one of them: the alarm would stay silent.
        for (const expression of expressions) if (expression.includes('+')) expect(expression).toMatch(/^FILL\(\w+, 0\)( \+ FILL\(\w+, 0\))*$/);
      }
      const errorAlarms = alarmsOf(real.workload).filter((a) => watched(a).some((m) => m.namespace === 'AWS/Lambda' && m.name === 'Errors'));
      const waiting = errorAlarms.find((a) => String(a.Properties.AlarmDescription).includes('TasksDriveCase'))!;
      expect(waiting.Properties.Threshold).toBe(5);
      expect(String(waiting.Properties.AlarmDescription)).toMatch(/: TasksDriveCase$/);
      for (const alarm of errorAlarms.filter((a) => a !== waiting)) expect(alarm.Properties.Threshold).toBe(1);
    });

    it('watches every state machine for failed and timed-out executions, the API for 5xx, the table and its indexes for throttling, and SES for bounces and complaints', () => {
      const metrics = alarmsOf(wired.workload).flatMap(watched);
      const machines = Object.keys(wired.workload.findResources('AWS::StepFunctions::StateMachine'));
      expect(machines).toHaveLength(fixture.stateMachines.length);
      for (const machine of machines) {
        for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
          expect(metrics.some((m) => m.namespace === 'AWS/States' && m.name === name && JSON.stringify(m.dimensions.StateMachineArn) === JSON.stringify({ Ref: machine })), `${machine} ${name}`).toBe(true);
        }
      }
      expect(metrics.filter((m) => m.namespace === 'AWS/ApiGateway').map((m) => m.name).sort()).toEqual(['5xx', 'Count']);
      for (const name of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        const indexes = metrics.filter((m) => m.namespace === 'AWS/DynamoDB' && m.name === name).map((m) => m.dimensions.GlobalSecondaryIndexName ?? 'table');
        expect(indexes.sort()).toEqual(['table', ...topology.table.indexes.map((i) => i.name)].sort());
      }
      expect(metrics.filter((m) => m.namespace === 'AWS/SES').map((m) => m.name).sort()).toEqual(['Reputation.BounceRate', 'Reputation.ComplaintRate']);
    });

    it('raises an alarm on every failure the code survives', () => {
      const metrics = alarmsOf(real.workload).flatMap(watched).filter((m) => m.namespace === 'Bangong');
      expect(metrics.map((m) => m.name).sort()).toEqual([...FAILURE_COUNTERS].sort());
      for (const m of metrics) expect(m.dimensions).toEqual({ service: 'bangong' });
    });

    it('lets Drive Case, a decision, each chase and the hourly repair arm the next chase: one-time schedules in the group only, calling the chase function by its own name with the timer’s role, failures kept in its queue', () => {
      const functions = real.workload.findResources('AWS::Lambda::Function') as Record<string, Resource>;
      const arming = Object.entries(functions).filter(([, f]) => f.Properties.Environment?.Variables?.CHASE_TARGET_ARN);
      expect(arming.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['HttpActOnCase', 'SchedulesRestartStalledCases', 'TasksChaseCase', 'TasksDriveCase']);
      const [chaseId, chase] = Object.entries(functions).find(([id]) => id.startsWith('TasksChaseCase'))!;
      // Its ARN is built from its own name (no reference to itself, which would be a cycle).
      const target = JSON.stringify(chase.Properties.Environment.Variables.CHASE_TARGET_ARN);
      expect(target).toContain(`:function:${chase.Properties.FunctionName}`);
      expect(target).not.toContain(chaseId);
      for (const [, f] of arming) {
        const vars = f.Properties.Environment.Variables;
        expect(JSON.stringify(vars.CHASE_ROLE_ARN)).toContain('ChaseCaseInvokeRole');
        expect(JSON.stringify(vars.CHASE_DEAD_LETTER_ARN)).toContain('ChaseCaseDeadLetters');
      }
      const create = statements(real.workload).filter((st) => [st.Action].flat().includes('scheduler:CreateSchedule'));
      expect(create).toHaveLength(arming.length);
      // Only the chases: never the fixed schedules in the same group (the sweep, the hourly repair).
      for (const st of create) expect(JSON.stringify(st.Resource)).toMatch(/schedule\/",\{"Ref":"Schedules"\},"\/chase-\*"/);
      const remove = statements(real.workload).filter((st) => [st.Action].flat().includes('scheduler:DeleteSchedule'));
      expect(remove).toHaveLength(1);
      expect(JSON.stringify(remove[0]!.Resource)).toMatch(/schedule\/",\{"Ref":"Schedules"\},"\/chase-\*"/);
      const pass = statements(real.workload).filter((st) => [st.Action].flat().includes('iam:PassRole')) as { Condition?: unknown; Resource: unknown }[];
      expect(pass).toHaveLength(arming.length);
      for (const st of pass) {
        expect(st.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
        expect(JSON.stringify(st.Resource)).toContain('ChaseCaseInvokeRole');
      }
      const config = Object.values(real.workload.findResources('AWS::Lambda::EventInvokeConfig')).find((c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: chaseId }));
      expect(JSON.stringify(config?.Properties.DestinationConfig)).toContain('ChaseCaseDeadLetters');
    });

    it('keeps what a schedule could not deliver, and what its function still failed after retries, in a dead-letter queue whose depth raises an alarm', () => {
      const schedules = Object.values(wired.workload.findResources('AWS::Scheduler::Schedule')) as Resource[];
      expect(schedules).toHaveLength(fixture.schedules.length);
      const invokeConfigs = Object.values(wired.workload.findResources('AWS::Lambda::EventInvokeConfig')) as Resource[];
      const queueAlarms = alarmsOf(wired.workload).flatMap(watched).filter((m) => m.namespace === 'AWS/SQS' && m.name === 'ApproximateNumberOfMessagesVisible');
      for (const schedule of schedules) {
        const { Target } = schedule.Properties;
        expect(Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
        const queue = Target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
        const fn = Target.Arn['Fn::GetAtt'][0] as string;
        const config = invokeConfigs.find((c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fn }));
        expect(config?.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } } });
        // The scheduler's role may send to its queue.
        expect(JSON.stringify(statements(wired.workload).filter((st) => JSON.stringify(st.Resource).includes(queue)))).toContain('sqs:SendMessage');
      }
      for (const queue of Object.keys(wired.workload.findResources('AWS::SQS::Queue'))) {
        expect(queueAlarms.some((m) => JSON.stringify(m.dimensions.QueueName) === JSON.stringify({ 'Fn::GetAtt': [queue, 'QueueName'] })), queue).toBe(true);
      }
    });

    it('draws the office’s day on one dashboard: cases opened and closed, decisions, overdue, chases and errors', () => {
      const [dashboard] = Object.values(real.workload.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
      const body = JSON.stringify(dashboard!.Properties.DashboardBody);
      for (const metric of ['CasesOpened', 'CasesClosed', 'Decisions', 'OverdueAtSweep', 'Chases', 'Escalations', 'Errors', 'ExecutionsFailed', '5xx', ...FAILURE_COUNTERS]) expect(body).toContain(metric);
      expect(body).toContain('alarm');
    });

    it('lets the admin endpoint read one execution and its history of the case workflow only', () => {
      const granted = statements(real.workload).filter((st) => [st.Action].flat().includes('states:GetExecutionHistory'));
      expect(granted.length).toBeGreaterThan(0);
      for (const st of granted) {
        expect([st.Action].flat().sort()).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory']);
        expect(JSON.stringify(st.Resource)).toContain(':execution:');
      }
    });
  });
});
