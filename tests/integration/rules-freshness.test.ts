/**
 * The org chart and the calendar a container goes by, against DynamoDB Local: two stores on one
 * table stand for two Lambda containers. A container content with rules a few seconds old reads
 * neither again within that age; its own edit it sees at once, another container's once the age
 * has passed, and a reader wanting the current rules always gets them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import { DynamoCalendarStore } from '../../functions/adapters/dynamodb/calendar-store.ts';
import { DynamoOrgStore } from '../../functions/adapters/dynamodb/org-store.ts';
import { systemTime } from '../../functions/adapters/deps.ts';
import { ensureTable } from '../../local/provision.ts';
import { partitionOf } from '../support/dynamodb-partition.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';

const TABLE = 'bangong';
/** Long enough that nothing expires while a step of the test runs, however slow the machine. */
const A_MINUTE = { maxAgeMs: 60_000 };
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('the rules a container goes by', () => {
  let partition: Awaited<ReturnType<typeof partitionOf>>;
  let client: DynamoDBClient;
  const clients: DynamoDBClient[] = [];
  let reads = 0;
  /** A container's document client, counting the reads it sends. */
  const container = () => {
    const own = new DynamoDBClient({ endpoint: partition.endpoint, region: 'us-east-1', credentials });
    clients.push(own);
    const db = DynamoDBDocumentClient.from(own);
    db.middlewareStack.add((next, context) => (args) => (/^Get(Item)?Command$/.test(String(context.commandName)) && reads++, next(args)), { step: 'initialize', name: 'countReads' });
    return db;
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    partition = await partitionOf(inject('dynamodbLocal'), { host: '127.0.0.1', port: 0 });
    client = new DynamoDBClient({ endpoint: partition.endpoint, region: 'us-east-1', credentials });
    await ensureTable(client, TABLE, topology.table);
  });
  afterAll(async () => {
    for (const c of [client, ...clients]) c?.destroy();
    await partition?.stop();
  });

  it('the calendar: cached within the age, its own edit at once, another container’s after the age', async () => {
    const [a, b] = [new DynamoCalendarStore(container(), TABLE, systemTime), new DynamoCalendarStore(container(), TABLE, systemTime)];
    expect((await a.current(A_MINUTE)).version).toBe(0);
    expect((await b.current(A_MINUTE)).version).toBe(0);

    reads = 0;
    const first = await b.replace([{ date: '2026-12-31', work: false, reason: '调休' }], 0, 'chen-zhiqiang');
    // Its own edit, without reading it back; the other container still goes by what it read.
    expect((await b.current(A_MINUTE)).version).toBe(first.version);
    expect((await a.current(A_MINUTE)).version).toBe(0);
    expect(reads).toBe(0);
    // Wanting it current, or once the age has passed: read again.
    expect((await a.current()).overrides).toEqual([{ date: '2026-12-31', work: false, reason: '调休' }]);
    await b.replace([], first.version, 'chen-zhiqiang');
    await pause(100);
    expect((await a.current({ maxAgeMs: 50 })).overrides).toEqual([]);
    expect(reads).toBe(2);
  });

  it('the org chart: the same, and a new version is read whole', async () => {
    const [a, b] = [new DynamoOrgStore(container(), TABLE, systemTime), new DynamoOrgStore(container(), TABLE, systemTime)];
    const first = await b.replace(demoOrg, 0, 'chen-zhiqiang');
    expect((await a.current(A_MINUTE))?.version).toBe(first.version);

    reads = 0;
    const renamed = { ...demoOrg, people: demoOrg.people.map((p) => (p.id === 'xu-liang' ? { ...p, name: '徐亮亮' } : p)) };
    const second = await b.replace(renamed, first.version, 'chen-zhiqiang');
    expect((await b.current(A_MINUTE))?.version).toBe(second.version);
    expect((await a.current(A_MINUTE))?.version).toBe(first.version);
    expect(reads).toBe(0);
    await pause(100);
    const seen = await a.current({ maxAgeMs: 50 });
    expect(seen?.version).toBe(second.version);
    expect(seen?.people.find((p) => p.id === 'xu-liang')?.name).toBe('徐亮亮');
  });
});
