/**
 * Attack: pull the plug. `npm start`'s program runs in a child process with a data folder; a burst
 * of writes (new cases, comments on them) is under way when it is killed with SIGKILL. After a
 * restart every write that was acknowledged (2xx) is there, and nothing is half-written: no case
 * without its trail, no trail entry or inbox item without its case at that version.
 *
 * The same kill -9 and restart carry the local system's own promises (each start is a Node, a JVM
 * and s3rver of their own, so one cycle carries every check): an item and an object written before
 * it read back; a case left waiting still waits on the right people, is completed by a live
 * (re-driven) execution, and has its routing slip written at the start from its trail; SIGTERM
 * stops it cleanly.
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { exited, givenDataFolder } from '../support/spawn-system.ts';
import { BUCKET, Figures, LOCAL_CREDENTIALS, TABLE, attacker, leaveFields } from './support.ts';

const dynamodb = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
const s3 = (endpoint: string) =>
  new S3Client({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });

/**
 * Before the burst, what the restart must keep: an item, an object, and a leave waiting on its
 * second signer, left as a folder from before the routing slip was kept apart (the case unmarked,
 * no slip entries, the upgrade not run).
 */
async function beforeTheKill(urls: { dynamodb: string; s3: string; api: string }) {
  const scan = Buffer.from('%PDF-1.7 收文 scan\n');
  const db = dynamodb(urls.dynamodb);
  await db.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'CASE#1' }, sk: { S: 'META' }, title: { S: '关于报送年度报表的通知' } } }));
  const bucket = s3(urls.s3);
  await bucket.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'scans/1.pdf', Body: scan, ContentType: 'application/pdf' }));
  bucket.destroy();
  const api = apiClient(urls.api);
  const leave = await api.open('ma-chao', 'leave', '马超请假4天（重启）', { leaveType: 'annual', startDate: '2026-12-01', endDate: '2026-12-04', reason: '探亲' });
  await api.act('sun-wei', leave.id, { action: 'approve', comment: '同意' });
  const slips = await db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slip)', ExpressionAttributeValues: { ':pk': { S: `CASE#${leave.id}` }, ':slip': { S: 'SLIP#' } } }));
  for (const item of slips.Items ?? []) await db.send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: item.pk!, sk: item.sk! } }));
  await db.send(new UpdateItemCommand({ TableName: TABLE, Key: { pk: { S: `CASE#${leave.id}` }, sk: { S: 'CASE' } }, UpdateExpression: 'REMOVE #data.#slipKept', ExpressionAttributeNames: { '#data': 'data', '#slipKept': 'slipKept' } }));
  await db.send(new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'UPGRADE' }, sk: { S: 'slips-kept' } } }));
  db.destroy();
  expect(slips.Items?.length).toBeGreaterThan(0);
  return { scan, leaveId: leave.id };
}

/** After the restart: the item, the object and the waiting leave, which is completed. */
async function afterTheRestart(urls: { dynamodb: string; s3: string; api: string }, kept: Awaited<ReturnType<typeof beforeTheKill>>) {
  const db = dynamodb(urls.dynamodb);
  const item = await db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'CASE#1' }, sk: { S: 'META' } } }));
  expect(item.Item?.title?.S).toBe('关于报送年度报表的通知');
  const bucket = s3(urls.s3);
  const object = await bucket.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'scans/1.pdf' }));
  expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(kept.scan);
  bucket.destroy();
  expect((await fetch(`${urls.api}/health`)).status).toBe(200);

  const api = apiClient(urls.api);
  const waiting = await api.get('zhang-xiuying', `/api/cases/${kept.leaveId}`);
  expect(waiting.body.currentStep).toBe('deputy');
  // The start wrote the earlier case's routing slip from its trail, and marked it.
  expect(waiting.body.slip.map((e: any) => e.action)).toEqual(expect.arrayContaining(['submit', 'enter', 'approve']));
  const marked = await db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `CASE#${kept.leaveId}` }, sk: { S: 'CASE' } } }));
  expect(marked.Item?.data?.M?.slipKept?.BOOL).toBe(true);
  db.destroy();
  expect(waiting.body.assignees.map((a: any) => a.id)).toEqual(['zhang-xiuying']);
  expect((await api.get('zhang-xiuying', '/api/tasks')).body.items.map((t: any) => t.caseId)).toContain(kept.leaveId);
  await api.act('zhang-xiuying', kept.leaveId, { action: 'approve' });
  await api.act('wang-jianguo', kept.leaveId, { action: 'approve' });
  // The office is told by the automatic step, which only a live (re-driven) execution runs.
  const done = await api.until('ma-chao', kept.leaveId, (x) => x.status === 'completed', 'completed');
  expect(done.trail.map((t: any) => t.action)).toContain('notify');
}

const WORKERS = 8;
/** Acknowledged writes before the kill; the others are in flight or not yet sent. */
const KILL_AFTER = 40;

describe('attack: kill -9 in the middle of a burst of writes, and a restart on the same folder', () => {
  const figures = new Figures();
  const folder = givenDataFolder('bangong-crash-');
  afterAll(() => folder.cleanUp());

  it(`after SIGKILL with writes in flight and a restart, every acknowledged write is there and nothing is half-written; what was written before is read back, a waiting case completes, SIGTERM stops it`, async () => {
    const first = await folder.start();
    const kept = await beforeTheKill(first.urls);
    const api = attacker(first.urls.api, figures);
    await Promise.all(['xu-liang', 'wu-min', 'zhou-tao'].map((p) => api.token(p)));

    const created: { id: string; by: string }[] = [];
    const comments: { id: string; comment: string }[] = [];
    let acknowledged = 0;
    let inFlightAtKill = 0;
    let inFlight = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      inFlightAtKill = inFlight;
      first.child.kill('SIGKILL');
    };
    const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      if (killed) return undefined;
      inFlight++;
      try {
        return await work();
      } catch {
        return undefined; // the connection died with the process: not acknowledged
      } finally {
        inFlight--;
      }
    };
    const acknowledge = () => {
      if (++acknowledged >= KILL_AFTER) kill();
    };

    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const applicant = w % 2 === 0 ? 'xu-liang' : 'wu-min';
        for (let round = 0; !killed && round < 50; round++) {
          const opened = await attempt(() => api.post(applicant, '/api/cases', { type: 'leave', title: `断电测试 ${w}-${round}`, fields: leaveFields() }));
          if (!opened || opened.status !== 201) continue;
          created.push({ id: opened.body.id, by: applicant });
          acknowledge();
          let version = opened.body.version as number;
          for (let n = 0; !killed && n < 2; n++) {
            const comment = `断电前意见 ${w}-${round}-${n}`;
            const said = await attempt(() => api.post('zhou-tao', `/api/cases/${opened.body.id}/actions`, { action: 'comment', version, comment }));
            if (!said) break;
            if (said.status === 409) version = (await attempt(() => api.get('zhou-tao', `/api/cases/${opened.body.id}`)))?.body?.version ?? version;
            if (said.status !== 200) continue;
            version = said.body.version;
            comments.push({ id: opened.body.id, comment });
            acknowledge();
          }
        }
      }),
    );
    expect(killed, 'the burst was cut short by the kill').toBe(true);
    await exited(first.child);
    // The emulator's watchdog ends with its parent: nobody else holds the database when it restarts.
    const old = dynamodb(first.urls.dynamodb);
    await expect.poll(() => old.send(new ListTablesCommand({})).then(() => 'up', () => 'gone'), { timeout: 15_000 }).toBe('gone');
    old.destroy();

    const second = await folder.start();
    const after = attacker(second.urls.api, figures);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: second.urls.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));
    const items: Record<string, any>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    db.destroy();

    const cases = new Map(items.filter((i) => String(i.pk).startsWith('CASE#') && i.sk === 'CASE').map((i) => [String(i.pk).slice(5), i.data]));
    const trail = items.filter((i) => String(i.pk).startsWith('CASE#') && String(i.sk).startsWith('TRAIL#'));
    const tasks = items.filter((i) => String(i.pk).startsWith('CASE#') && String(i.sk).startsWith('TASK#'));

    // Every acknowledged write is there.
    const lostCases = created.filter((c) => !cases.has(c.id));
    expect(lostCases, 'acknowledged cases lost').toEqual([]);
    const lostComments = comments.filter((c) => !trail.some((t) => t.pk === `CASE#${c.id}` && t.entry?.comment === c.comment));
    expect(lostComments, 'acknowledged comments lost').toEqual([]);

    // Nothing half-written: each case has its submission in the trail; each trail entry and inbox item has its case, at a version it has reached.
    const halfWritten: string[] = [];
    for (const id of cases.keys()) {
      if (!trail.some((t) => t.pk === `CASE#${id}` && t.entry?.action === 'submit')) halfWritten.push(`case ${id} without its trail`);
    }
    for (const t of trail) {
      const id = String(t.pk).slice(5);
      const version = Number(String(t.sk).split('#')[1]);
      const c = cases.get(id);
      if (!c) halfWritten.push(`trail entry ${t.pk} ${t.sk} without its case`);
      else if (version > c.version) halfWritten.push(`trail entry ${t.pk} ${t.sk} after its case's version ${c.version}`);
    }
    for (const t of tasks) if (!cases.has(String(t.pk).slice(5))) halfWritten.push(`inbox item ${t.pk} ${t.sk} without its case`);
    expect(halfWritten).toEqual([]);

    // And the API agrees, and still takes writes on what was there.
    for (const c of created.slice(0, 5)) {
      const view = await after.get(c.by, `/api/cases/${c.id}`);
      expect(view.status, view.what).toBe(200);
      for (const said of comments.filter((x) => x.id === c.id)) expect(view.body.trail.map((e: any) => e.comment)).toContain(said.comment);
      const more = await after.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'comment', version: view.body.version, comment: '重启后意见' });
      expect(more.status, more.what).toBe(200);
    }
    await afterTheRestart(second.urls, kept);
    figures.crashes++;
    figures.extra['acknowledged before the kill'] = acknowledged;
    figures.extra['in flight at the kill'] = inFlightAtKill;
    figures.extra['cases found after restart (the waiting leave among them)'] = cases.size;
    figures.print('crash');
    figures.expectClean();
    expect(acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(inFlightAtKill, 'writes were in flight when the process died').toBeGreaterThan(0);

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 240_000);
});
