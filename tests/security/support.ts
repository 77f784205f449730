/**
 * Shared helpers of the attack suite: an HTTP client that counts what it sends and every 5xx,
 * tokens minted with the local secret (valid, forged, expired…), the one error shape every
 * refusal must have, and a snapshot of everything stored (the whole table, the bucket listing)
 * to prove that a refused request wrote nothing.
 */
import { createHash, createHmac } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SignJWT, base64url } from 'jose';
import { expect } from 'vitest';
import { topology, type Topology } from '../../infra/topology.ts';
import { DEV_TOKEN_ISSUER } from '../../functions/handlers/http/dev-login.ts';
import { givenLocalSystem } from '../support/local-system.ts';

export const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
export const TABLE = 'bangong';
export const BUCKET = 'bangong-archive';
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export const sha256 = (bytes: Uint8Array, encoding: 'hex' | 'base64' = 'hex') => createHash('sha256').update(bytes).digest(encoding);
export const pdfBytes = (label: string, size = 4_000) => Buffer.concat([Buffer.from(`%PDF-1.7\n% ${label}\n`), Buffer.alloc(size, 7)]);
export const leaveFields = (reason = '家中有事') => ({ leaveType: 'personal', startDate: '2026-11-30', endDate: '2026-11-30', days: 1, reason });

/** The local system in this process, without the schedules (nothing writes behind the tests' backs). */
export async function givenSecuritySystem(options: { topology?: Topology } = {}) {
  return givenLocalSystem({ ports: ALL_FREE, topology: options.topology ?? { ...topology, schedules: [] } });
}

/** What every test file reports: requests sent, 5xx seen, writes caused by refused requests. */
export class Figures {
  requests = 0;
  serverErrors: string[] = [];
  /** API answers with data that a browser or proxy may keep, or whose type it may guess. */
  keepable: string[] = [];
  refusedWrites: string[] = [];
  races = 0;
  crashes = 0;
  readonly extra: Record<string, number> = {};

  /** The suite's promises: no 5xx, no write by a refused request, no answer with data a browser may keep. */
  expectClean() {
    expect(this.serverErrors).toEqual([]);
    expect(this.refusedWrites).toEqual([]);
    expect(this.keepable).toEqual([]);
  }

  print(file: string) {
    const extra = Object.entries(this.extra).map(([k, v]) => `, ${k} ${v}`).join('');
    console.log(
      `[security] ${file}: requests sent ${this.requests}, 5xx ${this.serverErrors.length}, writes caused by refused requests ${this.refusedWrites.length}, answers a browser may keep ${this.keepable.length}, races survived ${this.races}, crashes survived ${this.crashes}${extra}`,
    );
    for (const k of this.keepable.slice(0, 20)) console.log(`[security] ${file}: may be kept ${k}`);
    for (const e of this.serverErrors.slice(0, 20)) console.log(`[security] ${file}: 5xx ${e}`);
    for (const w of this.refusedWrites.slice(0, 20)) console.log(`[security] ${file}: refused request wrote ${w}`);
  }
}

export interface Reply<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The JSON body, or undefined when it is not JSON. */
  readonly body: T;
  /** For messages: the request and what came back. */
  readonly what: string;
}

export type Auth = string | { readonly header?: string | null } | undefined;

/**
 * The attacker's client: every request counted, every 5xx recorded. `as` is a person id (a
 * dev-login token), `{ header }` an exact Authorization header (null: none), undefined no header.
 */
export function attacker(base: string, figures: Figures) {
  const tokens = new Map<string, string>();
  const token = async (user: string): Promise<string> => {
    const cached = tokens.get(user);
    if (cached) return cached;
    const r = await send(undefined, 'POST', '/auth/dev-login', JSON.stringify({ user }));
    if (r.status !== 200) throw new Error(`login ${user}: ${r.what}`);
    tokens.set(user, r.body.token);
    return r.body.token;
  };
  const send = async (as: Auth, method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<Reply> => {
    const auth: Record<string, string> = {};
    if (typeof as === 'string') auth.authorization = `Bearer ${await token(as)}`;
    else if (as && typeof as.header === 'string') auth.authorization = as.header;
    figures.requests++;
    const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...auth, ...headers }, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const shown = typeof body === 'string' ? body.slice(0, 160) : body ? `<${body.length} bytes>` : '';
    const what = `${method} ${path} ${shown} → ${response.status} ${text.slice(0, 300)}`;
    if (response.status >= 500) figures.serverErrors.push(what);
    const kept = response.headers.get('cache-control') !== 'no-store' || response.headers.get('x-content-type-options') !== 'nosniff';
    if (response.ok && path.startsWith('/api/') && kept) figures.keepable.push(what);
    return { status: response.status, headers: response.headers, text, body: parsed as any, what };
  };
  const json = (as: Auth, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    send(as, method, path, body === undefined ? undefined : JSON.stringify(body), headers);
  return {
    token,
    send,
    json,
    get: (as: Auth, path: string) => send(as, 'GET', path),
    post: (as: Auth, path: string, body?: unknown, headers?: Record<string, string>) => json(as, 'POST', path, body, headers),
    put: (as: Auth, path: string, body?: unknown, headers?: Record<string, string>) => json(as, 'PUT', path, body, headers),
    /** Opens a case and expects 201. */
    async open(as: string, type: string, title: string, fields: Record<string, unknown>) {
      const r = await json(as, 'POST', '/api/cases', { type, title, fields });
      expect(r.status, r.what).toBe(201);
      return r.body as { id: string; version: number; currentStep: string };
    },
    /** Asks for an upload, sends the bytes to the presigned URL and completes it; expects the file attached. */
    async attach(as: string, caseId: string, fileName: string, bytes: Buffer) {
      const asked = await json(as, 'POST', `/api/cases/${caseId}/uploads`, { fileName, contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
      expect(asked.status, asked.what).toBe(201);
      const put = await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: bytes });
      expect(put.status, await put.text()).toBe(200);
      const done = await json(as, 'POST', `/api/cases/${caseId}/uploads/${asked.body.uploadId}/complete`);
      expect(done.status, done.what).toBe(200);
      return done.body as { id: string; key: string; fileName: string };
    },
  };
}
export type Attacker = ReturnType<typeof attacker>;

/** A CJK character comes before any Latin letter: the message is Chinese first. */
export const CHINESE_FIRST = /^[^A-Za-z]*[\u3400-\u4dbf\u4e00-\u9fff]/;

/**
 * A refusal: a 4xx whose body is exactly `{"error":{"code","message","field"}}`, the message
 * Chinese first, nothing else. Optionally the status, code and field expected.
 */
export function expectRefusal(r: Reply, expected: { status?: number | readonly number[]; code?: string; field?: string | null } = {}) {
  expect(r.status, r.what).toBeGreaterThanOrEqual(400);
  expect(r.status, r.what).toBeLessThan(500);
  if (expected.status !== undefined) {
    const allowed = typeof expected.status === 'number' ? [expected.status] : expected.status;
    expect(allowed, r.what).toContain(r.status);
  }
  expect(r.body, r.what).toBeTypeOf('object');
  expect(Object.keys(r.body ?? {}), r.what).toEqual(['error']);
  const error = r.body.error;
  expect(Object.keys(error ?? {}).sort(), r.what).toEqual(['code', 'field', 'message']);
  expect(typeof error.code, r.what).toBe('string');
  expect(typeof error.message, r.what).toBe('string');
  expect(error.message, r.what).toMatch(CHINESE_FIRST);
  expect(error.field === null || typeof error.field === 'string', r.what).toBe(true);
  if (expected.code !== undefined) expect(error.code, r.what).toBe(expected.code);
  if (expected.field !== undefined) expect(error.field, r.what).toBe(expected.field);
}

/** Whether a reply is a well-formed refusal (for tallies that must not stop at the first). */
export function isRefusal(r: Reply): boolean {
  try {
    expectRefusal(r);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

const secretKey = () => {
  const secret = process.env.LOCAL_AUTH_SECRET;
  if (!secret) throw new Error('LOCAL_AUTH_SECRET is set by startLocalSystem');
  return new TextEncoder().encode(secret);
};

/** A token as dev-login signs it (HS256, issuer bangong-local), with claims and times overridable. */
export async function mintToken(
  claims: Record<string, unknown> = {},
  options: { secret?: Uint8Array; issuer?: string | null; exp?: number | null; iat?: number | null; nbf?: number; alg?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { 'cognito:username': 'xu-liang', token_use: 'id', 'cognito:groups': [], sub: 'xu-liang', ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  if (options.issuer !== null) payload.iss = options.issuer ?? DEV_TOKEN_ISSUER;
  if (options.iat !== null) payload.iat = options.iat ?? now;
  if (options.exp !== null) payload.exp = options.exp ?? now + 3600;
  if (options.nbf !== undefined) payload.nbf = options.nbf;
  return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' }).sign(options.secret ?? secretKey());
}

const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));

/**
 * Authorization headers that must each be refused (401): no header variants, forged, expired,
 * not yet valid, wrong issuer, missing claims, access tokens, a person id that is not one, a
 * confused algorithm, garbage.
 */
export async function forgedAuthorizations(): Promise<{ name: string; header: string | null }[]> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await mintToken();
  const [h, , s] = valid.split('.');
  const tamperedPayload = b64json({ 'cognito:username': 'chen-zhiqiang', token_use: 'id', 'cognito:groups': ['admin'], sub: 'chen-zhiqiang', iss: DEV_TOKEN_ISSUER, iat: now, exp: now + 3600 });
  const none = `${b64json({ alg: 'none', typ: 'JWT' })}.${b64json({ 'cognito:username': 'chen-zhiqiang', token_use: 'id', iss: DEV_TOKEN_ISSUER, iat: now, exp: now + 3600 })}.`;
  // The header says RS256 but the signature is an HMAC with the shared secret (algorithm confusion).
  const rsHeader = b64json({ alg: 'RS256', typ: 'JWT' });
  const rsPayload = b64json({ 'cognito:username': 'chen-zhiqiang', token_use: 'id', iss: DEV_TOKEN_ISSUER, iat: now, exp: now + 3600 });
  const rsSig = createHmac('sha256', Buffer.from(process.env.LOCAL_AUTH_SECRET!, 'utf8')).update(`${rsHeader}.${rsPayload}`).digest('base64url');
  return [
    { name: 'no Authorization header', header: null },
    { name: 'empty Authorization header', header: '' },
    { name: '"Bearer" with no token', header: 'Bearer' },
    { name: '"Bearer " and a space', header: 'Bearer ' },
    { name: 'Basic credentials', header: `Basic ${Buffer.from('xu-liang:password').toString('base64')}` },
    { name: 'lower-case "bearer" scheme', header: `bearer ${valid}` },
    { name: 'alg none', header: `Bearer ${none}` },
    { name: 'HS256 signed with a wrong secret', header: `Bearer ${await mintToken({}, { secret: new TextEncoder().encode('not-the-secret-0123456789abcdef') })}` },
    { name: 'payload tampered (cognito:username → an admin), old signature', header: `Bearer ${h}.${tamperedPayload}.${s}` },
    { name: 'expired', header: `Bearer ${await mintToken({}, { iat: now - 7200, exp: now - 3600 })}` },
    { name: 'not yet valid (nbf in the future)', header: `Bearer ${await mintToken({}, { nbf: now + 3600 })}` },
    { name: 'wrong issuer', header: `Bearer ${await mintToken({}, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/evil' })}` },
    { name: 'no issuer', header: `Bearer ${await mintToken({}, { issuer: null })}` },
    { name: 'missing exp', header: `Bearer ${await mintToken({}, { exp: null })}` },
    { name: 'missing iat', header: `Bearer ${await mintToken({}, { iat: null })}` },
    { name: 'missing cognito:username', header: `Bearer ${await mintToken({ 'cognito:username': undefined })}` },
    { name: 'token_use access', header: `Bearer ${await mintToken({ token_use: 'access' })}` },
    { name: 'missing token_use', header: `Bearer ${await mintToken({ token_use: undefined })}` },
    { name: 'cognito:username not a person id', header: `Bearer ${await mintToken({ 'cognito:username': '../Chen Zhiqiang"; --' })}` },
    { name: 'cognito:username not a string', header: `Bearer ${await mintToken({ 'cognito:username': ['chen-zhiqiang'] })}` },
    { name: 'RS256 header, HMAC signature with the secret', header: `Bearer ${rsHeader}.${rsPayload}.${rsSig}` },
    { name: 'garbage', header: 'Bearer eyJhbGciOi.garbage.!!' },
    { name: 'two tokens', header: `Bearer ${valid} ${valid}` },
  ];
}

// ---------------------------------------------------------------------------------------------
// Stored state

export function tableClient(endpoint: string) {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function bucketClient(endpoint: string) {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function objectBytes(s3: S3Client, key: string): Promise<Buffer | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Everything stored: each table item (but rate counters and the app's secrets) and each object. */
export type Snapshot = Map<string, string>;

export function storage(urls: { dynamodb: string; s3: string }) {
  const db = tableClient(urls.dynamodb);
  const s3 = bucketClient(urls.s3);
  const take = async (): Promise<Snapshot> => {
    const snapshot: Snapshot = new Map();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
      for (const item of page.Items ?? []) {
        const pk = String(item.pk);
        if (pk.startsWith('RATE#') || pk.startsWith('SECRET#')) continue;
        snapshot.set(`table ${pk} | ${String(item.sk)}`, JSON.stringify(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
      for (const o of page.Contents ?? []) snapshot.set(`bucket ${o.Key}`, `${o.ETag} ${o.Size}`);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return snapshot;
  };
  /** Waits until nothing changes any more (executions record what they wait on after a request returns). */
  const settled = async (timeoutMs = 8_000): Promise<Snapshot> => {
    const deadline = Date.now() + timeoutMs;
    let last = await take();
    for (;;) {
      await new Promise((r) => setTimeout(r, 150));
      const next = await take();
      const changed = changes(last, next);
      if (changed.length === 0) return next;
      if (Date.now() > deadline) {
        // Not an error (the snapshots that follow decide), but a run that keeps changing is slow: say what changed.
        console.warn(`[security] storage still changing after ${timeoutMs} ms: ${changed.slice(0, 5).join('; ')}`);
        return next;
      }
      last = next;
    }
  };
  return {
    db,
    s3,
    take,
    settled,
    /**
     * Runs requests that must all be refused and counts what they wrote: the snapshot after must
     * equal the one before. Returns the replies; every write is recorded in `figures`.
     */
    async refusing<T>(figures: Figures, label: string, run: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
      const before = await settled();
      const result = await run();
      // Anything a refused request set going (an execution, a notification) would show by now.
      await new Promise((r) => setTimeout(r, 200));
      const after = await take();
      const writes = changes(before, after).map((c) => `${label}: ${c}`);
      figures.refusedWrites.push(...writes);
      return { result, writes };
    },
  };
}
export type Storage = ReturnType<typeof storage>;

/** What differs between two snapshots, one line each. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) out.push(`added ${key} ${value.slice(0, 200)}`);
    else if (before.get(key) !== value) out.push(`changed ${key} ${value.slice(0, 200)}`);
  }
  for (const key of before.keys()) if (!after.has(key)) out.push(`removed ${key}`);
  return out;
}

/** Fills a route's `{param}`s with plausible values. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\+?\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `x-${name}`));
}

/** Waits until `check` passes (e.g. an execution caught up), polling. */
export async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  throw new Error(`never reached ${what}: ${JSON.stringify(last).slice(0, 500)}`);
}

/** Runs `work` over `items`, `concurrency` at a time, keeping the order of results. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

/** A plausible body for each POST/PUT route of the topology (what a real client would send). */
export function plausibleBody(method: string, path: string, context: { version?: number } = {}): unknown {
  const key = `${method} ${path}`;
  switch (key) {
    case 'POST /auth/dev-login':
      return { user: 'xu-liang' };
    case 'PUT /api/org':
      return { version: context.version ?? 1, org: { departments: [], people: [] } };
    case 'PUT /api/calendar':
      return { version: context.version ?? 0, overrides: [{ date: '2026-12-31', work: false, reason: '越权测试' }] };
    case 'POST /api/cases':
      return { type: 'leave', title: '越权请假', fields: leaveFields() };
    case 'POST /api/cases/{id}/actions':
      return { action: 'comment', version: context.version ?? 1, comment: '越权意见' };
    case 'POST /api/cases/{id}/uploads':
      return { fileName: 'scan.pdf', contentType: 'application/pdf', size: 1000, sha256: sha256(Buffer.from('x')) };
    case 'POST /api/notifications/read':
      return { ids: ['2026-11-27T00:00:00.000Z#abc'] };
    default:
      return undefined;
  }
}
