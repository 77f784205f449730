/** What the use cases need from the outside world. Adapters implement these; tests may use memory twins. */
import type { CaseRecord, Notification, TrailEntry } from './cases/case.ts';
import type { AssessedOutcome } from './stats/outcome-facts.ts';
import type { Telemetry } from './telemetry.ts';
import type { TrailPage } from './cases/trail.ts';
import type { StoredEntry, TrailHead } from './cases/trail-types.ts';
import type { ArchiveItem } from './archive/archive.ts';
import type { Org, OrgInput } from './org/org.ts';
import type { CalendarOverride } from './calendar/working-calendar.ts';
import type { SearchShard } from './search/search-index.ts';

export interface Clock {
  now(): number;
}

/** A request's Idempotency-Key, with a fingerprint of what was asked, and the response to replay. */
export interface Idempotency {
  readonly key: string;
  readonly personId: string;
  readonly fingerprint: string;
  readonly response: { readonly statusCode: number; readonly body: unknown };
}

export interface StoredResponse {
  readonly fingerprint: string;
  readonly response: { readonly statusCode: number; readonly body: unknown };
  /** Reserved by a request still running (for requests whose work is not one transaction). */
  readonly pending?: boolean;
}

export interface TaskView {
  readonly caseId: string;
  readonly kind: 'sign' | 'read';
  readonly type: string;
  readonly title: string;
  readonly stepName?: string;
  readonly applicantName: string;
  readonly number?: string;
  readonly dueAt?: string;
  readonly createdAt: string;
  /** 待阅: who sent it to read, and when. */
  readonly sentBy?: { readonly id: string; readonly name: string };
  readonly sentAt?: string;
}

/** A page of a list; `next` is an opaque cursor, good for the same person and the same list only. */
export interface Page<T> {
  readonly items: T[];
  readonly next?: string;
}

export interface CaseFilter {
  readonly type?: string;
  readonly status?: CaseRecord['status'];
  readonly applicantId?: string;
  /** Cases this person has acted on (已办), other than their own requests. */
  readonly handledBy?: string;
  readonly departmentId?: string;
  readonly year: number;
  readonly overdueAt?: number;
  readonly limit: number;
  readonly cursor?: string;
  /** Who is asking: a cursor serves only them. */
  readonly viewerId: string;
  /** Whether the viewer may see a case; a page holds `limit` cases they may see, unless the list ends first. */
  readonly visible?: (c: CaseRecord) => boolean;
}

export interface CaseStore {
  get(id: string): Promise<CaseRecord | undefined>;
  /** The whole trail, oldest first (only where the whole is needed: it grows without bound). */
  trail(id: string): Promise<TrailEntry[]>;
  /** The trail as stored, with each entry's chain link, and the routing slip's copies: what verification reads. */
  chain(id: string): Promise<{ entries: StoredEntry[]; slips: StoredEntry[] }>;
  /** Every case's chain head, for the cases listed under the given years. */
  heads(years: readonly number[]): AsyncIterable<{ caseId: string; head: TrailHead }>;
  /** The latest `limit` entries before the cursor, oldest first, with a cursor to the ones before them. */
  trailPage(id: string, options: { limit: number; cursor?: string; viewerId: string }): Promise<TrailPage>;
  /** The entries the routing slip is made from (trail.ts: isSlipEntry), oldest first; the latest SLIP_LIMIT of them. */
  slip(c: Pick<CaseRecord, 'id' | 'slipKept'>): Promise<TrailEntry[]>;
  /**
   * Writes a new case, its trail, tasks and assessment facts in one transaction (with the
   * idempotency record, when given), and its notifications (see `save`). The facts come
   * worked out (cases/save-outcome.ts).
   */
  create(outcome: AssessedOutcome, idempotency?: Idempotency): Promise<Told>;
  /**
   * Writes a decision in one transaction: the case (only if still at `previous.version`), its trail
   * entries, the inbox changes, the assessment facts the domain worked out (cases/save-outcome.ts)
   * and the idempotency record; `consumesUpload` removes that pending upload with it (only if it
   * is still there). A stale version throws ConflictError. The outcome's notifications go in the
   * same transaction, as many as it has room for (notification-id.ts: withTheChange): a change and
   * its 待办 or reminder are written together or not at all, in one round trip. Returns what it
   * wrote (the emailed kinds are still to be mailed) and what it did not, for the caller to
   * deliver (notify.ts: deliver).
   */
  save(previous: CaseRecord, outcome: AssessedOutcome, options?: { idempotency?: Idempotency; number?: NumberUse; consumesUpload?: string }): Promise<Told>;
  tasksFor(personId: string, limit: number, cursor?: string): Promise<Page<TaskView>>;
  list(filter: CaseFilter): Promise<Page<CaseRecord>>;
  /** Every open case (by the due index), in pages. */
  open(cursor?: string): Promise<Page<CaseRecord>>;
  /** Open cases due before `until`, soonest first (by the due index: closed cases are not in it). */
  dueBefore(until: string, cursor?: string): Promise<Page<CaseRecord> & { readonly itemsRead: number }>;
  storedResponse(personId: string, key: string): Promise<StoredResponse | undefined>;
  /** Reserves a key for a request whose work is not one transaction; a second reservation throws ConflictError. */
  reserveResponse(idempotency: Omit<Idempotency, 'response'>): Promise<void>;
  /** Records the reserved request's response, for its retries. */
  keepResponse(idempotency: Idempotency): Promise<void>;
  /** Gives up a reservation (the request failed): a retry runs it again. */
  forgetResponse(personId: string, key: string): Promise<void>;
  /** The token the case's execution waits on, if any. */
  waiting(id: string): Promise<{ stepKey: string; token: string; execution: string } | undefined>;
  /** Records the token, only if the case is still at that step under that execution; false otherwise. */
  recordWait(id: string, wait: { stepKey: string; token: string; execution: string }): Promise<boolean>;
  /** Moves the case to a new execution, only if `from` still drives it; its version stays, and a change read under `from` can no longer be saved. */
  replaceExecution(id: string, from: string | undefined, to: string): Promise<boolean>;
}

/**
 * What a case store wrote of a change's notifications in the change's own transaction
 * (`written`, stored: the emailed kinds among them are still to be mailed) and what it had no
 * room for (`rest`, to record and deliver after it). See notify.ts: deliver.
 */
export interface Told {
  readonly written: readonly StoredNotification[];
  readonly rest: readonly Notification[];
}

export interface StoredNotification extends Notification {
  readonly id: string;
  readonly read: boolean;
  /** How the email went, when it was emailed. */
  readonly email?: { readonly status: 'sent' | 'failed' | 'no-address'; readonly at: string; readonly messageId?: string; readonly error?: string };
}

/** The in-app notification list (read/unread), with each email delivery recorded. */
export interface NotificationStore {
  /** Writes them; ids are deterministic, so writing the same ones again is harmless. Returns the ones to deliver (emailed kinds only if new). */
  record(notifications: readonly Notification[]): Promise<StoredNotification[]>;
  list(personId: string, options: { unreadOnly: boolean; limit: number; cursor?: string }): Promise<Page<StoredNotification>>;
  markRead(personId: string, ids: readonly string[]): Promise<number>;
  /** How many of the newest `window` are unread, counted up to `max`. */
  unreadCount(personId: string, max: number, window: number): Promise<number>;
  recordEmail(personId: string, id: string, email: NonNullable<StoredNotification['email']>): Promise<void>;
}

/** Scanned files: S3 in AWS, s3rver locally. */
/** Which stored bytes were read: a copy that names it copies exactly those, or nothing. */
export interface ObjectIdentity {
  readonly etag?: string;
  readonly versionId?: string;
}

export interface FileLock {
  readonly by: 'object-lock' | 'application';
  readonly mode?: string;
  readonly retainUntil?: string;
  readonly legalHold?: boolean;
}

export interface FileStore {
  /**
   * A URL to PUT exactly the declared file: the SHA-256 is signed into it (sent by the client as
   * the returned headers), so S3 refuses any other bytes.
   */
  presignPut(key: string, file: { contentType: string; size: number; sha256: string }, expiresIn: number): Promise<{ url: string; headers: Record<string, string> }>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** The object's bytes, and which version of it they are. */
  open(key: string): Promise<{ body: AsyncIterable<Uint8Array>; identity: ObjectIdentity }>;
  /** Copies exactly the version read (its version id, or failing that its ETag); false if the object changed since. */
  copy(from: string, to: string, exact: ObjectIdentity): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Keeps a filed object for its retention period (S3 Object Lock, governance mode; a legal hold for permanent ones). Locally the application enforces it. */
  retain(key: string, until: string | undefined): Promise<void>;
  /** Removes every version of an object whose retention is over (销毁). */
  destroy(key: string): Promise<void>;
  /**
   * How the object is locked, read back from the store (安全性): S3 Object Lock's retention and
   * legal hold in AWS; `application` where the store has no locks (locally) and the application's
   * rule is what keeps it. Undefined if the object is not there.
   */
  lockOf(key: string): Promise<FileLock | undefined>;
  /** A link that downloads the file as `fileName`, served as the type it was verified to be. */
  presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string>;
}

/** An upload asked for: what the client declared, checked against what arrives. */
export interface PendingUpload {
  readonly uploadId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly key: string;
  readonly replaces?: string;
  readonly createdAt: string;
  /** TTL: an upload never completed is forgotten (and its object removed by the bucket's lifecycle rule). */
  readonly expiresAt: number;
}

export interface UploadStore {
  /** Records the upload asked for, with the idempotency record of the request when it has a key. */
  put(upload: PendingUpload, idempotency?: Idempotency): Promise<void>;
  get(caseId: string, uploadId: string): Promise<PendingUpload | undefined>;
  /** Takes the upload for one completion by its owner; false if it is gone, someone else's, or being completed. */
  claim(caseId: string, uploadId: string, personId: string, now: number, staleAfterMs: number): Promise<boolean>;
  /** Lets another completion take it (after one failed for a reason that was not the file's). */
  release(caseId: string, uploadId: string): Promise<void>;
  remove(caseId: string, uploadId: string): Promise<void>;
}

/** Email: Amazon SES in AWS, the local outbox on loopback. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<{ messageId: string }>;
}

/** A number allocated for a kind and year, to be recorded as used with the case or voided. */
export interface NumberUse {
  readonly kind: string;
  readonly year: number;
  readonly sequence: number;
  readonly number: string;
}

export interface Numbering {
  /** The next number of a kind in a year; never handed out twice. */
  allocate(kind: string, year: number): Promise<NumberUse>;
  /** Records an allocated number that will not be used (作废), with why. */
  void(use: NumberUse, reason: string, by: string): Promise<void>;
  /** Records a number taken by hand (取号) for a document outside a case. */
  record(use: NumberUse, detail: { title: string; by: string }): Promise<void>;
  /** Every number of a kind in a year as recorded (used or void), in order, and the last one handed out (the counter). */
  uses(kind: string, year: number): Promise<{ readonly last: number; readonly records: readonly NumberRecord[] }>;
}

/** A number as recorded: used by a case (or by hand), or void with why. */
export interface NumberRecord {
  readonly sequence: number;
  readonly number: string;
  readonly status: 'used' | 'void';
  readonly caseId?: string;
  readonly title?: string;
  readonly reason?: string;
  readonly by?: string;
  readonly at?: string;
}

export interface OrgStore {
  /** The current chart; `maxAgeMs` accepts one known to have been current that recently (by default, read now). */
  current(options?: { maxAgeMs?: number }): Promise<Org | undefined>;
  /** Saves a new version if `expectedVersion` is still current; a stale one throws ConflictError. */
  replace(input: OrgInput, expectedVersion: number, by: string): Promise<Org>;
}

/** An execution of the case workflow, as Step Functions reports it. */
export interface ExecutionSummary {
  readonly name: string;
  /** Its ARN: what `aws stepfunctions get-execution-history --execution-arn` takes. */
  readonly arn: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** One event of an execution's history, for people: no execution data, only what happened where. */
export interface ExecutionEvent {
  /** Numbered from 1 in the order they happened. */
  readonly id: number;
  /** Step Functions' event type, e.g. `TaskStateEntered`, `TaskTimedOut`, `ExecutionFailed`. */
  readonly type: string;
  readonly at: string;
  /** The state it happened in (`Drive Case`), when the page shows it. */
  readonly state?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface Workflows {
  /** Starts the execution that drives a case; starting the same one twice is harmless. */
  start(caseId: string, execution: string): Promise<void>;
  /** Wakes an execution waiting on a token: false when the token was already spent (the execution moved on). */
  wake(token: string): Promise<boolean>;
  /** Ends the wait of a token with an error the state machine catches (a closed case: CaseClosed): false when the token was already spent. */
  fail(token: string, error: string, cause: string): Promise<boolean>;
  /** Names of executions that ended without finishing their case (failed, timed out, aborted). */
  ended(): Promise<string[]>;
  /** The execution of that name; undefined when Step Functions no longer has it (the local engine forgets at a restart). */
  describe(execution: string): Promise<ExecutionSummary | undefined>;
  /**
   * A page of the execution's history: the latest `limit` events before `cursor` (an opaque
   * cursor from the page after it), oldest first, and a cursor to the ones before them.
   */
  history(execution: string, page: { limit: number; cursor?: string }): Promise<{ events: ExecutionEvent[]; earlier?: string }>;
}

/**
 * A step's next chase (督办), kept off the execution: a one-time EventBridge Scheduler schedule
 * calls the chase task at its time (handlers/tasks/chase-case.ts). Arming the same chase again is
 * harmless; one armed for a step the case has left does nothing when it fires.
 */
export interface Chases {
  /** Calls the chase task for the case's step at `at` (ISO), or within the minute after it. */
  arm(chase: { caseId: string; stepKey: string; at: string }): Promise<void>;
  /** Removes the chase armed for the case's step at `at`, if it is still there (a step the case has left). */
  disarm(chase: { caseId: string; stepKey: string; at: string }): Promise<void>;
}

/** The organisation's own calendar entries (closures, next year's schedule), versioned like the org. */
export interface CalendarStore {
  /** The calendar; `maxAgeMs` accepts one known to have been current that recently (by default, read now). */
  current(options?: { maxAgeMs?: number }): Promise<{ version: number; overrides: CalendarOverride[]; updatedAt?: string; updatedBy?: string }>;
  replace(overrides: CalendarOverride[], expectedVersion: number, by: string): Promise<{ version: number; overrides: CalendarOverride[] }>;
}

/** A register's entries for a period (a year, or a month for assessment facts), in the order they were made. */
export interface RegisterStore {
  /** Refused (413) past `max` entries: a view or export must fit one response. */
  entries<T>(register: string, period: number | string, max?: number): Promise<T[]>;
}

/** A live permission to see one classified case (查阅授权), from an approved confidential-access request. */
export interface AccessGrant {
  readonly personId: string;
  readonly caseId: string;
  /** Access ends at this instant. */
  readonly until: string;
  /** The approved request it came from. */
  readonly viaCaseId: string;
  readonly grantedAt: string;
}

/** A grant as kept for good (the live ones expire; the 四性检测 asks who could see a classified item when). */
export interface GrantRecord {
  readonly personId: string;
  readonly grantedAt: string;
  readonly until: string;
  readonly viaCaseId: string;
}

export interface AccessStore {
  /** Every grant ever given to see a case. */
  history(caseId: string): Promise<GrantRecord[]>;
  /** The cases a person may see now by grant; expired grants count for nothing. */
  grantsOf(personId: string, now: number): Promise<ReadonlySet<string>>;
  /** Writes a grant; the same request granting twice writes the same item. */
  grant(grant: AccessGrant): Promise<void>;
}

/** Filed items (件), by case and by item number (档号). */
export interface ArchiveStore {
  get(caseId: string): Promise<ArchiveItem | undefined>;
  byNumber(number: string): Promise<ArchiveItem | undefined>;
  /** Files an item and records its number as used, in one write; false if the case or the number was filed already. */
  file(item: ArchiveItem, number: NumberUse): Promise<boolean>;
  /** Marks a kept item destroyed; false if it was not kept. */
  markDestroyed(caseId: string, at: string, destructionCaseId: string): Promise<boolean>;
  /** Records an item's 四性检测 state, its files' pages and its stamped copy. */
  recordCheck(caseId: string, change: Pick<ArchiveItem, 'check' | 'files'> & { stamped?: ArchiveItem['stamped'] }): Promise<void>;
  /** Gives an item filed before DA/T 22 numbering its new number; the old one keeps finding it. False if it was renumbered already. */
  renumber(item: ArchiveItem, to: Pick<ArchiveItem, 'number' | 'fonds' | 'organCode' | 'sequence' | 'formerNumbers'>): Promise<boolean>;
  /** Every item filed in a year (the catalogue's lines, whatever their state), in filing order. */
  itemsOf(year: number): AsyncIterable<ArchiveItem>;
  /** The archive's jobs (a year's 四性检测, a handover package): asked for by a person, run by the archive worker. */
  createJob(job: ArchiveJob): Promise<void>;
  job(year: number, id: string): Promise<ArchiveJob | undefined>;
  jobs(year: number): Promise<ArchiveJob[]>;
  /** Moves a job on; false if it is no longer in the state `from`. */
  updateJob(job: ArchiveJob, from: ArchiveJob['status']): Promise<boolean>;
}

export interface ArchiveJob {
  readonly id: string;
  readonly kind: 'check-year' | 'handover';
  readonly year: number;
  readonly by: string;
  readonly byName: string;
  readonly requestedAt: string;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly startedAt?: string;
  /** When the worker last said it was alive (with its progress). */
  readonly heartbeatAt?: string;
  readonly finishedAt?: string;
  readonly progress?: { readonly done: number; readonly total: number };
  /** The 四性检测 report it wrote (both kinds write one) and, for a handover, the package. */
  readonly reportKey?: string;
  readonly packageKey?: string;
  readonly summary?: {
    readonly items: number;
    readonly passed: number;
    readonly failed: number;
    /** A handover: items in the package, of them classified (only in a package the confidential clerk asked for), its files and size. */
    readonly packaged?: number;
    readonly classified?: number;
    readonly files?: number;
    readonly bytes?: number;
  };
  readonly error?: string;
}

/**
 * The search index: one shard per year of the cases opened in it (search/search-index.ts), kept
 * where every function can read it. Only the indexer writes, one batch of changes at a time.
 */
/** Another indexer wrote the index since it was read: the batch is applied again on what it wrote. */
export class StaleIndexError extends Error {
  override readonly name = 'StaleIndexError';
  constructor(key: string) {
    super(`The search index changed while it was written (${key})`);
  }
}

export interface SearchIndexStore {
  /** The years that have a shard. */
  years(): Promise<number[]>;
  /** The shard of a year as stored now (an empty one if there is none); unchanged shards are not read again. */
  shard(year: number): Promise<SearchShard>;
  /** Throws StaleIndexError if the shard or the manifest changed since this store read them. */
  save(year: number, shard: SearchShard): Promise<void>;
}

/** Where reading a scan's text stands: waiting or under way, done (its pages), or given up (why). */
export interface ScanTextState {
  readonly caseId: string;
  readonly attachmentId: string;
  readonly status: 'pending' | 'ready' | 'failed';
  /** Pages read (ready), or read so far (pending). */
  readonly pages?: number;
  /** The first page still to read, when the reading goes on in another run. */
  readonly next?: number;
  /** Why it failed: a TextFailure code, or `error` for a fault of ours. */
  readonly reason?: string;
  readonly message?: string;
  readonly at: string;
  /** How many times it was started (retries included). */
  readonly tries: number;
  /** Until when a run has it (epoch ms); a lapsed or absent lease lets the next run take it. */
  readonly leaseUntil?: number;
  /** Bumped by every change: a change is written only over the state it was made from. */
  readonly rev: number;
}

/** The text read from scans: stored beside each file (and destroyed with it), its state beside the case. */
export interface ScanTextStore {
  /** The state of every scan of a case that reading has begun for. */
  states(caseId: string): Promise<ScanTextState[]>;
  /** Writes a state over the one at `next.rev - 1` (or over none, for rev 1); false if it changed meanwhile (another run has it). */
  transition(next: ScanTextState): Promise<boolean>;
  /** The pages read from the file at `fileKey`, if any were kept. */
  pages(fileKey: string): Promise<string[] | undefined>;
  keepPages(fileKey: string, pages: readonly string[]): Promise<void>;
}

/** What each person keeps for themselves. */
export interface ProfileStore {
  /** Their 常用意见, if they keep their own. */
  opinions(personId: string): Promise<string[] | undefined>;
  keepOpinions(personId: string, opinions: readonly string[]): Promise<void>;
}

/** Counts uses of something per window, to refuse bursts. */
export interface RateLimits {
  /** Counts one use of `key` in the window `now` falls in; false (and not counted) once `limit` were. */
  take(key: string, limit: number, windowSeconds: number, now: number): Promise<boolean>;
}

/** Everything a use case may touch. */
/** What the archive keeps of its own in the bucket: daily trail digests, 四性检测 reports, handover packages. */
export interface VaultStore {
  /** Writes an object once: false if one is there already. `locked` objects are kept under Object Lock in AWS (never changed or deleted). */
  create(key: string, bytes: Uint8Array, contentType: string, options?: { locked?: boolean }): Promise<boolean>;
  /** Writes or replaces an object (pointers, progress). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Keys under a prefix, in order. */
  list(prefix: string): Promise<string[]>;
  /** Streams a body of unknown length into an object (multipart); returns its size. */
  upload(key: string, body: AsyncIterable<Uint8Array>, contentType: string): Promise<{ size: number }>;
  /** Streams an object out. */
  open(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string>;
}

export interface Deps {
  readonly cases: CaseStore;
  readonly org: OrgStore;
  readonly calendar: CalendarStore;
  readonly notifications: NotificationStore;
  readonly mailer: Mailer;
  readonly files: FileStore;
  readonly uploads: UploadStore;
  readonly numbering: Numbering;
  readonly registers: RegisterStore;
  readonly access: AccessStore;
  readonly archive: ArchiveStore;
  readonly limits: RateLimits;
  readonly profiles: ProfileStore;
  readonly workflows: Workflows;
  readonly chases: Chases;
  readonly scanTexts: ScanTextStore;
  readonly vault: VaultStore;
  readonly telemetry: Telemetry;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** Who is calling, from the verified token's claims. */
export interface Caller {
  readonly personId: string;
  /** Cognito groups (in AWS) — lets the first admin set up an empty org. */
  readonly groups: readonly string[];
}
