import { afterAll, describe, expect, it } from 'vitest';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { exited, givenDataFolder } from '../support/spawn-system.ts';
import { apiClient } from '../support/api.ts';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const dynamodb = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const s3 = (endpoint: string) =>
  new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });

/**
 * One kill -9 of `npm start` on a data folder, and a restart on it (each start is a Node, a JVM and
 * s3rver of their own: the one cycle carries every check).
 */
describe('the local system keeps acknowledged data and open cases across a kill -9', () => {
  const folder = givenDataFolder('bangong-data-');
  afterAll(() => folder.cleanUp());

  it('reads back an item and an object written before SIGKILL; a case still waits on the right people and can be completed; it stops cleanly on SIGTERM', { timeout: 240_000 }, async () => {
    const first = await folder.start();
    const scan = Buffer.from('%PDF-1.7 收文 scan\n');
    await dynamodb(first.urls.dynamodb).send(
      new PutItemCommand({ TableName: 'bangong', Item: { pk: { S: 'CASE#1' }, sk: { S: 'META' }, title: { S: '关于报送年度报表的通知' } } }),
    );
    await s3(first.urls.s3).send(new PutObjectCommand({ Bucket: 'bangong-archive', Key: 'scans/1.pdf', Body: scan, ContentType: 'application/pdf' }));
    const before = apiClient(first.urls.api);
    const c = await before.open('ma-chao', 'leave', '马超请假4天（重启）', { leaveType: 'annual', startDate: '2026-12-01', endDate: '2026-12-04', reason: '探亲' });
    await before.act('sun-wei', c.id, { action: 'approve', comment: '同意' });
    // As a folder from before the routing slip was kept apart: the case unmarked, no slip entries, the upgrade not run.
    const db = dynamodb(first.urls.dynamodb);
    const slips = await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slip)', ExpressionAttributeValues: { ':pk': { S: `CASE#${c.id}` }, ':slip': { S: 'SLIP#' } } }));
    for (const item of slips.Items ?? []) await db.send(new DeleteItemCommand({ TableName: 'bangong', Key: { pk: item.pk!, sk: item.sk! } }));
    await db.send(new UpdateItemCommand({ TableName: 'bangong', Key: { pk: { S: `CASE#${c.id}` }, sk: { S: 'CASE' } }, UpdateExpression: 'REMOVE #data.#slipKept', ExpressionAttributeNames: { '#data': 'data', '#slipKept': 'slipKept' } }));
    await db.send(new DeleteItemCommand({ TableName: 'bangong', Key: { pk: { S: 'UPGRADE' }, sk: { S: 'slips-kept' } } }));
    expect(slips.Items?.length).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    await exited(first.child);
    // The emulator's watchdog ends with its parent: nothing is left answering on the old port.
    await expect.poll(() => dynamodb(first.urls.dynamodb).send(new PutItemCommand({ TableName: 'bangong', Item: { pk: { S: 'x' }, sk: { S: 'x' } } })).then(() => 'up', () => 'gone'), { timeout: 15_000 }).toBe('gone');

    const second = await folder.start();
    const item = await dynamodb(second.urls.dynamodb).send(new GetItemCommand({ TableName: 'bangong', Key: { pk: { S: 'CASE#1' }, sk: { S: 'META' } } }));
    expect(item.Item?.title?.S).toBe('关于报送年度报表的通知');
    const object = await s3(second.urls.s3).send(new GetObjectCommand({ Bucket: 'bangong-archive', Key: 'scans/1.pdf' }));
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(scan);
    expect((await fetch(`${second.urls.api}/health`)).status).toBe(200);

    const after = apiClient(second.urls.api);
    const waiting = await after.get('zhang-xiuying', `/api/cases/${c.id}`);
    expect(waiting.body.currentStep).toBe('deputy');
    // The start wrote the earlier case's routing slip from its trail, and marked it.
    expect(waiting.body.slip.map((e: any) => e.action)).toEqual(expect.arrayContaining(['submit', 'enter', 'approve']));
    const marked = await dynamodb(second.urls.dynamodb).send(new GetItemCommand({ TableName: 'bangong', Key: { pk: { S: `CASE#${c.id}` }, sk: { S: 'CASE' } } }));
    expect(marked.Item?.data?.M?.slipKept?.BOOL).toBe(true);
    expect(waiting.body.assignees.map((a: any) => a.id)).toEqual(['zhang-xiuying']);
    expect((await after.get('zhang-xiuying', '/api/tasks')).body.items.map((t: any) => t.caseId)).toContain(c.id);
    await after.act('zhang-xiuying', c.id, { action: 'approve' });
    await after.act('wang-jianguo', c.id, { action: 'approve' });
    // The office is told by the automatic step, which only a live (re-driven) execution runs.
    const done = await after.until('ma-chao', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.trail.map((t: any) => t.action)).toContain('notify');

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });
});
