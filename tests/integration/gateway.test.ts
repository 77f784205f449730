import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteSpec } from '../../infra/topology.ts';
import { createGateway, type HttpHandler, type WebFile } from '../../local/gateway.ts';
import { close, listen } from '../../local/http-util.ts';

const route = (method: RouteSpec['method'], path: string, entry: string): RouteSpec => ({ method, path, entry, auth: 'public', grants: [] });

describe('the local API Gateway (HTTP API, payload format 2.0)', () => {
  const seen: APIGatewayProxyEventV2[] = [];
  const handlers: Record<string, HttpHandler> = {
    echo: async (event) => {
      seen.push(event);
      return { statusCode: 201, headers: { 'x-kind': 'echo' }, cookies: ['a=1'], body: JSON.stringify({ ok: true }) };
    },
    bare: async () => ({ hello: '你好' }) as never,
    boom: async () => {
      throw new Error('secret internals');
    },
  };
  /** The web form's files as local/web.ts hands them over. */
  const webFiles: Record<string, WebFile> = {
    '/assets/big-1234.js': { type: 'text/javascript; charset=utf-8', body: new TextEncoder().encode('export const x = 1;\n'.repeat(200)), cacheControl: 'public, max-age=31536000, immutable' },
    '/small.json': { type: 'application/json', body: new TextEncoder().encode('{"ok":true}'), cacheControl: 'no-cache' },
    '/logo.png': { type: 'image/png', body: new Uint8Array(4000), cacheControl: 'no-cache' },
  };
  const server = createGateway({
    routes: [
      route('POST', '/api/cases/{id}/actions', 'echo'),
      route('GET', '/files/{proxy+}', 'echo'),
      route('GET', '/bare', 'bare'),
      route('GET', '/boom', 'boom'),
      route('ANY', '/api/{proxy+}', 'echo'),
    ],
    resolveHandler: async (spec) => handlers[spec.entry]!,
    webRoot: `${process.cwd()}/web`,
    authorize: async (header) => (header === 'Bearer good' ? { 'cognito:username': 'xu-liang' } : undefined),
    localRoutes: { '/local/page': (_url, claims) => ({ for: claims['cognito:username'] }) },
    webAssets: async (pathname) => webFiles[pathname],
  });
  /** The API's one error shape, which the gateway's own refusals share. */
  const errorShape = (code: string, field: string | null = null) => ({ error: { code, message: expect.stringMatching(/^[^A-Za-z]*[\u4e00-\u9fff]/), field } });
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
  });
  afterAll(() => close(server));

  it('builds the event API Gateway builds: route key, path parameters, query, headers, JSON body', async () => {
    const response = await fetch(`${base}/api/cases/C%2D7/actions?x=1&x=2&y=3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=abc; lang=zh' },
      body: JSON.stringify({ action: 'approve' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-kind')).toBe('echo');
    expect(response.headers.get('set-cookie')).toBe('a=1');
    const event = seen.at(-1)!;
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /api/cases/{id}/actions');
    expect(event.pathParameters).toEqual({ id: 'C-7' });
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: '3' });
    expect(event.rawQueryString).toBe('x=1&x=2&y=3');
    expect(event.cookies).toEqual(['session=abc', 'lang=zh']);
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.isBase64Encoded).toBe(false);
    expect(JSON.parse(event.body!)).toEqual({ action: 'approve' });
    expect(event.requestContext.http.method).toBe('POST');
  });

  it('base64-encodes binary bodies and matches greedy paths', async () => {
    await fetch(`${base}/files/2026/scan.pdf`, { method: 'GET' });
    expect(seen.at(-1)!.pathParameters).toEqual({ proxy: '2026/scan.pdf' });
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]);
    await fetch(`${base}/api/cases/1/actions`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes });
    const event = seen.at(-1)!;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
  });

  it('answers a bare handler result as 200 JSON', async () => {
    const response = await fetch(`${base}/bare`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: '你好' });
  });

  it('answers a malformed path with 400 instead of falling over', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(base);
      request({ host: url.hostname, port: url.port, path: '/api/cases/%E0%A4%A/actions', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
    expect((await fetch(`${base}/bare`)).status).toBe(200); // still serving
    const page = await fetch(`${base}/%E0%A4%A`);
    expect([page.status, await page.json()]).toEqual([400, errorShape('validation')]);
  });

  it('refuses a body whose event would not fit Lambda’s 6 MB payload, in the API’s error shape', async () => {
    const response = await fetch(`${base}/api/cases/1/actions`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(5 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(errorShape('too-large', 'body'));
  });

  it('answers a handler crash with a 500 that exposes nothing', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toEqual(errorShape('internal'));
  });

  it('answers an unknown address with 404 in the API’s error shape, and sends any method under /api/ to the catch-all route', async () => {
    const missing = await fetch(`${base}/no/such/thing.txt`);
    expect([missing.status, await missing.json()]).toEqual([404, errorShape('not-found')]);
    const unknown = await fetch(`${base}/api/nothing/here`, { method: 'DELETE' });
    expect(unknown.status).toBe(201);
    expect(seen.at(-1)!.requestContext.http.method).toBe('DELETE');
    expect(seen.at(-1)!.routeKey).toBe('ANY /api/{proxy+}');
    // A named route still wins over the catch-all.
    await fetch(`${base}/api/cases/9/actions`, { method: 'POST', body: '{}' });
    expect(seen.at(-1)!.routeKey).toBe('POST /api/cases/{id}/actions');
  });

  it('passes a JSON body that is not UTF-8 on as its bytes, for the handler to refuse', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    await fetch(`${base}/api/cases/1/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    const event = seen.at(-1)!;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
  });

  it('serves the web form’s files compressed as the browser accepts, with their Cache-Control, and a 304 for the version the browser has', async () => {
    const url = `${base}/assets/big-1234.js`;
    const br = await fetch(url, { headers: { 'accept-encoding': 'gzip;q=0.8, br' } });
    expect([br.headers.get('content-encoding'), br.headers.get('vary'), br.headers.get('cache-control')]).toEqual(['br', 'Accept-Encoding', 'public, max-age=31536000, immutable']);
    expect(Number(br.headers.get('content-length'))).toBeLessThan(500);
    expect(await br.text()).toBe('export const x = 1;\n'.repeat(200));
    // br refused (q=0): gzip; nothing accepted: as it is.
    expect((await fetch(url, { headers: { 'accept-encoding': 'br;q=0, gzip' } })).headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect([plain.headers.get('content-encoding'), plain.headers.get('content-length')]).toEqual([null, '4000']);
    const etag = br.headers.get('etag')!;
    const cached = await fetch(url, { headers: { 'accept-encoding': 'br', 'if-none-match': `"other", ${etag}` } });
    expect([cached.status, cached.headers.get('etag'), cached.headers.get('cache-control'), await cached.text()]).toEqual([304, etag, 'public, max-age=31536000, immutable', '']);
    const head = await fetch(url, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    expect([head.status, head.headers.get('content-encoding'), await head.text()]).toEqual([200, 'gzip', '']);
    // Under 1,000 bytes, or not text: sent as it is (as CloudFront does).
    const small = await fetch(`${base}/small.json`, { headers: { 'accept-encoding': 'br' } });
    expect([small.headers.get('content-encoding'), small.headers.get('cache-control'), await small.text()]).toEqual([null, 'no-cache', '{"ok":true}']);
    expect((await fetch(`${base}/logo.png`, { headers: { 'accept-encoding': 'br' } })).headers.get('content-encoding')).toBeNull();
  });

  it('serves its own local pages only with a valid token', async () => {
    expect((await fetch(`${base}/local/page`)).status).toBe(401);
    expect(await (await fetch(`${base}/local/page`, { headers: { authorization: 'Bearer forged' } })).json()).toEqual(errorShape('unauthenticated'));
    expect(await (await fetch(`${base}/local/page`, { headers: { authorization: 'Bearer good' } })).json()).toEqual({ for: 'xu-liang' });
  });
});
