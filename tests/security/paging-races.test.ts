/**
 * Attack: tampered page cursors, and many writes at once. Every list's cursor is refused (400,
 * field `cursor`) when it is garbage, cut short, flipped, another person's, another list's or a
 * DynamoDB key written by hand; a staff member who may see few of many cases still gets full
 * pages. Concurrent comments and retried creates each land once; a burst of comments is cut off
 * at the limit (429, Retry-After); a case buried under 1,100 long comments still opens and its
 * whole trail can be paged through.
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCases, bulkLoad } from '../support/bulk-load.ts';
import {
  Figures,
  TABLE,
  attacker,
  expectRefusal,
  givenSecuritySystem,
  inPool,
  isRefusal,
  leaveFields,
  pdfBytes,
  sha256,
  storage,
  type Attacker,
  type Reply,
  type Storage,
} from './support.ts';

const b64url = (text: string) => Buffer.from(text).toString('base64url');
/** One character in the middle changed: all six bits of a middle base64url character carry data. */
const flip = (cursor: string) => {
  const i = Math.floor(cursor.length / 2);
  return `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`;
};

describe('attack: tampered cursors and concurrent writes', () => {
  const figures = new Figures();
  let system: Awaited<ReturnType<typeof givenSecuritySystem>>;
  let api: Attacker;
  let store: Storage;
  const xuCases: { id: string; version: number }[] = [];
  let maCases = 0;

  /** The case's trail as stored, oldest first, read straight from the table. */
  const trailOf = async (id: string) => {
    const entries: { action: string; comment?: string; actorId: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await store.db.send(
        new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)', ExpressionAttributeValues: { ':pk': `CASE#${id}`, ':t': 'TRAIL#' }, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      entries.push(...(page.Items ?? []).map((i) => i.entry));
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  };

  beforeAll(async () => {
    system = await givenSecuritySystem();
    api = attacker(system.urls.api, figures);
    store = storage(system.urls);
    for (let i = 0; i < 3; i++) xuCases.push(await api.open('xu-liang', 'leave', `徐亮请假 ${i}`, leaveFields()));
    for (let i = 0; i < 2; i++) await api.open('ma-chao', 'leave', `马超请假 ${i}`, leaveFields()), maCases++;
  });
  afterAll(() => system?.stop());

  describe('cursors', () => {
    /** A list, who reads it, and a real cursor to its second page. */
    interface List {
      readonly name: string;
      readonly as: string;
      readonly path: string;
      cursor: string;
    }
    const lists: List[] = [];
    const page = (l: { as: string; path: string }, cursor?: string) => api.get(l.as, `${l.path}${l.path.includes('?') ? '&' : '?'}limit=1${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);

    beforeAll(async () => {
      const specs = [
        { name: 'cases', as: 'xu-liang', path: '/api/cases' },
        { name: 'cases (zhou-tao)', as: 'zhou-tao', path: '/api/cases' },
        { name: 'cases of a type', as: 'xu-liang', path: '/api/cases?type=leave' },
        { name: 'tasks', as: 'zhou-tao', path: '/api/tasks' },
        { name: 'notifications', as: 'zhou-tao', path: '/api/notifications' },
        { name: 'trail', as: 'xu-liang', path: `/api/cases/${xuCases[0]!.id}/trail` },
        { name: 'trail (zhou-tao)', as: 'zhou-tao', path: `/api/cases/${xuCases[0]!.id}/trail` },
        { name: 'trail of another case', as: 'xu-liang', path: `/api/cases/${xuCases[1]!.id}/trail` },
      ];
      for (const spec of specs) {
        const first = await page(spec);
        expect(first.status, first.what).toBe(200);
        const cursor = first.body.next ?? first.body.earlier;
        expect(cursor, `${spec.name} has a second page: ${first.what}`).toBeTypeOf('string');
        lists.push({ ...spec, cursor });
      }
    });

    it('a real cursor continues its own list for its own reader (the control)', async () => {
      for (const l of lists) {
        const second = await page(l, l.cursor);
        expect(second.status, `${l.name}: ${second.what}`).toBe(200);
        expect(second.body.items.length, l.name).toBe(1);
      }
    });

    it('garbage, cut-short, flipped, another person’s, another list’s and hand-made cursors: 400 naming cursor, never a 5xx, nothing written', async () => {
      const list = (name: string) => lists.find((l) => l.name === name)!;
      const attempts: { name: string; on: List; cursor: string }[] = [];
      const keyOf = (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE', gsi3pk: 'CASES#2026', gsi3sk: `2026-11-27T00:00:00.000Z#${id}` });
      const handMade = [
        ['garbage', 'garbage'],
        ['punctuation', '!!!$%^&*()'],
        ['spaces', 'a b c'],
        ['a NUL', 'abc\u0000def'],
        ['non-ASCII', '游标游标游标游标游标游标游标游标'],
        ['JSON', '{"pk":"CASE#x","sk":"CASE"}'],
        ['null', 'null'],
        ['too long', 'A'.repeat(2001)],
        ['long but allowed', 'A'.repeat(2000)],
        ['short base64url', 'AAAA'],
        ['40 random bytes', Buffer.alloc(40, 7).toString('base64url')],
        ['base64 JSON of a case key', b64url(JSON.stringify(keyOf(xuCases[0]!.id)))],
        ['base64 (padded) JSON of a case key', Buffer.from(JSON.stringify(keyOf(xuCases[0]!.id))).toString('base64')],
        ['base64 JSON of a trail key', b64url(JSON.stringify({ pk: `CASE#${xuCases[0]!.id}`, sk: 'TRAIL#999999#999' }))],
        ['base64 JSON of a task key', b64url(JSON.stringify({ pk: `CASE#${xuCases[0]!.id}`, sk: 'TASK#zhou-tao#sign', gsi1pk: 'TASKS#zhou-tao', gsi1sk: `9999#${xuCases[0]!.id}#sign` }))],
        ['base64 JSON of a notification key', b64url(JSON.stringify({ pk: 'NOTES#chen-zhiqiang', sk: '2026-11-27T00:00:00.000Z#x' }))],
        ['base64 JSON of another partition', b64url(JSON.stringify({ pk: 'ORG', sk: 'CURRENT', gsi3pk: 'CASES#2026', gsi3sk: 'x' }))],
        ['base64 JSON with a non-string value', b64url(JSON.stringify({ pk: { S: 'CASE#x' }, sk: 1 }))],
      ] as const;
      for (const l of lists) {
        for (const [name, cursor] of handMade) attempts.push({ name, on: l, cursor });
        attempts.push({ name: 'truncated by 4', on: l, cursor: l.cursor.slice(0, -4) });
        attempts.push({ name: 'truncated to half', on: l, cursor: l.cursor.slice(0, Math.floor(l.cursor.length / 2)) });
        attempts.push({ name: 'one character flipped', on: l, cursor: flip(l.cursor) });
        attempts.push({ name: 'bytes appended', on: l, cursor: `${l.cursor}AAAA` });
        attempts.push({ name: 'bytes prepended', on: l, cursor: `AAAA${l.cursor}` });
        attempts.push({ name: 'padded', on: l, cursor: `${l.cursor}==` });
      }
      // Another person's real cursor, for the same list.
      attempts.push({ name: 'zhou-tao’s cursor of /api/cases', on: list('cases'), cursor: list('cases (zhou-tao)').cursor });
      attempts.push({ name: 'xu-liang’s cursor of /api/cases', on: list('cases (zhou-tao)'), cursor: list('cases').cursor });
      attempts.push({ name: 'zhou-tao’s cursor of the trail', on: list('trail'), cursor: list('trail (zhou-tao)').cursor });
      attempts.push({ name: 'zhou-tao’s tasks cursor', on: { ...list('tasks'), as: 'xu-liang' }, cursor: list('tasks').cursor });
      attempts.push({ name: 'zhou-tao’s notifications cursor', on: { ...list('notifications'), as: 'xu-liang' }, cursor: list('notifications').cursor });
      // Another list's real cursor, the reader's own.
      const others: [string, string][] = [
        ['cases', 'cases of a type'],
        ['cases of a type', 'cases'],
        ['trail', 'trail of another case'],
        ['trail of another case', 'trail'],
        ['cases (zhou-tao)', 'tasks'],
        ['tasks', 'cases (zhou-tao)'],
        ['tasks', 'notifications'],
        ['notifications', 'tasks'],
        ['trail (zhou-tao)', 'notifications'],
        ['cases', 'trail'],
        ['trail', 'cases'],
      ];
      for (const [from, to] of others) attempts.push({ name: `${from} cursor on ${to}`, on: list(to), cursor: list(from).cursor });
      // The same person's cursor for the unread notifications on all of them.
      const unread = await api.get('zhou-tao', '/api/notifications?unread=true&limit=1');
      if (unread.body.next) attempts.push({ name: 'unread notifications cursor on all notifications', on: list('notifications'), cursor: unread.body.next });

      const { result } = await store.refusing(figures, 'tampered cursors', () => inPool(attempts, 4, async (a) => ({ ...a, r: await page(a.on, a.cursor) })));
      const wrong = result.filter(({ r }) => !isRefusal(r) || r.status !== 400 || r.body.error.field !== 'cursor');
      expect(wrong.map(({ name, on, r }) => `${name} on ${on.name} (${on.as}): ${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
      // A cursor given twice is two cursors: refused too.
      const twice = await api.get('xu-liang', `/api/cases?limit=1&cursor=${list('cases').cursor}&cursor=${list('cases').cursor}`);
      expectRefusal(twice, { status: 400, field: 'cursor' });
      figures.extra['tampered cursors'] = attempts.length + 1;
    });
  });

  it('concurrent comments on one case at one version: exactly one lands (200), the rest are 409, one trail entry', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮请假（并发意见）', leaveFields());
    await store.settled();
    await Promise.all(['xu-liang', 'zhou-tao', 'li-minghua'].map((p) => api.token(p)));
    const people = ['xu-liang', 'zhou-tao', 'li-minghua'];
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api.post(people[i % 3]!, `/api/cases/${c.id}/actions`, { action: 'comment', version: c.version, comment: `并发意见 ${i}` })),
    );
    const ok = replies.filter((r) => r.status === 200);
    const conflicts = replies.filter((r) => r.status === 409);
    expect(ok.length, replies.map((r) => r.status).join()).toBe(1);
    expect(conflicts.length).toBe(29);
    for (const r of conflicts) expectRefusal(r, { status: 409, code: 'stale-version' });
    const winner = replies.findIndex((r) => r.status === 200);
    const comments = (await trailOf(c.id)).filter((e) => e.action === 'comment');
    expect(comments.map((e) => [e.actorId, e.comment])).toEqual([[people[winner % 3], `并发意见 ${winner}`]]);
    expect((await api.get('xu-liang', `/api/cases/${c.id}`)).body.version).toBe(c.version + 1);
    figures.races++;
  });

  it('20 concurrent retries of one create under one Idempotency-Key: one case, every reply the first, byte for byte', async () => {
    const body = { type: 'leave', title: '徐亮请假（幂等并发）', fields: leaveFields() };
    const headers = { 'idempotency-key': `race-create-${Date.now()}` };
    const replies = await Promise.all(Array.from({ length: 20 }, () => api.post('xu-liang', '/api/cases', body, headers)));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    await store.settled();
    const cases = [...(await store.take()).entries()].filter(([k, v]) => k.endsWith('| CASE') && v.includes('徐亮请假（幂等并发）'));
    expect(cases.map(([k]) => k)).toEqual([`table CASE#${replies[0]!.body.id} | CASE`]);
    expect((await trailOf(replies[0]!.body.id)).filter((e) => e.action === 'submit')).toHaveLength(1);
    // The same key with another body is refused and opens nothing.
    const other = await api.post('xu-liang', '/api/cases', { ...body, title: '另一件' }, headers);
    expectRefusal(other, { status: 422, code: 'idempotency-key-reused' });
    figures.races++;
  });

  it('10 concurrent completions of one upload: it is attached once, the others refused or told the same', async () => {
    const c = xuCases[2]!;
    const bytes = pdfBytes('并发完成');
    const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: '并发.pdf', contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: bytes })).status).toBe(200);
    const replies = await Promise.all(Array.from({ length: 10 }, () => api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`)));
    await store.settled();
    const view = await api.get('xu-liang', `/api/cases/${c.id}`);
    const outcome = {
      // A retry may be answered with the same attachment (idempotent) or refused; never a second one.
      attachedIds: new Set(replies.filter((r) => r.status === 200).map((r) => r.body.id)).size,
      neitherAttachedNorRefused: replies.filter((r) => r.status !== 200 && !isRefusal(r)).length,
      serverErrors: replies.filter((r) => r.status >= 500).length,
      attachments: view.body.attachments.filter((a: any) => a.fileName === '并发.pdf').length,
      objects: [...(await store.take()).keys()].filter((k) => k.startsWith(`bucket attachments/${c.id}/`)).length,
    };
    console.log(`[security] paging-races: 10 concurrent completions of one upload → ${JSON.stringify(outcome)}`);
    expect(outcome, replies.map((r) => r.what).join('\n')).toEqual({ attachedIds: 1, neitherAttachedNorRefused: 0, serverErrors: 0, attachments: 1, objects: 1 });
    figures.races++;
  });

  it('a burst of 25 comments by one person on one case: the first 20 land, then 429 rate-limited with Retry-After, and the refused ones write nothing', async () => {
    for (let attempt = 0; ; attempt++) {
      const hour = new Date().toISOString().slice(0, 13);
      const c = await api.open('xu-liang', 'leave', `徐亮请假（意见洪水 ${attempt}）`, leaveFields());
      let version = c.version;
      const replies: Reply[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await api.post('xu-liang', `/api/cases/${c.id}/actions`, { action: 'comment', version, comment: `第 ${i + 1} 条意见` });
        replies.push(r);
        if (r.status === 200) version = r.body.version;
      }
      const { result: refused } = await store.refusing(figures, 'comments over the limit', async () => {
        const out: Reply[] = [];
        for (let i = 20; i < 25; i++) out.push(await api.post('xu-liang', `/api/cases/${c.id}/actions`, { action: 'comment', version, comment: `第 ${i + 1} 条意见` }));
        return out;
      });
      // An hour boundary in the middle resets the count: try again on a fresh case.
      if (new Date().toISOString().slice(0, 13) !== hour && attempt === 0) continue;
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      for (const r of refused) {
        expectRefusal(r, { status: 429, code: 'rate-limited' });
        const retryAfter = r.headers.get('retry-after');
        expect(retryAfter, r.what).toMatch(/^\d+$/);
        expect(Number(retryAfter)).toBeGreaterThan(0);
        expect(Number(retryAfter)).toBeLessThanOrEqual(3600);
      }
      expect((await trailOf(c.id)).filter((e) => e.action === 'comment')).toHaveLength(20);
      // The limit is this person's on this case: the department head may still comment.
      const head = await api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'comment', version, comment: '科长意见' });
      expect(head.status, head.what).toBe(200);
      figures.extra['comments refused by the rate limit'] = refused.length;
      return;
    }
  });

  it('a case buried under 1,100 comments of 2,000 characters still opens (at most 50 entries and a trailEarlier cursor) and its whole trail pages through', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮请假（1100 条长意见）', leaveFields());
    await store.settled();
    const COMMENTS = 1_100;
    const text = (n: number) => `#${String(n).padStart(4, '0')}# ${'长意见'.repeat(700)}`.slice(0, 2000);
    const items = Array.from({ length: COMMENTS }, (_, n) => ({
      pk: `CASE#${c.id}`,
      // Versions after the case's own entries: as if each comment had been one change of the case.
      sk: `TRAIL#${String(100 + Math.floor(n / 10)).padStart(6, '0')}#${String(n % 10).padStart(3, '0')}`,
      entry: { at: new Date(Date.now() + n).toISOString(), actorId: 'zhou-tao', actorName: '周涛', action: 'comment', comment: text(n) },
    }));
    await inPool(
      Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25)),
      4,
      async (batch) => {
        let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending && pending.length > 0) {
          const result = await store.db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending as never } }));
          pending = result.UnprocessedItems?.[TABLE] as typeof pending;
        }
      },
    );

    const view = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(view.status, view.what.slice(0, 300)).toBe(200);
    expect(view.body.trail.length).toBeGreaterThan(0);
    expect(view.body.trail.length).toBeLessThanOrEqual(50);
    expect(view.body.trailEarlier).toBeTypeOf('string');
    expect(view.text.length).toBeLessThan(1024 * 1024);
    expect(view.body.trail.at(-1).comment).toBe(text(COMMENTS - 1));

    // Earlier pages, newest page first, each oldest first: together with the view, the whole trail once, in order.
    const pages: unknown[][] = [view.body.trail];
    let cursor: string | undefined = view.body.trailEarlier;
    let requests = 0;
    while (cursor) {
      const r = await api.get('xu-liang', `/api/cases/${c.id}/trail?limit=200&cursor=${encodeURIComponent(cursor)}`);
      expect(r.status, r.what.slice(0, 300)).toBe(200);
      expect(r.body.items.length, 'no empty page while there is an earlier one').toBeGreaterThan(0);
      pages.unshift(r.body.items);
      cursor = r.body.earlier;
      expect(++requests).toBeLessThan(20);
    }
    const all = pages.flat() as { action: string; comment?: string }[];
    const stored = await trailOf(c.id);
    expect(all.map((e) => `${e.action}:${e.comment?.slice(0, 8)}`)).toEqual(stored.map((e) => `${e.action}:${e.comment?.slice(0, 8)}`));
    expect(all.filter((e) => e.comment?.startsWith('#')).map((e) => e.comment)).toEqual(items.map((i) => i.entry.comment));
    expect(all[0]!.action).toBe('submit');
    // The case still takes a decision.
    const approved = await api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'approve', version: view.body.version });
    expect(approved.status, approved.what.slice(0, 300)).toBe(200);
    figures.extra['trail pages read'] = requests + 1;
  });

  it('a staff member who may see a few of 1,500 cases pages through full pages: no short or empty page while next is set, each case once', async () => {
    // 1,800 leave cases by six staff members; 马超 keeps one in 40 of his, so he may see about 8 of 1,500.
    const made = makeCases(1_800, { end: Date.now() - 60_000, spacingMs: 1_000, openEvery: 3, prefix: 'bulk' });
    let kept = 0;
    const cases = made.filter((c) => c.applicantId !== 'ma-chao' || kept++ % 40 === 0);
    await bulkLoad(system.urls.dynamodb, cases);
    const visible = new Set([...cases.filter((c) => c.applicantId === 'ma-chao').map((c) => c.id)]);
    const expected = visible.size + maCases;

    const LIMIT = 3;
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const r = await api.get('ma-chao', `/api/cases?limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, r.what).toBe(200);
      sizes.push(r.body.items.length);
      seen.push(...r.body.items.map((c: any) => c.id));
      cursor = r.body.next;
      if (cursor) expect(r.body.items.length, `page ${sizes.length} of ${sizes.join(',')}`).toBe(LIMIT);
      expect(sizes.length).toBeLessThan(50);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expected);
    for (const id of visible) expect(seen).toContain(id);
    // Nobody else's case.
    for (const id of seen) expect(id.startsWith('bulk-') ? visible.has(id) : true).toBe(true);
    figures.extra['pages of a sparse list'] = sizes.length;
  }, 120_000);

  it('[figures] no 5xx, no write by a refused request, no answer a browser may keep', () => {
    figures.print('paging-races');
    figures.expectClean();
    expect(figures.races).toBe(3);
  });
});
