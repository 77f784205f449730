/**
 * What Bangong runs, declared once. The CDK stacks deploy it to AWS and `local/` builds the same
 * on loopback, so the table, its indexes, the bucket, the routes, the state machines and the
 * schedules cannot drift apart. Plain data only: no CDK or AWS SDK imports here.
 */
import { tasks } from '../statemachines/tasks.ts';

/** What a function may touch; each one becomes an IAM grant in AWS (see constructs/office-function.ts). */
export type Grant =
  | 'table:describe'
  | 'table:read'
  | 'table:write'
  /** The key that seals page cursors: read, and made by whichever function first needs it. */
  | 'table:cursor-key'
  /** The org chart, read-only: every route of signed-in people checks the caller is an active member (added to them all). */
  | 'table:org'
  | 'bucket:list'
  | 'bucket:read'
  | 'bucket:write'
  | 'files:upload'
  | 'files:verify'
  | 'files:download'
  | 'files:retain'
  | 'files:destroy'
  /** The search index (search/) and the text read from scans (attachments/*.text.json), read-only. */
  | 'search:read'
  /** Writing the search index (the indexer only). */
  | 'search:write'
  /** Reading attached scans and writing the text read from them beside each. */
  | 'texts:write'
  /** The archive's own objects (archive/: 四性检测 reports, handover packages, migration marks): read and list. */
  | 'vault:read'
  /** The archive's own objects: written (reports and packages once). */
  | 'vault:write'
  /** The daily digests of trail chain heads (trail-digests/): read and list. */
  | 'digests:read'
  /** Writing a day's digest, once, under Object Lock (the TrailDigest schedule only). */
  | 'digests:write'
  /** Filed scans read back for the 四性检测: their bytes and their Object Lock retention and hold. */
  | 'files:check'
  /** The 归档章 copy written beside a filed PDF (attachments/*.stamped.pdf) and locked for the item's retention. */
  | 'files:stamp'
  | 'workflows:list'
  | 'workflows:start'
  | 'workflows:respond'
  /** The executions of the state machines: listed, and one described with its history. */
  | 'workflows:history'
  /** One execution's state and its history (DescribeExecution, GetExecutionHistory): the admin's view of a case's execution. */
  | 'workflows:read'
  | 'schedules:list'
  /** Arming one-time schedules that call a timer function (a step's next chase): scheduler:CreateSchedule on the group's `chase-*` schedules, passing the timer's role. */
  | 'timers:arm'
  /** Deleting a chase a decision made pointless (of the step it left): scheduler:DeleteSchedule on the group's `chase-*` schedules only. */
  | 'timers:disarm'
  | 'mail:send'
  | 'mail:status';

/** A Lambda entry point: a module under functions/handlers exporting `handler`. */
export interface FunctionSpec {
  /** Path from the repository root, e.g. `functions/handlers/http/health.ts`. */
  readonly entry: string;
  readonly grants: readonly Grant[];
  /** Lambda timeout; HTTP routes are capped by API Gateway's 30 s integration limit anyway. */
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /**
   * Packages installed beside the bundle instead of bundled: ones that load files of their own at
   * run time (WebAssembly, language data, native binaries).
   */
  readonly nodeModules?: readonly string[];
  /** arm64 unless a native binary it needs is installed for x86_64 only (the build machine's). */
  readonly architecture?: 'x86_64';
}

/** `ANY` matches every method (the catch-all route); a route with a named method wins over it. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';

export interface RouteSpec extends FunctionSpec {
  readonly method: HttpMethod;
  /** API Gateway route path, with `{param}` and `{proxy+}` segments. */
  readonly path: string;
  /**
   * `public`: no token; `user`: a Cognito JWT in AWS, a dev-login token locally, and the caller an
   * active person of the org chart (every such route may read it: `table:org`); `local-only`: never deployed.
   */
  readonly auth: 'public' | 'user' | 'local-only';
}

export interface StateMachineSpec {
  /** Logical id; also the local state machine name. */
  readonly id: string;
  /** ASL file under statemachines/; its `${Placeholder}`s are keys of `tasks`. */
  readonly definition: string;
  /** The environment variable every function finds its ARN in. */
  readonly envVar: string;
}

export interface ScheduleSpec extends FunctionSpec {
  readonly id: string;
  /** EventBridge Scheduler expression: `cron(min hour dom month dow year)` or `rate(n unit)`. */
  readonly expression: string;
  readonly timezone: string;
  readonly description: string;
}

/**
 * A function called at a time chosen at run time: a one-time EventBridge Scheduler schedule armed
 * by the functions granted `timers:arm`, which find its ARN, role and dead-letter queue in
 * `${envPrefix}_TARGET_ARN`, `_ROLE_ARN` and `_DEAD_LETTER_ARN`. Locally the scheduler emulator
 * calls the same module.
 */
export interface TimerSpec extends FunctionSpec {
  /** Logical id; also the local function name in the target ARN. */
  readonly id: string;
  readonly envPrefix: string;
  readonly description: string;
}

/**
 * A function fed the table's changes (DynamoDB Streams, keys only: it reads what it needs). In
 * AWS an event source mapping with these filters; locally a poller of DynamoDB Local's stream.
 */
export interface StreamConsumerSpec extends FunctionSpec {
  readonly id: string;
  readonly description: string;
  /** Only changes to items whose keys match one of these (prefixes; `sk` exact when `skExact`). */
  readonly filters: readonly { readonly pkPrefix: string; readonly skPrefix?: string; readonly skExact?: string }[];
  readonly batchSize: number;
  /** How long changes are gathered before a batch is handed over (seconds). */
  readonly batchWindowSeconds: number;
}

export interface TableIndexSpec {
  /** Named after the access pattern it serves. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface Topology {
  readonly table: {
    readonly partitionKey: string;
    readonly sortKey: string;
    readonly indexes: readonly TableIndexSpec[];
    readonly timeToLiveAttribute: string;
    /** What the table's change stream carries: keys only (consumers read the items themselves). */
    readonly stream: 'KEYS_ONLY';
  };
  readonly bucket: {
    /** Days after which a multipart upload that never completed is removed. */
    readonly abortIncompleteUploadAfterDays: number;
    /** Days after which an upload never verified and attached is removed (prefix uploads/). */
    readonly abandonedUploadDays: number;
  };
  readonly routes: readonly RouteSpec[];
  readonly stateMachines: readonly StateMachineSpec[];
  /** `${Placeholder}` in an ASL file → the task function Lambda runs for it. */
  readonly tasks: Readonly<Record<string, FunctionSpec>>;
  readonly schedules: readonly ScheduleSpec[];
  readonly timers: readonly TimerSpec[];
  readonly streamConsumers: readonly StreamConsumerSpec[];
}

export const topology: Topology = {
  table: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      // A person's open work, soonest due first (待办).
      { name: 'assigned', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // Open cases by due time (sparse: closed cases leave it), for the overdue sweep and restarts: never a Scan.
      { name: 'due', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      // Cases by year, newest first, for lists and registers.
      { name: 'listing', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
      // A person's own requests (我的申请).
      { name: 'mine', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
      // One register (登记簿) for one year, in the order entries were made: cases of a type, the
      // archive catalogue, borrowing, destruction; and the month's assessment facts (考核).
      { name: 'register', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
    ],
    timeToLiveAttribute: 'expiresAt',
    stream: 'KEYS_ONLY',
  },
  bucket: { abortIncompleteUploadAfterDays: 1, abandonedUploadDays: 2 },
  routes: [
    {
      method: 'GET',
      path: '/health',
      auth: 'public',
      entry: 'functions/handlers/http/health.ts',
      grants: ['table:describe', 'bucket:list', 'workflows:list', 'schedules:list', 'mail:status'],
      timeoutSeconds: 10,
    },
    { method: 'POST', path: '/auth/dev-login', auth: 'local-only', entry: 'functions/handlers/http/dev-login.ts', grants: ['table:read'] },
    { method: 'GET', path: '/api/me', auth: 'user', entry: 'functions/handlers/http/me.ts', grants: ['table:read'] },
    { method: 'GET', path: '/api/me/opinions', auth: 'user', entry: 'functions/handlers/http/get-opinions.ts', grants: ['table:read'] },
    { method: 'PUT', path: '/api/me/opinions', auth: 'user', entry: 'functions/handlers/http/put-opinions.ts', grants: ['table:write'] },
    { method: 'GET', path: '/api/org', auth: 'user', entry: 'functions/handlers/http/get-org.ts', grants: ['table:read'] },
    { method: 'PUT', path: '/api/org', auth: 'user', entry: 'functions/handlers/http/put-org.ts', grants: ['table:write'] },
    { method: 'GET', path: '/api/calendar', auth: 'user', entry: 'functions/handlers/http/get-calendar.ts', grants: ['table:read'] },
    { method: 'PUT', path: '/api/calendar', auth: 'user', entry: 'functions/handlers/http/put-calendar.ts', grants: ['table:write'] },
    { method: 'GET', path: '/api/definitions', auth: 'user', entry: 'functions/handlers/http/list-definitions.ts', grants: ['table:read', 'table:cursor-key'] },
    { method: 'GET', path: '/api/definitions/{type}', auth: 'user', entry: 'functions/handlers/http/get-definition.ts', grants: [] },
    { method: 'POST', path: '/api/definitions/{type}/preview', auth: 'user', entry: 'functions/handlers/http/preview-case.ts', grants: ['table:read'] },
    { method: 'POST', path: '/api/cases', auth: 'user', entry: 'functions/handlers/http/create-case.ts', grants: ['table:write', 'workflows:start', 'mail:send'] },
    { method: 'GET', path: '/api/cases', auth: 'user', entry: 'functions/handlers/http/list-cases.ts', grants: ['table:read', 'table:cursor-key'] },
    { method: 'GET', path: '/api/cases/{id}', auth: 'user', entry: 'functions/handlers/http/get-case.ts', grants: ['table:read', 'table:cursor-key'] },
    { method: 'GET', path: '/api/cases/{id}/trail', auth: 'user', entry: 'functions/handlers/http/get-case-trail.ts', grants: ['table:read', 'table:cursor-key'] },
    { method: 'GET', path: '/api/cases/{id}/verify', auth: 'user', entry: 'functions/handlers/http/verify-case.ts', grants: ['table:read', 'digests:read'] },
    { method: 'GET', path: '/api/admin/trail-check', auth: 'user', entry: 'functions/handlers/http/check-trail.ts', grants: ['table:read', 'digests:read'], timeoutSeconds: 29 },
    { method: 'POST', path: '/api/cases/{id}/actions', auth: 'user', entry: 'functions/handlers/http/act-on-case.ts', grants: ['table:write', 'workflows:respond', 'mail:send', 'timers:arm', 'timers:disarm'] },
    { method: 'GET', path: '/api/tasks', auth: 'user', entry: 'functions/handlers/http/list-tasks.ts', grants: ['table:read', 'table:cursor-key'] },
    { method: 'POST', path: '/api/cases/{id}/uploads', auth: 'user', entry: 'functions/handlers/http/request-upload.ts', grants: ['table:write', 'files:upload'] },
    {
      method: 'POST',
      path: '/api/cases/{id}/uploads/{uploadId}/complete',
      auth: 'user',
      entry: 'functions/handlers/http/complete-upload.ts',
      grants: ['table:write', 'files:verify', 'files:retain'],
      // Reading a 200 MB scan back to check it takes a while; API Gateway allows 30 s.
      memoryMb: 1024,
    },
    { method: 'POST', path: '/api/cases/{id}/attachments/{attachmentId}/download', auth: 'user', entry: 'functions/handlers/http/download-attachment.ts', grants: ['table:write', 'files:download'] },
    {
      method: 'POST',
      path: '/api/admin/restart-executions',
      auth: 'user',
      entry: 'functions/handlers/http/restart-executions.ts',
      grants: ['table:write', 'workflows:start'],
      timeoutSeconds: 29,
    },
    // One case's execution and a page of its history (DescribeExecution, GetExecutionHistory): workflows:read.
    { method: 'GET', path: '/api/admin/cases/{id}/execution', auth: 'user', entry: 'functions/handlers/http/get-case-execution.ts', grants: ['table:read', 'workflows:read'] },
    { method: 'GET', path: '/api/registers', auth: 'user', entry: 'functions/handlers/http/list-registers.ts', grants: [] },
    { method: 'GET', path: '/api/registers/{id}', auth: 'user', entry: 'functions/handlers/http/get-register.ts', grants: ['table:read'] },
    { method: 'GET', path: '/api/registers/{id}/export', auth: 'user', entry: 'functions/handlers/http/export-register.ts', grants: ['table:read'], memoryMb: 1024, timeoutSeconds: 29 },
    {
      method: 'POST',
      path: '/api/archive/items/{number}/check',
      auth: 'user',
      entry: 'functions/handlers/http/check-archive-item.ts',
      grants: ['table:write', 'files:check'],
      // Reads the item's scans back whole to hash and open them (the worker, not this route, stamps).
      memoryMb: 1769,
      timeoutSeconds: 29,
      nodeModules: ['pdfjs-dist'],
    },
    { method: 'POST', path: '/api/archive/jobs', auth: 'user', entry: 'functions/handlers/http/request-archive-job.ts', grants: ['table:write'] },
    { method: 'GET', path: '/api/archive/jobs', auth: 'user', entry: 'functions/handlers/http/list-archive-jobs.ts', grants: ['table:read'] },
    { method: 'POST', path: '/api/archive/jobs/{year}/{id}/download', auth: 'user', entry: 'functions/handlers/http/download-handover.ts', grants: ['table:read', 'vault:read'] },
    {
      method: 'GET',
      path: '/api/archive/reports/{year}/{id}',
      auth: 'user',
      entry: 'functions/handlers/http/get-archive-report.ts',
      grants: ['vault:read'],
      // A big year's XLSX is built in memory: 10,000 items (100,000 rows) take about 1.3 GB (bench/archive.ts).
      memoryMb: 3008,
      timeoutSeconds: 29,
    },
    { method: 'GET', path: '/api/archive/gaps', auth: 'user', entry: 'functions/handlers/http/number-gaps.ts', grants: ['table:read'], memoryMb: 1024, timeoutSeconds: 29 },
    { method: 'GET', path: '/api/overdue', auth: 'user', entry: 'functions/handlers/http/list-overdue.ts', grants: ['table:read'] },
    { method: 'GET', path: '/api/overdue/export', auth: 'user', entry: 'functions/handlers/http/export-overdue.ts', grants: ['table:read'], memoryMb: 1024, timeoutSeconds: 29 },
    { method: 'GET', path: '/api/stats', auth: 'user', entry: 'functions/handlers/http/get-stats.ts', grants: ['table:read'] },
    { method: 'GET', path: '/api/stats/export', auth: 'user', entry: 'functions/handlers/http/export-stats.ts', grants: ['table:read'], memoryMb: 1024, timeoutSeconds: 29 },
    {
      method: 'GET',
      path: '/api/search',
      auth: 'user',
      entry: 'functions/handlers/http/search.ts',
      grants: ['table:read', 'table:cursor-key', 'search:read'],
      // A warm function keeps the yearly shards in memory (see README: Search).
      memoryMb: 1769,
      // SQLite's WebAssembly file is read from beside its module.
      nodeModules: ['@sqlite.org/sqlite-wasm'],
    },
    {
      method: 'POST',
      path: '/api/cases/{id}/attachments/{attachmentId}/text',
      auth: 'user',
      entry: 'functions/handlers/http/retry-scan-text.ts',
      grants: ['table:write'],
    },
    { method: 'GET', path: '/api/notifications', auth: 'user', entry: 'functions/handlers/http/list-notifications.ts', grants: ['table:read', 'table:cursor-key'] },
    { method: 'GET', path: '/api/notifications/unread-count', auth: 'user', entry: 'functions/handlers/http/unread-notifications.ts', grants: ['table:read'] },
    { method: 'POST', path: '/api/notifications/read', auth: 'user', entry: 'functions/handlers/http/read-notifications.ts', grants: ['table:write'] },
    // Last, and matched last: an address under /api/ that no route above has (or a method it does
    // not take) answers 404 in the API's own error shape, here and in AWS, without a token.
    { method: 'ANY', path: '/api/{proxy+}', auth: 'public', entry: 'functions/handlers/http/not-found.ts', grants: [] },
  ],
  stateMachines: [{ id: 'CaseWorkflow', definition: 'statemachines/case.asl.json', envVar: 'CASE_WORKFLOW_ARN' }],
  tasks,
  schedules: [
    {
      id: 'OverdueSweep',
      expression: 'cron(30 8 * * ? *)',
      timezone: 'Asia/Shanghai',
      description: 'Daily digests of overdue and due-soon work (超期督办)',
      entry: 'functions/handlers/schedules/overdue-sweep.ts',
      grants: ['table:write', 'mail:send'],
      timeoutSeconds: 900,
    },
    {
      id: 'RecurringObligations',
      expression: 'cron(0 8 * * ? *)',
      timezone: 'Asia/Shanghai',
      description: 'Opens each period’s case of the recurring obligations (monthly reports before the 28th)',
      entry: 'functions/handlers/schedules/open-obligations.ts',
      grants: ['table:write', 'workflows:start', 'mail:send'],
      timeoutSeconds: 300,
    },
    {
      id: 'RestartStalledCases',
      expression: 'rate(1 hour)',
      timezone: 'Asia/Shanghai',
      description: 'Replaces ended executions of open cases, resends lost wakes, runs chases that were lost, files closed cases their execution did not',
      entry: 'functions/handlers/schedules/restart-stalled-cases.ts',
      grants: ['table:write', 'workflows:start', 'workflows:respond', 'workflows:history', 'files:retain', 'mail:send', 'timers:arm'],
      timeoutSeconds: 900,
    },
    {
      id: 'TrailDigest',
      expression: 'cron(0 1 * * ? *)',
      timezone: 'Asia/Shanghai',
      description: 'Writes the day’s digest of trail chain heads under Object Lock (tamper evidence)',
      entry: 'functions/handlers/schedules/trail-digest.ts',
      grants: ['table:write', 'digests:read', 'digests:write', 'vault:read', 'vault:write'],
      timeoutSeconds: 900,
    },
  ],
  timers: [
    {
      id: 'ChaseCase',
      envPrefix: 'CHASE',
      description: 'A step’s chase time (督办): reminds, chases, reports to the leader or decides as the step says, then arms the next chase',
      entry: 'functions/handlers/tasks/chase-case.ts',
      grants: ['table:write', 'mail:send', 'workflows:respond', 'timers:arm'],
      timeoutSeconds: 60,
    },
  ],
  streamConsumers: [
    {
      id: 'ArchiveWorker',
      description: 'Runs the 四性检测 of each item as it is filed (and stamps its 归档章 copy), a year’s 四性检测 and handover packages when asked',
      entry: 'functions/handlers/streams/archive-worker.ts',
      grants: ['table:write', 'files:check', 'files:stamp', 'vault:read', 'vault:write'],
      filters: [
        { pkPrefix: 'ARCHIVE#', skExact: 'ITEM' },
        { pkPrefix: 'ARCHIVEJOB#', skPrefix: 'JOB#' },
      ],
      batchSize: 10,
      batchWindowSeconds: 1,
      timeoutSeconds: 900,
      memoryMb: 3008,
      // pdfjs reads its own font data; the 归档章 font is read from its package.
      nodeModules: ['pdfjs-dist', '@fontsource/noto-sans-sc'],
    },
    {
      id: 'SearchIndexer',
      description: 'Keeps the search index (S3, search/) in step with cases, opinions, scan texts and destruction',
      entry: 'functions/handlers/streams/index-search.ts',
      grants: ['table:read', 'search:read', 'search:write'],
      filters: [
        { pkPrefix: 'CASE#', skExact: 'CASE' },
        { pkPrefix: 'CASE#', skPrefix: 'TRAIL#' },
        { pkPrefix: 'CASE#', skPrefix: 'TEXT#' },
        { pkPrefix: 'ARCHIVE#', skExact: 'ITEM' },
      ],
      batchSize: 500,
      batchWindowSeconds: 5,
      nodeModules: ['@sqlite.org/sqlite-wasm'],
      timeoutSeconds: 300,
      // As the search route: room for every year's shard at once (a batch may touch them all), and
      // one full vCPU, all that SQLite's one thread can use (more memory buys a second vCPU it cannot).
      memoryMb: 1769,
    },
    {
      id: 'ScanTextReader',
      description: 'Reads the text of attached scans (PDF text layers, OCR of images in Simplified Chinese)',
      entry: 'functions/handlers/streams/read-scan-texts.ts',
      grants: ['table:write', 'texts:write'],
      filters: [
        { pkPrefix: 'CASE#', skExact: 'CASE' },
        { pkPrefix: 'CASE#', skPrefix: 'TEXT#' },
      ],
      batchSize: 20,
      batchWindowSeconds: 1,
      timeoutSeconds: 900,
      memoryMb: 3008,
      // OCR's WebAssembly and Chinese language data, and the renderer of image-only PDF pages (native, for the build machine's x86_64).
      nodeModules: ['tesseract.js', 'tesseract.js-core', '@tesseract.js-data/chi_sim', '@napi-rs/canvas', 'pdfjs-dist'],
      architecture: 'x86_64',
    },
  ],
};
