/** Cases, their trail and the inbox in DynamoDB: every decision is one TransactWriteItems. */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { stepKeyOf, type CaseRecord, type Notification, type Task, type TrailEntry } from '../../domain/cases/case.ts';
import { inboxRowsOf, type InboxChange, type InboxRow, type Outcome } from '../../domain/cases/engine.ts';
import { isSlipEntry, SLIP_LIMIT, type TrailPage } from '../../domain/cases/trail.ts';
import { sealTrail, type ChainLink, type StoredEntry, type TrailHead } from '../../domain/cases/trail-chain.ts';
import type { CaseFilter, CaseStore, Idempotency, NumberUse, Page, StoredResponse, TaskView, Told } from '../../domain/ports.ts';
import { withTheChange } from '../../domain/notification-id.ts';
import { Cursors } from './cursors.ts';
import { internalCursor, keys } from './keys.ts';
import { notificationItem } from './notification-store.ts';
import { queryPage } from './paging.ts';
import { queryAll } from './query-all.ts';
import { dataOfEntries } from './batch-get.ts';
import { matchesCaseFilter } from '../../domain/cases/case-filter.ts';
import { alive, idempotencyPut } from './idempotency-item.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { factMonth, type Fact } from '../../domain/stats/assessment.ts';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * A case item written before its index entries had items of their own carries their keys (and,
 * as every index projects all, is copied whole into four indexes on every save). Such a case is
 * moved to the lean layout the first time it is saved; until then lists read it as before.
 */
const EARLIER_LAYOUT_KEY = 'gsi3pk';
class EarlierLayout extends Error {}

/** DynamoDB's limit on one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

/** Open cases per page of the `due` index (the sweep, restarts): one BatchGetItem's worth. */
const DUE_PAGE = 100;

const stale = () => new ConflictError('该件已被他人更新，请刷新后重试。Someone else changed this case: reload and try again.', 'stale-version');

export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly cursors = new Cursors(db, table),
  ) {}

  async get(id: string): Promise<CaseRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.case(id), ConsistentRead: true }));
    return Item ? (Item.data as CaseRecord) : undefined;
  }

  async trail(id: string): Promise<TrailEntry[]> {
    return this.entries(id, keys.trailPrefix);
  }

  async trailPage(id: string, options: { limit: number; cursor?: string; viewerId: string }): Promise<TrailPage> {
    const page = await queryPage(this.db, this.cursors, {
      query: {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trail)',
        ExpressionAttributeValues: { ':pk': keys.case(id).pk, ':trail': keys.trailPrefix },
        ConsistentRead: true,
        // Newest first: the first page is the latest entries, each next page the ones before.
        ScanIndexForward: false,
      },
      limit: options.limit,
      cursor: options.cursor,
      scope: `trail|${options.viewerId}|${id}`,
      keyAttributes: ['pk', 'sk'],
      map: (item) => item.entry as TrailEntry,
    });
    return { entries: page.items.reverse(), earlier: page.next };
  }

  async slip(c: Pick<CaseRecord, 'id' | 'slipKept'>): Promise<TrailEntry[]> {
    if (!c.slipKept) return (await this.trail(c.id)).filter(isSlipEntry).slice(-SLIP_LIMIT);
    // The latest first, as many 1 MB pages as it takes.
    const entries: TrailEntry[] = [];
    const latest = queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slip)',
      ExpressionAttributeValues: { ':pk': keys.case(c.id).pk, ':slip': keys.slipPrefix },
      ConsistentRead: true,
      ScanIndexForward: false,
      Limit: SLIP_LIMIT,
    });
    for await (const item of latest) {
      entries.push(item.entry as TrailEntry);
      if (entries.length === SLIP_LIMIT) break;
    }
    return entries.reverse();
  }

  private async countTrail(id: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trail)',
          ExpressionAttributeValues: { ':pk': keys.case(id).pk, ':trail': keys.trailPrefix },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async chain(id: string): Promise<{ entries: StoredEntry[]; slips: StoredEntry[] }> {
    const read = async (prefix: string) => {
      const stored: StoredEntry[] = [];
      const query = {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.case(id).pk, ':prefix': prefix },
        ConsistentRead: true,
      };
      for await (const item of queryAll(this.db, query)) {
        stored.push({ ref: String(item.sk).slice(prefix.length), entry: item.entry as TrailEntry, ...(item.link ? { link: item.link as ChainLink } : {}) });
      }
      return stored;
    };
    const [entries, slips] = await Promise.all([read(keys.trailPrefix), read(keys.slipPrefix)]);
    return { entries, slips };
  }

  async *heads(years: readonly number[]): AsyncIterable<{ caseId: string; head: TrailHead }> {
    for (const year of years) {
      const query = {
        TableName: this.table,
        IndexName: 'listing',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.listingPartition(year) },
        ProjectionExpression: 'pk, #data.#trailHead',
        ExpressionAttributeNames: { '#data': 'data', '#trailHead': 'trailHead' },
      };
      const entries: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      for await (const item of queryAll(this.db, query)) {
        entries.push(item);
        if (entries.length === 100) yield* this.headsOf(entries.splice(0), seen);
      }
      yield* this.headsOf(entries, seen);
    }
  }

  /** The trail heads of the cases some `listing` entries name: an entry of the earlier layout carries its case's, the others' are read. */
  private async *headsOf(entries: readonly Record<string, unknown>[], seen: Set<string>): AsyncIterable<{ caseId: string; head: TrailHead }> {
    const data = await dataOfEntries(this.db, this.table, entries, { expression: '#data.#trailHead', names: { '#data': 'data', '#trailHead': 'trailHead' } });
    for (const [i, entry] of entries.entries()) {
      const caseId = keys.caseIdOf(String(entry.pk));
      // Once per case, also across pages, should the index still hold its entry of the earlier layout beside its new one.
      const head = (data[i] as Pick<CaseRecord, 'trailHead'> | undefined)?.trailHead;
      if (seen.has(caseId) || !head) continue;
      seen.add(caseId);
      yield { caseId, head };
    }
  }

  /** Every entry under one prefix of a case, oldest first. */
  private async entries(id: string, prefix: string): Promise<TrailEntry[]> {
    const entries: TrailEntry[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.case(id).pk, ':prefix': prefix },
      ConsistentRead: true,
    };
    for await (const item of queryAll(this.db, query)) entries.push(item.entry as TrailEntry);
    return entries;
  }

  async create(outcome: Outcome, idempotency?: Idempotency): Promise<Told> {
    const sealed = sealTrail(outcome.case.id, undefined, outcome.trail);
    const c = { ...outcome.case, trailHead: sealed.head };
    const items: TransactItem[] = [
      { Put: { TableName: this.table, Item: this.caseItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...this.entryItems(c),
      ...this.trailItems(c, outcome.trail, sealed.links),
      ...this.inboxItems(c, outcome.inbox),
      ...this.factItems(c, outcome.facts ?? []),
    ];
    if (idempotency) items.push(this.idempotencyItem(idempotency));
    const told = this.tell(items, outcome.notifications);
    await this.transact(items);
    return told;
  }

  async save(previous: CaseRecord, outcome: Outcome, options: { idempotency?: Idempotency; number?: NumberUse; consumesUpload?: string } = {}): Promise<Told> {
    try {
      return await this.write(previous, outcome, options, false);
    } catch (error) {
      if (!(error instanceof EarlierLayout)) throw error;
      // Saved once in the earlier layout's place: the same change, and the case's index entries moved onto their own items.
      return await this.write(previous, outcome, options, true);
    }
  }

  private async write(previous: CaseRecord, outcome: Outcome, options: { idempotency?: Idempotency; number?: NumberUse; consumesUpload?: string }, relayout: boolean): Promise<Told> {
    // The new entries are chained onto the head the case had when it was read; the version check below keeps that head current.
    // A case from before the chain: its entries so far are counted once, into the head, so none can be slipped in among them later.
    const legacy = previous.trailHead ? 0 : await this.countTrail(previous.id);
    const sealed = sealTrail(previous.id, previous.trailHead, outcome.trail, legacy);
    const c = { ...outcome.case, version: previous.version + 1, trailHead: sealed.head };
    const failures = new Map<TransactItem, (old?: Record<string, unknown>) => Error>();
    const caseWrite: TransactItem = {
      Put: {
        TableName: this.table,
        Item: this.caseItem(c),
        // Optimistic concurrency: only if nobody changed the case since it was read, and the
        // execution that drove it then still does (a restart moves a case to a new execution
        // without a new version, so what people see stays current; see replaceExecution).
        // And not over a case item of the earlier layout, which holds the case's index entries:
        // the change is then written again, moving them (the failure returns the item, to tell).
        ConditionExpression: [
          '#data.#version = :expected',
          previous.execution === undefined ? 'attribute_not_exists(#data.#execution)' : '#data.#execution = :execution',
          ...(relayout ? [] : [`attribute_not_exists(${EARLIER_LAYOUT_KEY})`]),
        ].join(' AND '),
        ExpressionAttributeNames: { '#data': 'data', '#version': 'version', '#execution': 'execution' },
        ExpressionAttributeValues: previous.execution === undefined ? { ':expected': previous.version } : { ':expected': previous.version, ':execution': previous.execution },
        ReturnValuesOnConditionCheckFailure: relayout ? undefined : 'ALL_OLD',
      },
    };
    failures.set(caseWrite, (old) => (old?.[EARLIER_LAYOUT_KEY] !== undefined ? new EarlierLayout() : stale()));
    const items: TransactItem[] = [
      caseWrite,
      ...(relayout ? this.movedEntryItems(c) : this.dueChange(previous, c)),
      ...this.trailItems(c, outcome.trail, sealed.links),
      ...this.inboxItems(c, outcome.inbox),
      ...this.factItems(c, outcome.facts ?? []),
    ];
    if (options.idempotency) items.push(this.idempotencyItem(options.idempotency));
    // The upload is attached once: a second completion finds it gone and the transaction fails.
    if (options.consumesUpload) {
      const consume: TransactItem = { Delete: { TableName: this.table, Key: keys.upload(c.id, options.consumesUpload), ConditionExpression: 'attribute_exists(pk)' } };
      items.push(consume);
      failures.set(consume, () => new NotFoundError('没有这个上传（可能已附加）。No such upload (it may be attached already).'));
    }
    if (options.number) {
      const n = options.number;
      items.push({
        Put: {
          TableName: this.table,
          Item: { ...keys.number(n.kind, n.year, n.sequence), number: n.number, sequence: n.sequence, status: 'used', caseId: c.id, title: c.title, at: c.updatedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const told = this.tell(items, outcome.notifications);
    outcome.case.version = c.version;
    await this.transact(items, failures);
    return told;
  }

  async tasksFor(personId: string, limit: number, start?: string): Promise<Page<TaskView>> {
    return queryPage(this.db, this.cursors, {
      query: {
        TableName: this.table,
        IndexName: 'assigned',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.assignedPartition(personId) },
      },
      limit,
      cursor: start,
      scope: `tasks|${personId}`,
      keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      map: (item) => item.view as TaskView,
    });
  }

  async list(filter: CaseFilter): Promise<Page<CaseRecord>> {
    const byApplicant = filter.applicantId !== undefined;
    const values: Record<string, unknown> = byApplicant
      ? { ':pk': keys.minePartition(filter.applicantId), ':from': keys.mineYear(filter.year).from, ':to': keys.mineYear(filter.year).to }
      : { ':pk': keys.listingPartition(filter.year) };
    const { cursor: _cursor, limit: _limit, visible, overdueAt, ...query } = filter;
    return queryPage(this.db, this.cursors, {
      query: {
        TableName: this.table,
        IndexName: byApplicant ? 'mine' : 'listing',
        KeyConditionExpression: byApplicant ? 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to' : 'gsi3pk = :pk',
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      limit: filter.limit,
      cursor: filter.cursor,
      // A cursor continues the same list for the same person (the overdue time moves on between pages).
      scope: `cases|${JSON.stringify({ ...query, overdue: overdueAt !== undefined })}`,
      keyAttributes: ['pk', 'sk', byApplicant ? 'gsi4pk' : 'gsi3pk', byApplicant ? 'gsi4sk' : 'gsi3sk'],
      // The entries name the cases; what the list asks for is decided on the cases read.
      resolve: (entries) => this.casesOf(entries),
      accept: (c) => matchesCaseFilter(c, filter) && (!visible || visible(c)),
    });
  }

  async open(start?: string): Promise<Page<CaseRecord>> {
    return this.due(undefined, start);
  }

  async dueBefore(until: string, start?: string) {
    return this.due(until, start);
  }

  /**
   * A page of open cases from the `due` index, soonest due first: as many as one BatchGetItem reads.
   * The entries name the cases, which are read as they are now: one closed, or due later, since its
   * entry was written (an index lags its table) is left out, as the entry will be.
   */
  private async due(until: string | undefined, start?: string) {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'due',
        KeyConditionExpression: until === undefined ? 'gsi2pk = :open' : 'gsi2pk = :open AND gsi2sk < :until',
        ExpressionAttributeValues: until === undefined ? { ':open': keys.duePartition } : { ':open': keys.duePartition, ':until': until },
        Limit: DUE_PAGE,
        ExclusiveStartKey: internalCursor.decode(start, ['pk', 'sk', 'gsi2pk', 'gsi2sk']),
      }),
    );
    const items = (await this.casesOf(page.Items ?? [])).filter(
      (c): c is CaseRecord => c !== undefined && c.status === 'open' && (until === undefined || keys.due(c.dueAt, c.id).gsi2sk < until),
    );
    return { items, next: internalCursor.encode(page.LastEvaluatedKey), itemsRead: page.ScannedCount ?? 0 };
  }

  /** The cases an index's entries name, in their order (batch-get.ts: dataOfEntries). */
  private async casesOf(entries: readonly Record<string, unknown>[]): Promise<(CaseRecord | undefined)[]> {
    return (await dataOfEntries(this.db, this.table, entries)) as (CaseRecord | undefined)[];
  }

  async reserveResponse(idempotency: Omit<Idempotency, 'response'>): Promise<void> {
    const pending = this.idempotencyItem({ ...idempotency, response: { statusCode: 0, body: null } });
    await this.transact([{ Put: { ...pending.Put!, Item: { ...pending.Put!.Item, pending: true } } }]);
  }

  async keepResponse(idempotency: Idempotency): Promise<void> {
    // Replaces the reservation this request made.
    const { TableName, Item } = this.idempotencyItem(idempotency).Put!;
    await this.db.send(new PutCommand({ TableName, Item }));
  }

  async forgetResponse(personId: string, key: string): Promise<void> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.idempotency(personId, key), ConditionExpression: 'attribute_exists(pending)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async storedResponse(personId: string, key: string): Promise<StoredResponse | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.idempotency(personId, key), ConsistentRead: true }));
    if (!Item || !alive(Item)) return undefined;
    return { fingerprint: Item.fingerprint, response: JSON.parse(Item.response), ...(Item.pending ? { pending: true } : {}) };
  }

  async waiting(id: string) {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.wait(id), ConsistentRead: true }));
    return Item ? { stepKey: Item.stepKey as string, token: Item.token as string, execution: Item.execution as string } : undefined;
  }

  async recordWait(id: string, wait: { stepKey: string; token: string; execution: string }): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // The case must still be at this step under this execution; otherwise it moved on.
              ConditionCheck: {
                TableName: this.table,
                Key: keys.case(id),
                ConditionExpression: 'stepKey = :stepKey AND #data.#execution = :execution AND #data.#status = :open',
                ExpressionAttributeNames: { '#data': 'data', '#execution': 'execution', '#status': 'status' },
                ExpressionAttributeValues: { ':stepKey': wait.stepKey, ':execution': wait.execution, ':open': 'open' },
              },
            },
            { Put: { TableName: this.table, Item: { ...keys.wait(id), ...wait } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async replaceExecution(id: string, from: string | undefined, to: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(id),
          // The version stays: people's pages stay current across a restart. A change read before
          // this cannot write the old execution back, as every save requires the execution it read.
          UpdateExpression: 'SET #data.#execution = :to',
          ConditionExpression: from === undefined ? 'attribute_not_exists(#data.#execution)' : '#data.#execution = :from',
          ExpressionAttributeNames: { '#data': 'data', '#execution': 'execution' },
          ExpressionAttributeValues: from === undefined ? { ':to': to } : { ':to': to, ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The case and inbox items of a case, for bulk loading (imports, benchmarks); no trail, no conditions. */
  bulkItems(c: CaseRecord): Record<string, unknown>[] {
    return [...this.layoutItems(c), ...inboxRowsOf(c).map((row) => this.taskItem(c.id, row))];
  }

  /**
   * The case's index entries' items, then its case item, as the case is stored (for upgrades of
   * local folders: written one by one in this order, an upgrade cut short leaves the case listed).
   */
  layoutItems(c: CaseRecord): Record<string, unknown>[] {
    return [...this.entryItems(c).map((item) => item.Put!.Item!), this.caseItem(c)];
  }

  /** The case itself: no index key, so writing it copies nothing into an index. */
  private caseItem(c: CaseRecord): Record<string, unknown> {
    return { ...keys.case(c.id), stepKey: stepKeyOf(c), data: c };
  }

  /** Where the case is listed (written once: its year, applicant and type never change). */
  private listedItem(c: CaseRecord): Record<string, unknown> {
    // The year the office files it under: China's calendar year, as list filters read it.
    const year = numberingYear(Date.parse(c.createdAt));
    return { ...keys.listed(c.id), ...keys.listing(year, c.createdAt, c.id), ...keys.mine(c.applicantId, c.createdAt, c.id), ...keys.register(c.type, year, c.createdAt, c.id) };
  }

  private dueItem(c: CaseRecord): Record<string, unknown> {
    return { ...keys.dueEntry(c.id), ...keys.due(c.dueAt, c.id) };
  }

  /** A new case's index entries: where it is listed, and when it is due while it is open. */
  private entryItems(c: CaseRecord): TransactItem[] {
    return [{ Put: { TableName: this.table, Item: this.listedItem(c) } }, ...(c.status === 'open' ? [{ Put: { TableName: this.table, Item: this.dueItem(c) } }] : [])];
  }

  /** A case moved from the earlier layout: its entries written, and a due entry that a save of the new layout by older code left removed once it is closed. */
  private movedEntryItems(c: CaseRecord): TransactItem[] {
    return [...this.entryItems(c), ...(c.status === 'open' ? [] : [{ Delete: { TableName: this.table, Key: keys.dueEntry(c.id) } }])];
  }

  /** The due entry follows the case only when it moves: a new due time, or the case closing (or opening again). */
  private dueChange(previous: CaseRecord, c: CaseRecord): TransactItem[] {
    if (c.status === 'open' && (previous.status !== 'open' || previous.dueAt !== c.dueAt)) return [{ Put: { TableName: this.table, Item: this.dueItem(c) } }];
    if (c.status !== 'open' && previous.status === 'open') return [{ Delete: { TableName: this.table, Key: keys.dueEntry(c.id) } }];
    return [];
  }

  /** The assessment facts (考核) the domain worked out for this change (stats/outcome-facts.ts): by case, and in their month's register. */
  private factItems(c: CaseRecord, facts: readonly Fact[]): TransactItem[] {
    return facts.map((fact, i) => ({
      Put: {
        TableName: this.table,
        Item: { ...keys.fact(c.id, c.version, i), ...keys.factRegister(factMonth(fact.at), fact.at, c.id, c.version, i), data: fact },
      },
    }));
  }

  /** The trail entries of a change, and a second copy of those the routing slip is made from. */
  private trailItems(c: CaseRecord, trail: readonly TrailEntry[], links: readonly ChainLink[]): TransactItem[] {
    return trail.flatMap((entry, i) => [
      { Put: { TableName: this.table, Item: { ...keys.trail(c.id, c.version, i), entry, link: links[i] }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(isSlipEntry(entry) ? [{ Put: { TableName: this.table, Item: { ...keys.slip(c.id, c.version, i), entry } } }] : []),
    ]);
  }

  /** The inbox rows the change ends and those it opens or changes (the domain worked out which). */
  private inboxItems(c: CaseRecord, inbox: InboxChange): TransactItem[] {
    return [
      ...inbox.remove.map((t: Task): TransactItem => ({ Delete: { TableName: this.table, Key: keys.task(c.id, t.personId, t.kind) } })),
      ...inbox.put.map((row): TransactItem => ({ Put: { TableName: this.table, Item: this.taskItem(c.id, row) } })),
    ];
  }

  private taskItem(caseId: string, { task, view }: InboxRow) {
    return { ...keys.task(caseId, task.personId, task.kind), ...keys.assigned(task.personId, task.dueAt, caseId, task.kind), view };
  }

  private idempotencyItem(i: Idempotency): TransactItem {
    return idempotencyPut(this.table, i);
  }

  /**
   * Adds to a change's items the notifications it tells, as many as the transaction has room for
   * (written over: a change is written once, so what it tells is new); says which, and the rest.
   */
  private tell(items: TransactItem[], notifications: readonly Notification[]): Told {
    const told = withTheChange(notifications, MAX_TRANSACTION_ITEMS - items.length);
    items.push(...told.written.map((n): TransactItem => ({ Put: { TableName: this.table, Item: notificationItem(n) } })));
    return told;
  }

  /**
   * Writes the items in one transaction; `failures` names what a failed condition of an item means,
   * given the item as it was when the item asked for it back (else: a stale version).
   */
  private async transact(items: TransactItem[], failures: ReadonlyMap<TransactItem, (old?: Record<string, unknown>) => Error> = new Map()): Promise<void> {
    if (items.length > MAX_TRANSACTION_ITEMS) throw new ValidationError('一次变更涉及的人员过多。Too many people affected by one change.', 'people');
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const failed = items.findIndex((item, i) => failures.has(item) && reasons[i]?.Code === 'ConditionalCheckFailed');
        // The returned item comes back in DynamoDB's own shape: only whether an attribute is there is read.
        if (failed >= 0) throw failures.get(items[failed]!)!(reasons[failed]?.Item as Record<string, unknown> | undefined);
        throw stale();
      }
      throw error;
    }
  }
}
