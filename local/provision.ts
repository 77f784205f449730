/** Creates the table the topology declares, as the stateful stack does in AWS (TTL aside: see below). Idempotent. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Topology } from '../infra/topology.ts';
import { DynamoCaseStore } from '../functions/adapters/dynamodb/case-store.ts';
import type { CaseRecord, TrailEntry } from '../functions/domain/cases/case.ts';
import { queryAll } from '../functions/adapters/dynamodb/query-all.ts';
import { keys } from '../functions/adapters/dynamodb/keys.ts';
import { isSlipEntry } from '../functions/domain/cases/trail.ts';

/**
 * The table's shape as the topology declares it (indexes, stream), kept in a marker item once a
 * folder has it: a restart then skips DescribeTable, which in DynamoDB Local counts every item
 * (4 s on a folder of 100,000 cases, each time).
 */
const SHAPE = { pk: 'UPGRADE', sk: 'table-shape' };
const shapeOf = (table: Topology['table']) => JSON.stringify({ indexes: table.indexes.map((i) => [i.name, i.partitionKey, i.sortKey]), stream: table.stream });

export async function ensureTable(client: DynamoDBClient, tableName: string, table: Topology['table']): Promise<void> {
  const db = DynamoDBDocumentClient.from(client);
  let shape: string | undefined;
  try {
    shape = (await db.send(new GetCommand({ TableName: tableName, Key: SHAPE, ConsistentRead: true }))).Item?.shape;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createTable(client, tableName, table);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...SHAPE, shape: shapeOf(table) } }));
    return;
  }
  if (shape !== shapeOf(table)) {
    await upgradeTable(client, tableName, table);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...SHAPE, shape: shapeOf(table) } }));
  }
  await backfillSlips(client, tableName);
  await withoutTimeToLive(client, tableName);
}

/** A data folder from an older version: the indexes and stream it lacks, and the upgrades of its items. */
async function upgradeTable(client: DynamoDBClient, tableName: string, table: Topology['table']): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  // The indexes it lacks, one at a time as DynamoDB wants.
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of table.indexes.filter((i) => !present.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }
  await indexesActive(client, tableName);
  // A data folder from before search: the table gains its change stream.
  if (!Table?.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }));
  }
  // Whenever the shape changed, not only when the register index was added: an upgrade cut short runs again.
  if (table.indexes.some((i) => i.name === 'register')) await backfillRegisterKeys(client, tableName);
}

async function createTable(client: DynamoDBClient, tableName: string, table: Topology['table']): Promise<void> {
  const keys = new Set([table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
      GlobalSecondaryIndexes: table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  // A new table has no earlier cases to upgrade: without the marker, its first restart would scan it whole.
  await DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: tableName, Item: { ...SLIPS_DONE, at: new Date().toISOString() } }));
}

/**
 * Locally, TTL stays off: DynamoDB Local's deletion job scans the whole table, 20 items a page,
 * holding the table's lock, so on a folder of 100,000 cases requests wait minutes behind it. Every
 * read ignores an expired item anyway (as it must in AWS, where deletion lags up to days), so off
 * only means a local folder keeps its expired records. A folder made with TTL on has it turned off.
 */
async function withoutTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED' || !TimeToLiveDescription.AttributeName) return;
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TimeToLiveDescription.AttributeName, Enabled: false } }));
}

/** A new index is built from the items already there; queries on it wait until it is ACTIVE. */
async function indexesActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if ((Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The indexes of ${tableName} did not become active within a minute`);
}

/**
 * A data folder from before registers: each case is written again as cases are stored now, with
 * its index entries (its register's among them) on items of their own, so the registers show the
 * cases made before. A one-off upgrade of a local folder, before any handler runs (the only Scan
 * in the project; requests never scan).
 */
async function backfillRegisterKeys(client: DynamoDBClient, tableName: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoCaseStore(db, tableName);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'sk = :case AND attribute_exists(gsi3pk) AND attribute_not_exists(gsi5pk)', ExpressionAttributeValues: { ':case': 'CASE' }, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      for (const stored of store.layoutItems(item.data as CaseRecord)) await db.send(new PutCommand({ TableName: tableName, Item: stored }));
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

const SLIPS_DONE = { pk: 'UPGRADE', sk: 'slips-kept' };

/**
 * A data folder from before the routing slip's entries were kept apart: each earlier case gets
 * its slip written from its trail and is marked, so opening it reads no more than a new case
 * does. Once per folder (a marker item says it ran), before any handler runs.
 */
async function backfillSlips(client: DynamoDBClient, tableName: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  if ((await db.send(new GetCommand({ TableName: tableName, Key: SLIPS_DONE, ConsistentRead: true }))).Item) return;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :case AND attribute_not_exists(#data.#slipKept)',
        ExpressionAttributeNames: { '#data': 'data', '#slipKept': 'slipKept' },
        ExpressionAttributeValues: { ':case': 'CASE' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const c = item.data as CaseRecord;
      const trail = queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trail)',
        ExpressionAttributeValues: { ':pk': keys.case(c.id).pk, ':trail': keys.trailPrefix },
        ConsistentRead: true,
      });
      for await (const entry of trail) {
        // Under the same version and number as in the trail: TRAIL#000003#001 → SLIP#000003#001.
        if (isSlipEntry(entry.entry as TrailEntry)) await db.send(new PutCommand({ TableName: tableName, Item: { pk: entry.pk, sk: String(entry.sk).replace(keys.trailPrefix, keys.slipPrefix), entry: entry.entry } }));
      }
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.case(c.id),
            UpdateExpression: 'SET #data.#slipKept = :true',
            ConditionExpression: '#data.#version = :version',
            ExpressionAttributeNames: { '#data': 'data', '#slipKept': 'slipKept', '#version': 'version' },
            ExpressionAttributeValues: { ':true': true, ':version': c.version },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  await db.send(new PutCommand({ TableName: tableName, Item: { ...SLIPS_DONE, at: new Date().toISOString() } }));
}
