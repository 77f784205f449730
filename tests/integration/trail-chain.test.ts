/**
 * A trail nobody can quietly change (issue #14), on the local system: entries edited, deleted or
 * added straight in DynamoDB, and a whole chain rewritten with its head, are each caught by
 * GET /api/cases/{id}/verify and by the admin's range check against the daily digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '../../local/clock.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { sealTrail } from '../../functions/domain/cases/trail-chain.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');
const leave = { leaveType: 'personal', startDate: '2026-11-23', endDate: '2026-11-23', days: 1, reason: '家中有事' };

describe('the tamper-evident trail on the local system', () => {
  const clock = new ManualClock(MONDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let db: DynamoDBDocumentClient;

  const trailItems = async (id: string) =>
    ((await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)', ExpressionAttributeValues: { ':pk': `CASE#${id}`, ':t': 'TRAIL#' }, ConsistentRead: true }))).Items ?? []);
  const verify = async (user: string, id: string) => {
    const response = await api.get(user, `/api/cases/${id}/verify`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  /** A leave with comments: six entries or more over several changes. */
  const caseWithTrail = async (title: string) => {
    const c = await api.open('xu-liang', 'leave', title, leave);
    for (const text of ['第一条意见', '第二条意见']) await api.act('xu-liang', c.id, { action: 'comment', comment: text });
    return c.id as string;
  };

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb }));
  });
  afterAll(() => system?.stop());

  let untouched: string;

  it('a trail as written verifies; only those who may see the case may ask', async () => {
    const id = await caseWithTrail('核验：原样');
    untouched = id;
    const result = await verify('xu-liang', id);
    const stored = await trailItems(id);
    expect(result).toMatchObject({ ok: true, entries: stored.length, sealed: stored.length, unsealed: 0 });
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(stored.every((item) => /^[0-9a-f]{64}$/.test(item.link.sm3) && /^[0-9a-f]{64}$/.test(item.link.sha256))).toBe(true);
    expect((await api.get('ma-chao', `/api/cases/${id}/verify`)).status).toBe(404);
  });

  it('an entry edited, one deleted, the latest deleted, one added: each is caught at the entry it broke', async () => {
    const id = await caseWithTrail('核验：篡改');
    const stored = await trailItems(id);
    const second = stored[1]!;
    await db.send(new UpdateCommand({ TableName: 'bangong', Key: { pk: second.pk, sk: second.sk }, UpdateExpression: 'SET entry.actorName = :n', ExpressionAttributeValues: { ':n': '王建国' } }));
    expect(await verify('xu-liang', id)).toMatchObject({ ok: false, broken: { problem: 'altered', n: 1, ref: String(second.sk).slice(6) } });
    await db.send(new PutCommand({ TableName: 'bangong', Item: second }));
    expect((await verify('xu-liang', id)).ok).toBe(true);

    await db.send(new DeleteCommand({ TableName: 'bangong', Key: { pk: second.pk, sk: second.sk } }));
    expect(await verify('xu-liang', id)).toMatchObject({ ok: false, broken: { problem: 'deleted', n: 1, ref: String(stored[2]!.sk).slice(6) } });
    await db.send(new PutCommand({ TableName: 'bangong', Item: second }));

    const last = stored.at(-1)!;
    await db.send(new DeleteCommand({ TableName: 'bangong', Key: { pk: last.pk, sk: last.sk } }));
    expect(await verify('xu-liang', id)).toMatchObject({ ok: false, broken: { problem: 'truncated', n: stored.length - 1 } });
    await db.send(new PutCommand({ TableName: 'bangong', Item: last }));

    await db.send(new PutCommand({ TableName: 'bangong', Item: { pk: last.pk, sk: 'TRAIL#999999#000', entry: { ...last.entry, action: 'approve', comment: '补记的同意' } } }));
    expect(await verify('xu-liang', id)).toMatchObject({ ok: false, broken: { problem: 'inserted', ref: '999999#000', action: 'approve' } });
    await db.send(new DeleteCommand({ TableName: 'bangong', Key: { pk: last.pk, sk: 'TRAIL#999999#000' } }));
    expect((await verify('xu-liang', id)).ok).toBe(true);
  });

  it('a chain rewritten whole, head and all, is caught by the daily digest: for the case and in the admin’s range check', async () => {
    const id = await caseWithTrail('核验：整链改写');
    // The night passes: the digest of Monday is written under lock.
    await clock.set(Date.parse('2026-11-23T17:30:00Z'));
    // (The schedule fired at 01:00 as the clock passed it; asked again, it finds its digest.)
    const fired = (await system.scheduler.fire('TrailDigest')) as { day: string; heads: number; written: boolean };
    expect(fired.day).toBe('2026-11-23');
    expect(fired.heads).toBeGreaterThanOrEqual(3);
    expect(await verify('xu-liang', id)).toMatchObject({ ok: true, digests: [{ day: '2026-11-23', ok: true }] });
    // Firing again changes nothing (a retried schedule).
    expect(await system.scheduler.fire('TrailDigest')).toMatchObject({ day: '2026-11-23', written: false });

    // Someone with the table's keys rewrites an opinion and re-seals the whole chain and the head.
    const stored = await trailItems(id);
    const entries = stored.map((item, i) => (i === stored.length - 1 ? { ...item.entry, comment: '同意（改写）' } : item.entry));
    const resealed = sealTrail(id, undefined, entries);
    for (const [i, item] of stored.entries()) await db.send(new PutCommand({ TableName: 'bangong', Item: { ...item, entry: entries[i], link: resealed.links[i] } }));
    await db.send(new UpdateCommand({ TableName: 'bangong', Key: { pk: `CASE#${id}`, sk: 'CASE' }, UpdateExpression: 'SET #data.trailHead = :h', ExpressionAttributeNames: { '#data': 'data' }, ExpressionAttributeValues: { ':h': resealed.head } }));

    expect(await verify('xu-liang', id)).toMatchObject({ ok: false, broken: { problem: 'digest', n: stored.length - 1 }, digests: [{ day: '2026-11-23', ok: false }] });
    const check = await api.get('chen-zhiqiang', '/api/admin/trail-check?from=2026-11-22&to=2026-11-23');
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.days).toEqual([
      { day: '2026-11-22', digest: false, cases: 0, broken: 0 },
      { day: '2026-11-23', digest: true, cases: fired.heads, broken: 1 },
    ]);
    expect(check.body.broken).toMatchObject([{ caseId: id, ok: false, broken: { problem: 'digest' } }]);
    expect(check.body.checked).toBe(fired.heads);

    // Links and head stripped, so the case looks as if it predated the chain: the digest remembers its head.
    for (const item of await trailItems(untouched)) await db.send(new PutCommand({ TableName: 'bangong', Item: { pk: item.pk, sk: item.sk, entry: item.entry } }));
    await db.send(new UpdateCommand({ TableName: 'bangong', Key: { pk: `CASE#${untouched}`, sk: 'CASE' }, UpdateExpression: 'REMOVE #data.trailHead', ExpressionAttributeNames: { '#data': 'data' } }));
    expect(await verify('xu-liang', untouched)).toMatchObject({ ok: false, broken: { problem: 'digest' } });
  });

  it('the range check is for the admin and the archivist; bad dates are 400 naming the field', async () => {
    expect((await api.get('xu-liang', '/api/admin/trail-check?from=2026-11-01&to=2026-11-02')).status).toBe(403);
    expect((await api.get('huang-li', '/api/admin/trail-check?from=2026-11-01&to=2026-11-02')).status).toBe(200);
    const bad = await api.get('chen-zhiqiang', '/api/admin/trail-check?from=2026-02-30&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    const long = await api.get('chen-zhiqiang', '/api/admin/trail-check?from=2026-01-01&to=2026-03-01');
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toMatch(/31 天/);
    const reversed = await api.get('chen-zhiqiang', '/api/admin/trail-check?from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
  });
});
