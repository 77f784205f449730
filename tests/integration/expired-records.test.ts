/**
 * A request's idempotency record is gone once expired, whether or not TTL has deleted it yet (AWS
 * deletes it up to days later; a local folder keeps it, TTL being off there), against DynamoDB Local.
 */
import { DescribeTimeToLiveCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import { DynamoCaseStore } from '../../functions/adapters/dynamodb/case-store.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { ensureTable } from '../../local/provision.ts';
import { partitionOf } from '../support/dynamodb-partition.ts';

const TABLE = 'bangong';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('expired records', () => {
  let partition: Awaited<ReturnType<typeof partitionOf>>;
  let client: DynamoDBClient;
  let db: DynamoDBDocumentClient;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    partition = await partitionOf(inject('dynamodbLocal'), { host: '127.0.0.1', port: 0 });
    client = new DynamoDBClient({ endpoint: partition.endpoint, region: 'us-east-1', credentials });
    db = DynamoDBDocumentClient.from(client);
    await ensureTable(client, TABLE, topology.table);
  });
  afterAll(async () => {
    client?.destroy();
    await partition?.stop();
  });

  it('leaves TTL off locally, and turns it off on a folder made with it on', async () => {
    const status = async () => (await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE }))).TimeToLiveDescription?.TimeToLiveStatus;
    expect(await status()).toBe('DISABLED');
    await client.send(new UpdateTimeToLiveCommand({ TableName: TABLE, TimeToLiveSpecification: { AttributeName: topology.table.timeToLiveAttribute, Enabled: true } }));
    expect(await status()).toBe('ENABLED');
    await ensureTable(client, TABLE, topology.table);
    expect(await status()).toBe('DISABLED');
  });

  it('answers a request key whose record is past its day as a new request, and the new response then holds the key', async () => {
    const cases = new DynamoCaseStore(db, TABLE);
    const first = { personId: 'liu-fang', key: 'expired-key-1', fingerprint: 'first', response: { statusCode: 201, body: { id: 'a' } } };
    await cases.keepResponse(first);
    expect(await cases.storedResponse('liu-fang', 'expired-key-1')).toMatchObject({ fingerprint: 'first' });
    // The record's day ends (as if written yesterday).
    const key = keys.idempotency('liu-fang', 'expired-key-1');
    const { Item } = await db.send(new GetCommand({ TableName: TABLE, Key: key }));
    await db.send(new PutCommand({ TableName: TABLE, Item: { ...Item, expiresAt: nowSeconds() - 1 } }));
    expect(await cases.storedResponse('liu-fang', 'expired-key-1')).toBeUndefined();

    // A reservation under the key succeeds where a live record would refuse it.
    await cases.reserveResponse({ personId: 'liu-fang', key: 'expired-key-1', fingerprint: 'second' });
    expect(await cases.storedResponse('liu-fang', 'expired-key-1')).toMatchObject({ fingerprint: 'second', pending: true });
    await expect(cases.reserveResponse({ personId: 'liu-fang', key: 'expired-key-1', fingerprint: 'third' })).rejects.toThrow();
  });
});
