/**
 * How cases are stored, against DynamoDB Local: the case item carries no index key, so saving a
 * decision copies nothing into `listing`, `mine` or `register`; its entries there sit on a small
 * item written once, its `due` entry on another, moved only with its due time. A case stored in the
 * earlier layout (its keys on the case item) is listed as before and moved on its first save. The
 * people a change tells are told in its own transaction: one write, all of it or none.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import { DynamoCaseStore } from '../../functions/adapters/dynamodb/case-store.ts';
import { DynamoRegisterStore } from '../../functions/adapters/dynamodb/register-store.ts';
import { DynamoNotificationStore } from '../../functions/adapters/dynamodb/notification-store.ts';
import { memoryDeps } from '../../functions/adapters/memory/deps.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import type { CaseRecord } from '../../functions/domain/cases/case.ts';
import { decide, openCase, pendingAutomaticStep, runAutomaticStep, stepOverdue, type EngineContext, type Outcome } from '../../functions/domain/cases/engine.ts';
import { chaseTime } from '../../functions/domain/cases/follow-up.ts';
import { numberingYear } from '../../functions/domain/numbering/document-number.ts';
import { ConflictError } from '../../functions/domain/errors.ts';
import { ensureTable } from '../../local/provision.ts';
import { partitionOf } from '../support/dynamodb-partition.ts';
import { definition, MONDAY_9AM, orgChart } from '../support/engine.ts';

const TABLE = 'bangong';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('how cases are stored', () => {
  let partition: Awaited<ReturnType<typeof partitionOf>>;
  let client: DynamoDBClient;
  let db: DynamoDBDocumentClient;
  let store: DynamoCaseStore;
  /** Write units each index took, since the last reset (ReturnConsumedCapacity: INDEXES on every write). */
  let indexWrites: Record<string, number> = {};
  /** The commands sent, since the last reset. */
  let sent: string[] = [];

  const org = orgChart();
  const calendar = new WorkingCalendar();
  let seq = 0;
  const ctx = (now = MONDAY_9AM): EngineContext => ({ definition: definition('leave'), org, calendar, now, newId: () => `L${++seq}` });
  // Two days: approved step by step, each step with its own due time.
  const leaveFields = { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-25', days: 2, reason: '家中有事' };
  const opened = (id: string) => openCase(ctx(), { id, title: `请假 ${id}`, fields: leaveFields, applicantId: 'xu-liang' });
  const approve = (c: CaseRecord, hours: number) => decide(c, ctx(MONDAY_9AM + hours * 3_600_000), c.slots[0]!.personId, { action: 'approve' });
  const notesOf = async (personId: string) =>
    (await db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.notifications(personId) }, ConsistentRead: true }))).Items ?? [];
  const raw = async (id: string, sk: string) => (await db.send(new GetCommand({ TableName: TABLE, Key: { pk: `CASE#${id}`, sk }, ConsistentRead: true }))).Item;
  const year = numberingYear(MONDAY_9AM);
  const listed = async () => (await store.list({ year, limit: 50, viewerId: 'test' })).items.map((c) => c.id);
  const open = async () => (await store.open()).items.map((c) => c.id);
  /** As the store wrote cases before: the index keys (and so the whole case, into each index) on the case item. */
  const putEarlierLayout = (c: CaseRecord) =>
    db.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          ...keys.case(c.id),
          ...keys.due(c.dueAt, c.id),
          ...keys.listing(year, c.createdAt, c.id),
          ...keys.mine(c.applicantId, c.createdAt, c.id),
          ...keys.register(c.type, year, c.createdAt, c.id),
          stepKey: '0',
          data: c,
        },
      }),
    );

  beforeAll(async () => {
    partition = await partitionOf(inject('dynamodbLocal'), { host: '127.0.0.1', port: 0 });
    client = new DynamoDBClient({ endpoint: partition.endpoint, region: 'us-east-1', credentials });
    await ensureTable(client, TABLE, topology.table);
    // After ensureTable: a document client sets its options on the client it wraps, so the last one made wins.
    db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    db.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        const input = args.input as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity = 'INDEXES';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { GlobalSecondaryIndexes?: Record<string, { WriteCapacityUnits?: number; CapacityUnits?: number }> }[] | object }).ConsumedCapacity;
        for (const c of [consumed ?? []].flat() as { GlobalSecondaryIndexes?: Record<string, { WriteCapacityUnits?: number; CapacityUnits?: number }> }[]) {
          for (const [index, units] of Object.entries(c.GlobalSecondaryIndexes ?? {})) indexWrites[index] = (indexWrites[index] ?? 0) + (units.WriteCapacityUnits ?? units.CapacityUnits ?? 0);
        }
        return result;
      },
      { step: 'initialize' },
    );
    store = new DynamoCaseStore(db, TABLE);
  });
  afterAll(async () => {
    client?.destroy();
    await partition?.stop();
  });

  it('keeps a case’s index entries off the case item: a decision copies nothing into listing, mine or register, and due moves only with the due time', async () => {
    const created = opened('lean-1');
    await store.create(created);
    const caseItem = await raw('lean-1', 'CASE');
    expect(Object.keys(caseItem!).sort()).toEqual(['data', 'pk', 'sk', 'stepKey']);
    expect(await raw('lean-1', 'LISTED')).toMatchObject({ gsi3pk: `CASES#${year}`, gsi4pk: 'APPLICANT#xu-liang', gsi5pk: `REGISTER#leave#${year}` });
    expect((await raw('lean-1', 'DUE'))?.gsi2sk).toBe(`${created.case.dueAt}#lean-1`);
    expect(await listed()).toContain('lean-1');
    expect(await open()).toContain('lean-1');

    // The department head approves on Tuesday: a new step, due a working day later.
    indexWrites = {};
    const first = approve(created.case, 25);
    expect(first.case.dueAt).not.toBe(created.case.dueAt);
    await store.save(created.case, first);
    expect(indexWrites.listing ?? 0).toBe(0);
    expect(indexWrites.mine ?? 0).toBe(0);
    expect(indexWrites.register ?? 0).toBe(0);
    expect(indexWrites.due).toBeGreaterThan(0);
    expect((await raw('lean-1', 'DUE'))?.gsi2sk).toBe(`${first.case.dueAt}#lean-1`);

    // A change that leaves the due time (a comment) touches no index at all.
    indexWrites = {};
    const stored = (await store.get('lean-1'))!;
    const comment = decide(stored, ctx(MONDAY_9AM + 26 * 3_600_000), 'xu-liang', { action: 'comment', comment: '补充说明' });
    expect(comment.case.dueAt).toBe(stored.dueAt);
    await store.save(stored, comment);
    expect(Object.values(indexWrites).reduce((a, b) => a + b, 0)).toBe(0);

    // The rest approve: the case is done and leaves `due`, and stays listed and in its register.
    for (let hours = 27; (await store.get('lean-1'))!.status === 'open'; hours += 24) {
      expect(hours, 'the leave is done within a week').toBeLessThan(27 + 24 * 5);
      const before = (await store.get('lean-1'))!;
      // What the execution does between people's steps (recording the leave), as Drive Case would.
      const next = pendingAutomaticStep(before, definition('leave')) ? runAutomaticStep(before, ctx(MONDAY_9AM + hours * 3_600_000)) : approve(before, hours);
      await store.save(before, next);
    }
    expect((await store.get('lean-1'))!.status).toBe('completed');
    expect(await raw('lean-1', 'DUE')).toBeUndefined();
    expect(await open()).not.toContain('lean-1');
    expect(await listed()).toContain('lean-1');
    const register = await new DynamoRegisterStore(db, TABLE).entries<CaseRecord>('leave', year);
    expect(register.find((c) => c.id === 'lean-1')?.status).toBe('completed');
    const heads = [];
    for await (const head of store.heads([year])) heads.push(head);
    expect(heads.find((h) => h.caseId === 'lean-1')?.head).toEqual((await store.get('lean-1'))!.trailHead);
  });

  it('walks due time only for cases still open and due then, whatever entry names them; a case moved from the earlier layout as it closes takes a stray due entry with it', async () => {
    const created = opened('stray-1');
    const c = { ...created.case, trailHead: undefined };
    // The earlier layout, and a due entry that a save by newer code left beside it (both versions running during a deploy).
    await putEarlierLayout(c);
    await db.send(new PutCommand({ TableName: TABLE, Item: { ...keys.dueEntry(c.id), ...keys.due('2026-11-23T00:00:00.000Z', c.id) } }));
    // Named twice (an early due time, its real one): given once, and by the early entry not as due before its real time.
    expect((await open()).filter((id) => id === 'stray-1')).toHaveLength(1);
    expect((await store.dueBefore(c.dueAt!)).items.map((x) => x.id)).not.toContain('stray-1');

    // The applicant withdraws it: moved to the lean layout as it closes, with no due entry left.
    const withdrawn = decide(c, ctx(MONDAY_9AM + 3_600_000), 'xu-liang', { action: 'withdraw', comment: '不请了' });
    expect(withdrawn.case.status).not.toBe('open');
    await store.save(c, withdrawn);
    expect(await raw('stray-1', 'DUE')).toBeUndefined();
    expect(await open()).not.toContain('stray-1');
    expect((await listed()).filter((id) => id === 'stray-1')).toHaveLength(1);
  });

  it('lists a case of the earlier layout as before, and moves it to its own entries on its first save, once, and only if no one changed it meanwhile', async () => {
    const created = opened('earlier-1');
    const c = { ...created.case, trailHead: undefined };
    await putEarlierLayout(c);
    expect(await listed()).toContain('earlier-1');
    expect(await open()).toContain('earlier-1');
    expect((await new DynamoRegisterStore(db, TABLE).entries<CaseRecord>('leave', year)).map((x) => x.id)).toContain('earlier-1');

    // Someone else's save came first: refused as stale, and nothing moved.
    const stalePrevious = { ...c, version: c.version - 1 };
    await expect(store.save(stalePrevious, approve(stalePrevious, 1))).rejects.toBeInstanceOf(ConflictError);
    expect((await raw('earlier-1', 'CASE'))?.gsi3pk).toBe(`CASES#${year}`);
    expect(await raw('earlier-1', 'LISTED')).toBeUndefined();

    const first = approve(c, 1);
    await store.save(c, first);
    const caseItem = await raw('earlier-1', 'CASE');
    expect(Object.keys(caseItem!).filter((k) => k.startsWith('gsi'))).toEqual([]);
    expect(caseItem!.data.version).toBe(c.version + 1);
    expect(await raw('earlier-1', 'LISTED')).toMatchObject({ gsi3pk: `CASES#${year}`, gsi5pk: `REGISTER#leave#${year}` });
    expect((await raw('earlier-1', 'DUE'))?.gsi2sk).toBe(`${first.case.dueAt}#earlier-1`);
    // Listed once, not twice: the case item left the indexes as its entries came in.
    const everyEntry = await db.send(new QueryCommand({ TableName: TABLE, IndexName: 'listing', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': `CASES#${year}` } }));
    expect((everyEntry.Items ?? []).filter((item) => item.pk === 'CASE#earlier-1').map((item) => item.sk)).toEqual(['LISTED']);
    expect((await listed()).filter((id) => id === 'earlier-1')).toHaveLength(1);
    expect((await open()).filter((id) => id === 'earlier-1')).toHaveLength(1);
  });

  it('writes the people a decision tells in the decision’s own transaction: one write, nothing after it; a stale decision tells no one', async () => {
    const created = opened('told-1');
    expect((await store.create(created)).rest).toEqual([]);
    const head = created.case.slots[0]!.personId;
    expect((await notesOf(head)).filter((n) => n.caseId === 'told-1').map((n) => n.code)).toEqual(['to-do']);

    const stored = (await store.get('told-1'))!;
    const first = approve(stored, 25);
    const next = first.case.slots[0]!.personId;
    expect(first.notifications.map((n) => `${n.personId}:${n.code}`)).toContain(`${next}:to-do`);
    sent = [];
    const told = await store.save(stored, first);
    expect(told.rest).toEqual([]);
    expect(told.written.map((n) => `${n.personId}:${n.code}`)).toEqual(first.notifications.map((n) => `${n.personId}:${n.code}`));
    expect(sent).toEqual(['TransactWriteItemsCommand']);
    const note = (await notesOf(next)).find((n) => n.caseId === 'told-1');
    expect(note).toMatchObject({ code: 'to-do', read: false, kind: 'info', message: first.notifications.find((n) => n.personId === next)!.message });

    // The same decision again, over the version it read: refused, and nobody told twice or anew.
    const again = approve(stored, 26);
    const before = (await notesOf(next)).length;
    await expect(store.save(stored, again)).rejects.toBeInstanceOf(ConflictError);
    expect((await notesOf(next)).length).toBe(before);

    // A chase of the next step: its reminder (an emailed kind) travels in the same one write.
    const waiting = (await store.get('told-1'))!;
    const chase = stepOverdue(waiting, ctx(Date.parse(chaseTime(waiting)!)));
    expect(chase.notifications.some((n) => n.kind === 'chase')).toBe(true);
    sent = [];
    const chased = await store.save(waiting, chase);
    expect(sent).toEqual(['TransactWriteItemsCommand']);
    expect(chased.rest).toEqual([]);
    const reminder = chased.written.find((n) => n.kind === 'chase')!;
    expect((await notesOf(reminder.personId)).find((n) => n.sk === reminder.id)).toMatchObject({ kind: 'chase', caseId: 'told-1', read: false });
  });

  it('tells as many in the transaction as it has room for and hands back the rest, split as the memory twin splits them; the rest recorded after it', async () => {
    const twin = memoryDeps().cases;
    /** The change's own notifications and `n` more people told the same. */
    const crowded = <O extends Outcome>(o: O, n: number): O => ({
      ...o,
      notifications: [...o.notifications, ...Array.from({ length: n }, (_, i) => ({ ...o.notifications[0]!, personId: `crowd-${i}` }))],
    });
    const created = crowded(opened('crowd-1'), 120);
    const [restCreated, twinRestCreated] = [(await store.create(created)).rest, (await twin.create(created)).rest];
    expect(restCreated.length).toBeGreaterThan(20);
    expect(twinRestCreated.length).toBe(restCreated.length);
    const told = async () => (await Promise.all(Array.from({ length: 120 }, (_, i) => notesOf(`crowd-${i}`)))).filter((notes) => notes.some((n) => n.caseId === 'crowd-1')).length;
    expect(await told()).toBe(121 - restCreated.length - 1);
    await new DynamoNotificationStore(db, TABLE).record(restCreated);
    expect(await told()).toBe(120);

    const stored = (await store.get('crowd-1'))!;
    const first = crowded(approve(stored, 25), 120);
    const { rest } = await store.save(stored, first);
    expect((await twin.save((await twin.get('crowd-1'))!, first)).rest).toHaveLength(rest.length);
    expect(rest.length).toBeGreaterThan(0);
    await new DynamoNotificationStore(db, TABLE).record(rest);
    const everyone = await Promise.all(Array.from({ length: 120 }, (_, i) => notesOf(`crowd-${i}`)));
    expect(everyone.every((notes) => notes.filter((n) => n.caseId === 'crowd-1').length === 2)).toBe(true);
  });
});
