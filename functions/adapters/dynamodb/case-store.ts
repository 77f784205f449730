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
import { stepKeyOf, type CaseRecord, type Task, type TrailEntry } from '../../domain/cases/case.ts';
import { inboxRowsOf, type InboxChange, type InboxRow, type Outcome } from '../../domain/cases/engine.ts';
import { isSlipEntry, SLIP_LIMIT, type TrailPage } from '../../domain/cases/trail.ts';
import { sealTrail, type ChainLink, type StoredEntry, type TrailHead } from '../../domain/cases/trail-chain.ts';
import type { CaseFilter, CaseStore, Idempotency, NumberUse, Page, StoredResponse, TaskView } from '../../domain/ports.ts';
import { Cursors } from './cursors.ts';
import { internalCursor, keys } from './keys.ts';
import { queryPage } from './paging.ts';
import { queryAll } from './query-all.ts';
import { alive, idempotencyPut } from './idempotency-item.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { factMonth, type Fact } from '../../domain/stats/assessment.ts';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

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
        ProjectionExpression: '#data.id, #data.trailHead',
        ExpressionAttributeNames: { '#data': 'data' },
      };
      for await (const item of queryAll(this.db, query)) {
        const data = item.data as Pick<CaseRecord, 'id' | 'trailHead'> | undefined;
        if (data?.trailHead) yield { caseId: data.id, head: data.trailHead };
      }
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

  async create(outcome: Outcome, idempotency?: Idempotency): Promise<void> {
    const sealed = sealTrail(outcome.case.id, undefined, outcome.trail);
    const c = { ...outcome.case, trailHead: sealed.head };
    const items: TransactItem[] = [
      { Put: { TableName: this.table, Item: this.caseItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...this.trailItems(c, outcome.trail, sealed.links),
      ...this.inboxItems(c, outcome.inbox),
      ...this.factItems(c, outcome.facts ?? []),
    ];
    if (idempotency) items.push(this.idempotencyItem(idempotency));
    await this.transact(items);
  }

  async save(previous: CaseRecord, outcome: Outcome, options: { idempotency?: Idempotency; number?: NumberUse; consumesUpload?: string } = {}): Promise<void> {
    // The new entries are chained onto the head the case had when it was read; the version check below keeps that head current.
    // A case from before the chain: its entries so far are counted once, into the head, so none can be slipped in among them later.
    const legacy = previous.trailHead ? 0 : await this.countTrail(previous.id);
    const sealed = sealTrail(previous.id, previous.trailHead, outcome.trail, legacy);
    const c = { ...outcome.case, version: previous.version + 1, trailHead: sealed.head };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: this.caseItem(c),
          // Optimistic concurrency: only if nobody changed the case since it was read, and the
          // execution that drove it then still does (a restart moves a case to a new execution
          // without a new version, so what people see stays current; see replaceExecution).
          ConditionExpression:
            previous.execution === undefined ? '#data.#version = :expected AND attribute_not_exists(#data.#execution)' : '#data.#version = :expected AND #data.#execution = :execution',
          ExpressionAttributeNames: { '#data': 'data', '#version': 'version', '#execution': 'execution' },
          ExpressionAttributeValues: previous.execution === undefined ? { ':expected': previous.version } : { ':expected': previous.version, ':execution': previous.execution },
        },
      },
      ...this.trailItems(c, outcome.trail, sealed.links),
      ...this.inboxItems(c, outcome.inbox),
      ...this.factItems(c, outcome.facts ?? []),
    ];
    if (options.idempotency) items.push(this.idempotencyItem(options.idempotency));
    // The upload is attached once: a second completion finds it gone and the transaction fails.
    const failures = new Map<TransactItem, () => Error>();
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
    outcome.case.version = c.version;
    await this.transact(items, failures);
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
    const names: Record<string, string> = { '#data': 'data' };
    const values: Record<string, unknown> = byApplicant
      ? { ':pk': keys.minePartition(filter.applicantId), ':from': keys.mineYear(filter.year).from, ':to': keys.mineYear(filter.year).to }
      : { ':pk': keys.listingPartition(filter.year) };
    const conditions: string[] = [];
    const add = (name: string, op: string, value: unknown) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      conditions.push(`#data.#${name} ${op} :${name}`);
    };
    if (filter.type) add('type', '=', filter.type);
    if (filter.status) add('status', '=', filter.status);
    if (filter.departmentId) add('departmentId', '=', filter.departmentId);
    if (filter.handledBy) {
      names['#participants'] = 'participants';
      names['#applicantId'] = 'applicantId';
      values[':handledBy'] = filter.handledBy;
      conditions.push('contains(#data.#participants, :handledBy) AND #data.#applicantId <> :handledBy');
    }
    if (filter.overdueAt !== undefined) {
      add('dueAt', '<', new Date(filter.overdueAt).toISOString());
      if (!filter.status) add('status', '=', 'open');
    }
    const { cursor: _cursor, limit: _limit, visible: _visible, overdueAt, ...query } = filter;
    return queryPage(this.db, this.cursors, {
      query: {
        TableName: this.table,
        IndexName: byApplicant ? 'mine' : 'listing',
        KeyConditionExpression: byApplicant ? 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to' : 'gsi3pk = :pk',
        FilterExpression: conditions.length ? conditions.join(' AND ') : undefined,
        ExpressionAttributeNames: conditions.length ? names : undefined,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      limit: filter.limit,
      cursor: filter.cursor,
      // A cursor continues the same list for the same person (the overdue time moves on between pages).
      scope: `cases|${JSON.stringify({ ...query, overdue: overdueAt !== undefined })}`,
      keyAttributes: ['pk', 'sk', byApplicant ? 'gsi4pk' : 'gsi3pk', byApplicant ? 'gsi4sk' : 'gsi3sk'],
      map: (item) => item.data as CaseRecord,
      accept: filter.visible,
    });
  }

  async open(start?: string): Promise<Page<CaseRecord>> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'due',
        KeyConditionExpression: 'gsi2pk = :open',
        ExpressionAttributeValues: { ':open': keys.duePartition },
        ExclusiveStartKey: internalCursor.decode(start, ['pk', 'sk', 'gsi2pk', 'gsi2sk']),
      }),
    );
    return { items: (page.Items ?? []).map((item) => item.data as CaseRecord), next: internalCursor.encode(page.LastEvaluatedKey) };
  }

  async dueBefore(until: string, start?: string) {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'due',
        KeyConditionExpression: 'gsi2pk = :open AND gsi2sk < :until',
        ExpressionAttributeValues: { ':open': keys.duePartition, ':until': until },
        ExclusiveStartKey: internalCursor.decode(start, ['pk', 'sk', 'gsi2pk', 'gsi2sk']),
      }),
    );
    return { items: (page.Items ?? []).map((item) => item.data as CaseRecord), next: internalCursor.encode(page.LastEvaluatedKey), itemsRead: page.ScannedCount ?? 0 };
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
    return [this.caseItem(c), ...inboxRowsOf(c).map((row) => this.taskItem(c.id, row))];
  }

  private caseItem(c: CaseRecord): Record<string, unknown> {
    // The year the office files it under: China's calendar year, as list filters read it.
    const year = numberingYear(Date.parse(c.createdAt));
    return {
      ...keys.case(c.id),
      ...(c.status === 'open' ? keys.due(c.dueAt, c.id) : {}),
      ...keys.listing(year, c.createdAt, c.id),
      ...keys.mine(c.applicantId, c.createdAt, c.id),
      ...keys.register(c.type, year, c.createdAt, c.id),
      stepKey: stepKeyOf(c),
      data: c,
    };
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

  /** Writes the items in one transaction; `failures` names what a failed condition of an item means (else: a stale version). */
  private async transact(items: TransactItem[], failures: ReadonlyMap<TransactItem, () => Error> = new Map()): Promise<void> {
    if (items.length > 100) throw new ValidationError('一次变更涉及的人员过多。Too many people affected by one change.', 'people');
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const failed = items.find((item, i) => failures.has(item) && error.CancellationReasons?.[i]?.Code === 'ConditionalCheckFailed');
        if (failed) throw failures.get(failed)!();
        throw new ConflictError('该件已被他人更新，请刷新后重试。Someone else changed this case: reload and try again.', 'stale-version');
      }
      throw error;
    }
  }
}
