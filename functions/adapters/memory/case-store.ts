/**
 * Cases, their trail and the inbox in memory, with DynamoDbCaseStore's contract
 * (dynamodb/case-store.ts): a decision is one all-or-nothing write, only over the version read
 * (else ConflictError), with its trail entries, the slip's copies, the inbox changes, the
 * assessment facts, the idempotency record, the consumed upload and the used number. Lists come
 * from the same index keys, in the same order, a full page at a time behind sealed cursors.
 */
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { stepKeyOf, tasksOf, type CaseRecord, type Notification, type Task, type TrailEntry } from '../../domain/cases/case.ts';
import type { Outcome } from '../../domain/cases/engine.ts';
import { isSlipEntry, SLIP_LIMIT, type TrailPage } from '../../domain/cases/trail.ts';
import { sealTrail, type ChainLink, type StoredEntry, type TrailHead } from '../../domain/cases/trail-chain.ts';
import { matchesCaseFilter } from '../../domain/cases/case-filter.ts';
import type { CaseFilter, CaseStore, Idempotency, NumberUse, Page, StoredResponse, TaskView, Told } from '../../domain/ports.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { factMonth, type Fact } from '../../domain/stats/assessment.ts';
import { internalCursor, keys, NO_DUE } from '../dynamodb/keys.ts';
import { MemoryCursors } from './cursors.ts';
import type { MemoryIdempotency } from './idempotency.ts';
import { copy, roundTrip } from './items.ts';
import type { MemoryNumbering } from './numbering.ts';
import { compare, pageOf, type IndexRow } from './paging.ts';
import type { MemoryRegisterIndex } from './register-store.ts';
import type { MemoryUploadStore } from './upload-store.ts';
import type { MemoryNotificationStore } from './notification-store.ts';
import { withTheChange } from '../../domain/notification-id.ts';

/** DynamoDB's limit on one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;
/** Items per page of the internal walks (open, dueBefore): small, so the walks' paging is exercised. */
const INTERNAL_PAGE = 100;

interface StoredTrailEntry {
  readonly entry: TrailEntry;
  readonly link?: ChainLink;
}

interface InboxItem {
  readonly personId: string;
  /** The `assigned` index's sort key: soonest due first. */
  readonly sortKey: string;
  readonly view: TaskView;
}

/** One staged write of a transaction: its condition, read when all are checked, then its effect. */
interface Staged {
  readonly check?: () => Error | undefined;
  readonly apply: () => void;
}

/**
 * How many items DynamoCaseStore's transaction holds for a change (DynamoDB's limit of 100 is on
 * those), where the twin stages fewer: the case; its `LISTED` and `DUE` entries when created, and
 * its due entry when the due time moves or the case closes; each trail entry and the routing
 * slip's copy; each inbox row ended or written; each fact; and `extras` (idempotency record,
 * consumed upload, number).
 */
function itemsInDynamoDb(previous: CaseRecord | undefined, c: CaseRecord, outcome: Outcome, extras: number): number {
  const entries = previous === undefined ? 1 + (c.status === 'open' ? 1 : 0) : Number((c.status === 'open') !== (previous.status === 'open') || (c.status === 'open' && previous.dueAt !== c.dueAt));
  const trail = outcome.trail.length + outcome.trail.filter(isSlipEntry).length;
  return 1 + entries + trail + outcome.inbox.remove.length + outcome.inbox.put.length + (outcome.facts?.length ?? 0) + extras;
}

export interface MemoryCaseStoreLinks {
  readonly idempotency: MemoryIdempotency;
  readonly registers: MemoryRegisterIndex;
  readonly numbering: MemoryNumbering;
  readonly uploads: MemoryUploadStore;
  readonly notifications: MemoryNotificationStore;
  readonly cursors?: MemoryCursors;
}

export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, CaseRecord>();
  /** Per case, by sort key (`TRAIL#000003#001`): the trail, and the routing slip's copies. */
  private readonly trails = new Map<string, Map<string, StoredTrailEntry>>();
  private readonly slips = new Map<string, Map<string, StoredTrailEntry>>();
  /** By `caseId#personId#kind`, as the table keys inbox items. */
  private readonly inbox = new Map<string, InboxItem>();
  private readonly waits = new Map<string, { stepKey: string; token: string; execution: string }>();
  private readonly cursors: MemoryCursors;

  constructor(private readonly links: MemoryCaseStoreLinks) {
    this.cursors = links.cursors ?? new MemoryCursors();
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    await roundTrip();
    return copy(this.cases.get(id));
  }

  async trail(id: string): Promise<TrailEntry[]> {
    await roundTrip();
    return this.sorted(this.trails.get(id)).map(([, stored]) => copy(stored.entry));
  }

  async chain(id: string): Promise<{ entries: StoredEntry[]; slips: StoredEntry[] }> {
    await roundTrip();
    const read = (stored: Map<string, StoredTrailEntry> | undefined, prefix: string): StoredEntry[] =>
      this.sorted(stored).map(([sk, s]) => ({ ref: sk.slice(prefix.length), entry: copy(s.entry), ...(s.link ? { link: copy(s.link) } : {}) }));
    return { entries: read(this.trails.get(id), keys.trailPrefix), slips: read(this.slips.get(id), keys.slipPrefix) };
  }

  async *heads(years: readonly number[]): AsyncIterable<{ caseId: string; head: TrailHead }> {
    for (const year of years) {
      await roundTrip();
      for (const row of this.listingRows(year)) if (row.value.trailHead) yield { caseId: row.value.id, head: copy(row.value.trailHead) };
    }
  }

  async trailPage(id: string, options: { limit: number; cursor?: string; viewerId: string }): Promise<TrailPage> {
    await roundTrip();
    const rows = this.sorted(this.trails.get(id)).map(([sortKey, stored]) => ({ sortKey, value: stored.entry }));
    // Newest first: the first page is the latest entries, each next page the ones before.
    const page = pageOf(this.cursors, { rows, descending: true, limit: options.limit, cursor: options.cursor, scope: `trail|${options.viewerId}|${id}` });
    return { entries: copy(page.items).reverse(), earlier: page.next };
  }

  async slip(c: Pick<CaseRecord, 'id' | 'slipKept'>): Promise<TrailEntry[]> {
    if (!c.slipKept) return (await this.trail(c.id)).filter(isSlipEntry).slice(-SLIP_LIMIT);
    await roundTrip();
    return this.sorted(this.slips.get(c.id))
      .slice(-SLIP_LIMIT)
      .map(([, stored]) => copy(stored.entry));
  }

  async create(outcome: Outcome, idempotency?: Idempotency): Promise<Told> {
    await roundTrip();
    const sealed = sealTrail(outcome.case.id, undefined, outcome.trail);
    const c = { ...outcome.case, trailHead: sealed.head };
    const staged: Staged[] = [
      {
        check: () => (this.cases.has(c.id) ? this.conflict() : undefined),
        apply: () => this.putCase(c),
      },
      ...this.trailWrites(c, outcome.trail, sealed.links),
      ...this.taskChanges(undefined, c),
      ...this.factWrites(c, outcome.facts ?? []),
    ];
    if (idempotency) staged.push(this.idempotencyWrite(idempotency));
    return this.transactTelling(staged, itemsInDynamoDb(undefined, c, outcome, idempotency ? 1 : 0), outcome.notifications);
  }

  /** Assessment facts, kept where the registers read them (as the table keeps them by month). */
  private factWrites(c: CaseRecord, facts: readonly Fact[]): Staged[] {
    return facts.map((fact, i) => ({ apply: () => this.links.registers.put('facts', factMonth(fact.at), fact.at, `${c.id}#${c.version}#${i}`, fact) }));
  }

  async save(previous: CaseRecord, outcome: Outcome, options: { idempotency?: Idempotency; number?: NumberUse; consumesUpload?: string } = {}): Promise<Told> {
    // A case from before the chain: its entries so far are counted once, into the head.
    const legacy = previous.trailHead ? 0 : (this.trails.get(previous.id)?.size ?? 0);
    const sealed = sealTrail(previous.id, previous.trailHead, outcome.trail, legacy);
    const c = { ...outcome.case, version: previous.version + 1, trailHead: sealed.head };
    // The assessment facts come worked out by the domain (save-outcome.ts), as the DynamoDB store takes them.
    const facts = outcome.facts ?? [];
    await roundTrip();
    const staged: Staged[] = [
      {
        // Optimistic concurrency: only if nobody changed the case since it was read.
        check: () => {
          const stored = this.cases.get(c.id);
          return stored?.version !== previous.version || stored.execution !== previous.execution ? this.conflict() : undefined;
        },
        apply: () => this.putCase(c),
      },
      ...this.trailWrites(c, outcome.trail, sealed.links),
      ...this.taskChanges(previous, c),
      ...this.factWrites(c, facts),
    ];
    if (options.idempotency) staged.push(this.idempotencyWrite(options.idempotency));
    if (options.consumesUpload) {
      const uploadId = options.consumesUpload;
      // The upload is attached once: a second completion finds it gone and nothing is written.
      staged.push({
        check: () => (this.links.uploads.has(c.id, uploadId) ? undefined : new NotFoundError('没有这个上传（可能已附加）。No such upload (it may be attached already).')),
        apply: () => this.links.uploads.drop(c.id, uploadId),
      });
    }
    if (options.number) {
      const n = options.number;
      staged.push({
        check: () => (this.links.numbering.isRecorded(n) ? this.conflict() : undefined),
        apply: () => this.links.numbering.put(n, { number: n.number, sequence: n.sequence, status: 'used', caseId: c.id, title: c.title, at: c.updatedAt }),
      });
    }
    outcome.case.version = c.version;
    const extras = [options.idempotency, options.consumesUpload, options.number].filter((x) => x !== undefined).length;
    return this.transactTelling(staged, itemsInDynamoDb(previous, c, outcome, extras), outcome.notifications);
  }

  async tasksFor(personId: string, limit: number, cursor?: string): Promise<Page<TaskView>> {
    await roundTrip();
    const rows = [...this.inbox.values()].filter((t) => t.personId === personId).map((t) => ({ sortKey: t.sortKey, value: t.view }));
    const { items, next } = pageOf(this.cursors, { rows, limit, cursor, scope: `tasks|${personId}` });
    return { items: copy(items), next };
  }

  async list(filter: CaseFilter): Promise<Page<CaseRecord>> {
    await roundTrip();
    const byApplicant = filter.applicantId !== undefined;
    const rows = byApplicant
      ? [...this.cases.values()]
          .filter((c) => c.applicantId === filter.applicantId)
          .map((c) => ({ sortKey: keys.mine(c.applicantId, c.createdAt, c.id).gsi4sk, value: c }))
          // The `mine` index is read between `<year>-` and `<year>-99` of its sort key.
          .filter((row) => compare(row.sortKey, `${filter.year}-`) >= 0 && compare(row.sortKey, `${filter.year}-99`) <= 0)
      : this.listingRows(filter.year);
    const { cursor: _cursor, limit: _limit, visible, overdueAt, ...query } = filter;
    const { items, next } = pageOf(this.cursors, {
      rows,
      descending: true,
      limit: filter.limit,
      cursor: filter.cursor,
      // A cursor continues the same list for the same person (the overdue time moves on between pages).
      scope: `cases|${JSON.stringify({ ...query, overdue: overdueAt !== undefined })}`,
      accept: (c) => matchesCaseFilter(c, filter) && (!visible || visible(c)),
    });
    return { items: copy(items), next };
  }

  async open(cursor?: string): Promise<Page<CaseRecord>> {
    return this.dueWalk(undefined, cursor);
  }

  async dueBefore(until: string, cursor?: string): Promise<Page<CaseRecord> & { readonly itemsRead: number }> {
    return this.dueWalk(until, cursor);
  }

  async storedResponse(personId: string, key: string): Promise<StoredResponse | undefined> {
    await roundTrip();
    return this.links.idempotency.get(personId, key);
  }

  async reserveResponse(idempotency: Omit<Idempotency, 'response'>): Promise<void> {
    await roundTrip();
    if (this.links.idempotency.has(idempotency.personId, idempotency.key)) throw this.conflict();
    this.links.idempotency.put({ ...idempotency, response: { statusCode: 0, body: null } }, true);
  }

  async keepResponse(idempotency: Idempotency): Promise<void> {
    await roundTrip();
    this.links.idempotency.put(idempotency);
  }

  async forgetResponse(personId: string, key: string): Promise<void> {
    await roundTrip();
    if (this.links.idempotency.get(personId, key)?.pending) this.links.idempotency.delete(personId, key);
  }

  async waiting(id: string): Promise<{ stepKey: string; token: string; execution: string } | undefined> {
    await roundTrip();
    return copy(this.waits.get(id));
  }

  async recordWait(id: string, wait: { stepKey: string; token: string; execution: string }): Promise<boolean> {
    await roundTrip();
    // The case must still be at this step under this execution; otherwise it moved on.
    const c = this.cases.get(id);
    if (!c || stepKeyOf(c) !== wait.stepKey || c.execution !== wait.execution || c.status !== 'open') return false;
    this.waits.set(id, { ...wait });
    return true;
  }

  async replaceExecution(id: string, from: string | undefined, to: string): Promise<boolean> {
    await roundTrip();
    const c = this.cases.get(id);
    if (!c || c.execution !== from) return false;
    // The version stays; a change read before this cannot write the old execution back (save requires the execution it read).
    this.cases.set(id, { ...c, execution: to });
    return true;
  }

  /** Every open case by the `due` index (closed cases are not in it), soonest due first, in pages. */
  private async dueWalk(until: string | undefined, cursor?: string): Promise<Page<CaseRecord> & { readonly itemsRead: number }> {
    await roundTrip();
    const after = internalCursor.decode(cursor, ['gsi2sk'])?.gsi2sk as string | undefined;
    const rows = [...this.cases.values()]
      .filter((c) => c.status === 'open')
      .map((c) => ({ sortKey: keys.due(c.dueAt, c.id).gsi2sk, value: c }))
      .filter((row) => (until === undefined || compare(row.sortKey, until) < 0) && (after === undefined || compare(row.sortKey, after) > 0))
      .sort((a, b) => compare(a.sortKey, b.sortKey));
    const page = rows.slice(0, INTERNAL_PAGE);
    const last = page.at(-1);
    const next = rows.length > INTERNAL_PAGE && last ? internalCursor.encode({ gsi2sk: last.sortKey }) : undefined;
    return { items: copy(page.map((row) => row.value)), next, itemsRead: page.length };
  }

  /** The `listing` index's rows of a year: cases by the year the office files them under (China's calendar year). */
  private listingRows(year: number): IndexRow<CaseRecord>[] {
    return [...this.cases.values()]
      .filter((c) => numberingYear(Date.parse(c.createdAt)) === year)
      .map((c) => ({ sortKey: keys.listing(year, c.createdAt, c.id).gsi3sk, value: c }));
  }

  private putCase(c: CaseRecord): void {
    this.cases.set(c.id, copy(c));
    const year = numberingYear(Date.parse(c.createdAt));
    this.links.registers.put(c.type, year, c.createdAt, c.id, c);
  }

  /** The trail entries of a change (each only if new), and a second copy of those the routing slip is made from. */
  private trailWrites(c: CaseRecord, trail: readonly TrailEntry[], links: readonly ChainLink[]): Staged[] {
    return trail.map((entry, i) => {
      const { sk } = keys.trail(c.id, c.version, i);
      return {
        check: () => (this.trails.get(c.id)?.has(sk) ? this.conflict() : undefined),
        apply: () => {
          this.entriesOf(this.trails, c.id).set(sk, { entry: copy(entry), link: copy(links[i]) });
          if (isSlipEntry(entry)) this.entriesOf(this.slips, c.id).set(keys.slip(c.id, c.version, i).sk, { entry: copy(entry) });
        },
      };
    });
  }

  /** Inbox items to delete and to write, so the inbox shows exactly the case's open work. */
  private taskChanges(previous: CaseRecord | undefined, c: CaseRecord): Staged[] {
    const id = (t: Task) => `${c.id}#${t.personId}#${t.kind}`;
    const before = new Set((previous ? tasksOf(previous) : []).map(id));
    const after = tasksOf(c);
    const afterIds = new Set(after.map(id));
    const changes: Staged[] = [...before].filter((key) => !afterIds.has(key)).map((key) => ({ apply: () => void this.inbox.delete(key) }));
    for (const t of after) {
      const item = this.inboxItem(c, t);
      if (JSON.stringify(this.inbox.get(id(t))) !== JSON.stringify(item)) changes.push({ apply: () => void this.inbox.set(id(t), item) });
    }
    return changes;
  }

  private inboxItem(c: CaseRecord, t: Task): InboxItem {
    const view: TaskView = {
      caseId: c.id,
      kind: t.kind,
      type: c.type,
      title: c.title,
      stepName: c.stepName,
      applicantName: c.applicantName,
      number: c.number,
      dueAt: t.dueAt,
      createdAt: c.createdAt,
      ...(t.sentBy ? { sentBy: t.sentBy, sentAt: t.sentAt } : {}),
    };
    return { personId: t.personId, sortKey: `${t.dueAt ?? NO_DUE}#${c.id}#${t.kind}`, view: copy(view) };
  }

  private idempotencyWrite(i: Idempotency): Staged {
    // A second request under the key that raced this one fails here, and is answered with this response.
    return { check: () => (this.links.idempotency.has(i.personId, i.key) ? this.conflict() : undefined), apply: () => this.links.idempotency.put(i) };
  }

  /**
   * The staged writes with the notifications that fit beside them; says which, and the rest. The
   * room is what DynamoCaseStore's transaction leaves (itemsInDynamoDb), so both split a change's
   * notifications alike.
   */
  private transactTelling(staged: readonly Staged[], items: number, notifications: readonly Notification[]): Told {
    const { written, rest } = withTheChange(notifications, MAX_TRANSACTION_ITEMS - items);
    this.transact([...staged, ...written.map((n) => ({ apply: () => this.links.notifications.put(n) }))], items + written.length);
    return { written, rest };
  }

  /** All or nothing: every condition is read before anything is written, in one synchronous step. */
  private transact(staged: readonly Staged[], items = staged.length): void {
    if (items > MAX_TRANSACTION_ITEMS) throw new ValidationError('一次变更涉及的人员过多。Too many people affected by one change.', 'people');
    // A failure that names itself (the upload) is reported as such; any other is a stale version.
    const failures = staged.map((s) => s.check?.()).filter((e): e is Error => e !== undefined);
    if (failures.length > 0) throw failures.find((e) => !(e instanceof ConflictError)) ?? failures[0];
    for (const s of staged) s.apply();
  }

  private conflict(): ConflictError {
    return new ConflictError('该件已被他人更新，请刷新后重试。Someone else changed this case: reload and try again.', 'stale-version');
  }

  private entriesOf(all: Map<string, Map<string, StoredTrailEntry>>, id: string): Map<string, StoredTrailEntry> {
    let entries = all.get(id);
    if (!entries) all.set(id, (entries = new Map()));
    return entries;
  }

  private sorted(entries: Map<string, StoredTrailEntry> | undefined): [string, StoredTrailEntry][] {
    return [...(entries ?? new Map<string, StoredTrailEntry>()).entries()].sort(([a], [b]) => compare(a, b));
  }
}

