/**
 * The embedded default: every AWS service Bangong uses, on loopback, with the real handlers in
 * process. The same SDK v3 calls as in AWS; only the endpoints differ (set through the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables before any handler is loaded).
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { topology as defaultTopology, type FunctionSpec, type Topology } from '../infra/topology.ts';
import { systemClock, type TimerClock } from './clock.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { createGateway, type HttpHandler } from './gateway.ts';
import { close, freePort, listen } from './http-util.ts';
import { ensureTable } from './provision.ts';
import { startS3Local, type S3Local } from './s3-local.ts';
import { createSchedulerApiServer, startScheduler, type LocalScheduler, type ScheduledHandler } from './scheduler.ts';
import { LocalStepFunctions, type TaskFunction } from './stepfunctions/engine.ts';
import { createStepFunctionsServer } from './stepfunctions/server.ts';
import { substitute } from './stepfunctions/asl-local.ts';
import { localAuthSecret, verifyBearer } from './auth.ts';
import { Outbox, createSesServer } from './ses.ts';
import { createWebAssets } from './web.ts';
import { WEB_SECURITY_HEADERS, webContentSecurityPolicy } from '../web/security-headers.ts';
import { LocalRefusal } from './gateway.ts';
import { startStreamConsumers, type LocalStreams, type StreamHandler } from './streams.ts';
import { indexSearchIfEmpty } from './search-backfill.ts';
import { invocationScope } from './invocations.ts';
import { migrateArchiveNumbers } from '../functions/domain/archive/migrate-numbers.ts';
import { defaultDeps, bindLocalRuntime } from '../functions/adapters/deps.ts';
import { redriveOpenCases } from '../functions/domain/cases/orchestrate.ts';
import { ConflictError } from '../functions/domain/errors.ts';
import { demoOrg } from '../functions/domain/org/demo-org.ts';
import { admitCaller, loadOrgChart } from '../functions/domain/org/org-service.ts';
import { callerOfClaims } from '../functions/handlers/middleware.ts';
import { OrgInputSchema } from '../functions/domain/org/org.ts';
import type { Deps } from '../functions/domain/ports.ts';

export const ROOT = resolve(import.meta.dirname, '..');

export const LOCAL_NAMES = {
  table: 'bangong',
  bucket: 'bangong-archive',
  scheduleGroup: 'bangong',
  region: 'us-east-1',
  accountId: '000000000000',
};

export interface LocalSystemOptions {
  readonly host?: string;
  /** Where data lives between runs; undefined keeps DynamoDB in memory and S3 in a temp folder. */
  readonly dataDir?: string;
  /** S3 needs a folder even for tests. */
  readonly s3Dir?: string;
  /** 0 picks a free port. */
  readonly ports?: Partial<Record<'api' | 'dynamodb' | 's3' | 'stepfunctions' | 'scheduler' | 'ses', number>>;
  readonly clock?: TimerClock;
  readonly topology?: Topology;
  /** Told of every handler invocation and how long it ran (bench/cost counts Lambda's bill with it). */
  readonly onInvoke?: (spec: FunctionSpec, ms: number) => void;
}

export interface LocalSystem {
  readonly urls: Record<'api' | 'dynamodb' | 's3' | 'stepfunctions' | 'scheduler' | 'ses', string>;
  readonly outbox: Outbox;
  readonly stepFunctions: LocalStepFunctions;
  readonly scheduler: LocalScheduler;
  /** State machine ARNs by topology id. */
  readonly stateMachines: Record<string, string>;
  /**
   * Open cases whose executions are started again after a restart: in the background once the API
   * listens, at most RESUME_PER_SECOND a second; resolves with how many were started.
   */
  readonly resumed: Promise<number>;
  /** The API Gateway server (benchmarks wrap its requests to attribute DynamoDB calls). */
  readonly gateway: Server;
  /** The consumers of the table's change stream (search index, scan texts). */
  readonly streams: LocalStreams;
  stop(): Promise<void>;
}

/** A data folder's DynamoDB Local heap (bench/startup: a restart on 100,000 cases stays within it). */
const DYNAMODB_HEAP_MB = 384;

/**
 * Loads a handler module the way Lambda would: its exported `handler`, each call in an invocation
 * scope of its own (invocations.ts), timed when someone asked.
 */
async function loadHandler<T>(spec: FunctionSpec, onInvoke?: LocalSystemOptions['onInvoke']): Promise<T> {
  const module = (await import(pathToFileURL(join(ROOT, spec.entry)).href)) as { handler?: (...args: unknown[]) => Promise<unknown> };
  const handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${spec.entry} exports no handler`);
  const scoped = await invocationScope();
  return (async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await scoped(() => handler(...args));
    } finally {
      onInvoke?.(spec, performance.now() - started);
    }
  }) as T;
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const topology = options.topology ?? defaultTopology;
  const ports = options.ports ?? {};
  const port = async (name: keyof NonNullable<LocalSystemOptions['ports']>) => ports[name] || (await freePort(host));
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };

  try {
    const s3Dir = options.s3Dir ?? (options.dataDir ? join(options.dataDir, 's3') : undefined);
    if (!s3Dir) throw new Error('startLocalSystem needs dataDir or s3Dir');
    const [dynamodb, s3] = await Promise.all<[Promise<DynamoDbLocal>, Promise<S3Local>]>([
      startDynamoDbLocal({ host, port: await port('dynamodb'), dataDir: options.dataDir && join(options.dataDir, 'dynamodb'), maxHeapMb: options.dataDir ? DYNAMODB_HEAP_MB : undefined }),
      startS3Local({ host, port: await port('s3'), directory: s3Dir, buckets: [LOCAL_NAMES.bucket] }),
    ]);
    stops.push(() => dynamodb.stop(), () => s3.stop());

    const stepFunctions = new LocalStepFunctions({
      clock,
      region: LOCAL_NAMES.region,
      accountId: LOCAL_NAMES.accountId,
      resolveTask: async (functionName) => {
        const name = functionName.split(':function:')[1]?.split(':')[0] ?? functionName;
        const spec = topology.tasks[name];
        if (!spec) throw new Error(`No task function ${name} in statemachines/tasks.ts`);
        return loadHandler<TaskFunction>(spec, options.onInvoke);
      },
    });
    const sfnServer = createStepFunctionsServer(stepFunctions);
    const sfnPort = await listen(sfnServer, host, await port('stepfunctions'));
    stops.push(() => close(sfnServer), () => stepFunctions.stopAll());

    const scheduler = startScheduler({
      schedules: topology.schedules,
      clock,
      resolveHandler: (spec) => loadHandler<ScheduledHandler>(spec, options.onInvoke),
      // One-time schedules armed at run time call a timer (a step's next chase) by its function ARN.
      resolveTarget: async (arn) => {
        const name = arn.split(':function:')[1]?.split(':')[0];
        const spec = topology.timers.find((t) => t.id === name);
        if (!spec) throw new Error(`No timer function ${arn} in infra/topology.ts`);
        return loadHandler<(event: unknown) => Promise<unknown>>(spec, options.onInvoke);
      },
    });
    const schedulerServer = createSchedulerApiServer(scheduler, LOCAL_NAMES.scheduleGroup, `arn:aws:scheduler:${LOCAL_NAMES.region}:${LOCAL_NAMES.accountId}`);
    const schedulerPort = await listen(schedulerServer, host, await port('scheduler'));
    stops.push(() => close(schedulerServer));

    // SES: emails land in the outbox, readable at GET /local/outbox.
    const outbox = new Outbox(options.dataDir && join(options.dataDir, 'outbox.jsonl'));
    const sesServer = createSesServer(outbox, () => clock.now());
    const sesPort = await listen(sesServer, host, await port('ses'));
    stops.push(() => close(sesServer));

    const urls = {
      api: '',
      ses: `http://${host}:${sesPort}`,
      dynamodb: dynamodb.endpoint,
      s3: s3.endpoint,
      stepfunctions: `http://${host}:${sfnPort}`,
      scheduler: `http://${host}:${schedulerPort}`,
    };
    Object.assign(process.env, {
      AWS_REGION: LOCAL_NAMES.region,
      AWS_ACCESS_KEY_ID: 'S3RVER', // s3rver's only access key; DynamoDB Local (-sharedDb) takes any
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
      AWS_ENDPOINT_URL_S3: urls.s3,
      AWS_ENDPOINT_URL_SFN: urls.stepfunctions,
      AWS_ENDPOINT_URL_SCHEDULER: urls.scheduler,
      AWS_ENDPOINT_URL_SESV2: urls.ses,
      MAIL_FROM: 'bangong@localhost',
      TABLE_NAME: LOCAL_NAMES.table,
      BUCKET_NAME: LOCAL_NAMES.bucket,
      SCHEDULE_GROUP: LOCAL_NAMES.scheduleGroup,
      // What CDK gives the functions granted timers:arm (constructs/timer.ts), with no dead-letter queue locally.
      ...Object.fromEntries(
        topology.timers.flatMap((t) => [
          [`${t.envPrefix}_TARGET_ARN`, `arn:aws:lambda:${LOCAL_NAMES.region}:${LOCAL_NAMES.accountId}:function:${t.id}`],
          [`${t.envPrefix}_ROLE_ARN`, `arn:aws:iam::${LOCAL_NAMES.accountId}:role/local-scheduler`],
        ]),
      ),
      S3_FORCE_PATH_STYLE: 'true',
      STAGE: 'local',
    });

    const admin = new DynamoDBClient({ endpoint: urls.dynamodb });
    await ensureTable(admin, LOCAL_NAMES.table, topology.table);
    // Fed from here on, before anything below writes.
    const streams = await startStreamConsumers({
      endpoint: urls.dynamodb,
      tableName: LOCAL_NAMES.table,
      consumers: topology.streamConsumers,
      resolveHandler: (spec) => loadHandler<StreamHandler>(spec, options.onInvoke),
    });
    stops.push(async () => {
      await streams.stop();
      admin.destroy();
      // The OCR worker, if the text reader started one.
      await (await import('../functions/adapters/text/scan-reader.ts')).closeScanReader();
    });

    const stateMachines: Record<string, string> = {};
    const taskArns = Object.fromEntries(Object.keys(topology.tasks).map((name) => [name, stepFunctions.functionArn(name)]));
    for (const sm of topology.stateMachines) {
      const definition = substitute(readFileSync(join(ROOT, sm.definition), 'utf8'), taskArns);
      stateMachines[sm.id] = stepFunctions.createStateMachine(sm.id, definition).arn;
      process.env[sm.envVar] = stateMachines[sm.id];
    }
    const secret = localAuthSecret(options.dataDir && join(options.dataDir, 'local-auth-secret'));
    process.env.LOCAL_AUTH_SECRET = secret;

    // The handlers' clock is the runtime's, and their ports are built against the endpoints above.
    bindLocalRuntime(clock);
    const deps = defaultDeps();
    await seedDemoOrg(deps);
    // A data folder from before DA/T 22 numbering: its archive items get their 档号 in the standard's form, once.
    await migrateArchiveNumbers(deps);
    // A data folder from before search: its cases are indexed, once, before requests are taken.
    if (topology.streamConsumers.some((c) => c.id === 'SearchIndexer')) await indexSearchIfEmpty();

    // The web form: built once from web/src (again when a source file changes); config.json offers the demo people to sign in as.
    const web = createWebAssets({
      people: async () =>
        (await loadOrgChart(deps)).org.people
          .filter((p) => p.active !== false)
          .map((p) => ({ id: p.id, name: p.name, nameEn: p.nameEn, title: p.title, department: p.departmentId })),
    });
    stops.push(() => web.dispose());
    const gateway = createGateway({
      routes: topology.routes,
      resolveHandler: (route) => loadHandler<HttpHandler>(route, options.onInvoke),
      webRoot: join(ROOT, 'web', 'public'),
      webAssets: (pathname) => web.handle(pathname),
      // CloudFront's (infra/constructs/web.ts) but HSTS, which is for HTTPS: the API is the page's
      // own origin here, and presigned URLs go to the S3 endpoint.
      webHeaders: { 'Content-Security-Policy': webContentSecurityPolicy([urls.s3]), ...WEB_SECURITY_HEADERS },
      authorize: (header) => verifyBearer(header, secret),
      localRoutes: {
        // The API's own rules: an ID token of an active person; admins (by the org chart) read
        // every email, anyone else only the ones sent to them.
        '/local/outbox': async (url, claims) => {
          const caller = callerOfClaims(claims);
          if (!caller) throw new LocalRefusal(401);
          await admitCaller(deps, caller).catch(() => {
            throw new LocalRefusal(403);
          });
          const org = await loadOrgChart(deps);
          const to = url.searchParams.get('to') ?? undefined;
          if (org.has(caller.personId, 'admin')) return { messages: outbox.list(to) };
          const own = org.person(caller.personId)?.email;
          return { messages: own && (to === undefined || to === own) ? outbox.list(own) : [] };
        },
      },
    });
    const apiPort = await listen(gateway, host, await port('api'));
    // Stopped first (the list runs backwards): schedule runs in progress finish against live services.
    stops.push(() => close(gateway), () => scheduler.stop());
    urls.api = `http://${host}:${apiPort}`;

    // Executions live in this process: after a restart every open case gets a new one. The API
    // listens first; the executions are started behind it at a bounded rate, so a folder with
    // thousands of open cases is usable in seconds. A decision on a case not yet resumed stands
    // (the case is the state); its new execution starts from where the case is.
    const resuming = new AbortController();
    const resumed = redriveOpenCases(deps, { pace: paced(RESUME_PER_SECOND), signal: resuming.signal }).catch((error: unknown) => {
      if (!resuming.signal.aborted) console.error('Could not resume the open cases:', error);
      return 0;
    });
    stops.push(async () => {
      resuming.abort();
      await resumed;
    });

    return { urls, outbox, stepFunctions, scheduler, stateMachines, resumed, gateway, streams, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** How many open cases' executions are started again a second after a restart. */
export const RESUME_PER_SECOND = 100;

/** Waits so that successive calls run at most `perSecond` a second. */
function paced(perSecond: number): () => Promise<void> {
  let next = performance.now();
  return async () => {
    const now = performance.now();
    next = Math.max(next + 1000 / perSecond, now);
    if (next > now) await new Promise((resolve) => setTimeout(resolve, next - now));
  };
}

/** The demo bureau, loaded when no org chart exists yet (a fresh data folder). */
async function seedDemoOrg(deps: Deps): Promise<void> {
  if (await deps.org.current()) return;
  try {
    await deps.org.replace(OrgInputSchema.parse(demoOrg), 0, 'system');
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}
