import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { topology } from '../../infra/topology.ts';
import { webContentSecurityPolicy } from '../../web/security-headers.ts';
import { givenLocalSystem } from '../support/local-system.ts';

describe('the local system (embedded default)', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  });
  afterAll(() => system?.stop());

  it('answers GET /health with 200 and every component up, checked through the AWS SDK', async () => {
    const response = await fetch(`${system.urls.api}/health`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { status: string; components: Record<string, unknown> };
    expect(report.status).toBe('up');
    expect(Object.keys(report.components).sort()).toEqual(['dynamodb', 'email', 's3', 'scheduler', 'stepfunctions']);
    for (const component of Object.values(report.components)) expect(component).toMatchObject({ status: 'up' });
  });

  it('creates the table with the keys and indexes the topology declares', async () => {
    const client = new DynamoDBClient({ endpoint: system.urls.dynamodb });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
    client.destroy();
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([topology.table.partitionKey, topology.table.sortKey]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(topology.table.indexes.map((i) => i.name).sort());
  });

  it('serves the web form at /', async () => {
    const response = await fetch(`${system.urls.api}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('办公');
  });

  it('serves every file of the web form with CloudFront’s security headers: scripts and styles from the site only, calls to the site and the S3 endpoint, no framing, no sniffing', async () => {
    const html = await (await fetch(`${system.urls.api}/`)).text();
    const files = ['/', '/no/such/page', '/config.json', '/favicon.svg', ...[...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const response = await fetch(`${system.urls.api}${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-security-policy'), file).toBe(webContentSecurityPolicy([system.urls.s3]));
      expect([response.headers.get('x-content-type-options'), response.headers.get('x-frame-options'), response.headers.get('referrer-policy')], file).toEqual(['nosniff', 'DENY', 'strict-origin-when-cross-origin']);
    }
    expect(webContentSecurityPolicy([system.urls.s3])).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; frame-src blob:; connect-src 'self' ${system.urls.s3}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
    );
    // The API answers as API Gateway does, without the web form's headers.
    expect((await fetch(`${system.urls.api}/health`)).headers.get('content-security-policy')).toBeNull();
  });

  it('answers an unknown page address with the web form (which says the page does not exist), an unknown file or API route with 404, and serves no file outside web/', async () => {
    const page = await fetch(`${system.urls.api}/no/such/page`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect((await fetch(`${system.urls.api}/no/such/file.txt`)).status).toBe(404);
    expect((await fetch(`${system.urls.api}/..%2Fpackage.json`)).status).toBe(404);
    const api = await fetch(`${system.urls.api}/api/no/such/route`);
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not-found']);
    expect((await fetch(`${system.urls.api}/health`, { method: 'DELETE' })).status).toBe(404);
  });

  it('serves the production build: hashed files cached for a year, the page and config.json revalidated, each compressed as the browser accepts and tagged for a 304', async () => {
    const page = await fetch(`${system.urls.api}/`, { headers: { 'accept-encoding': 'br' } });
    expect([page.headers.get('cache-control'), page.headers.get('content-encoding'), page.headers.get('vary')]).toEqual(['no-cache', 'br', 'Accept-Encoding']);
    const html = await page.text();
    const app = /<script type="module" src="(\/assets\/app-[A-Z0-9]+\.js)">/.exec(html)?.[1];
    expect(app).toBeDefined();
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app-[A-Z0-9]+\.css">/);
    // The chunks the entry (with the inbox) imports are fetched beside it, not one after another.
    expect(html).toMatch(/<link rel="modulepreload" href="\/assets\/chunk-[A-Z0-9]+\.js">/);

    const br = await fetch(`${system.urls.api}${app}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect([br.status, br.headers.get('content-type'), br.headers.get('content-encoding'), br.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'br', 'public, max-age=31536000, immutable']);
    const script = await br.text();
    expect(script).not.toMatch(/\n\s+\S/); // minified
    const gzip = await fetch(`${system.urls.api}${app}`, { headers: { 'accept-encoding': 'gzip' } });
    expect([gzip.headers.get('content-encoding'), await gzip.text()]).toEqual(['gzip', script]);
    const plain = await fetch(`${system.urls.api}${app}`, { headers: { 'accept-encoding': 'identity' } });
    expect([plain.headers.get('content-encoding'), plain.headers.get('content-length')]).toEqual([null, String(Buffer.byteLength(script))]);

    const again = await fetch(`${system.urls.api}${app}`, { headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.get('etag')! } });
    expect([again.status, await again.text()]).toEqual([304, '']);
    // Another encoding is another representation: its tag does not match.
    expect((await fetch(`${system.urls.api}${app}`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': br.headers.get('etag')! } })).status).toBe(200);

    const config = await fetch(`${system.urls.api}/config.json`);
    expect([config.headers.get('cache-control'), ((await config.json()) as { auth: { mode: string } }).auth.mode]).toEqual(['no-cache', 'dev']);
    const unknown = await fetch(`${system.urls.api}/no/such/page`);
    expect([unknown.status, unknown.headers.get('cache-control'), await unknown.text()]).toEqual([200, 'no-cache', html]);
    expect((await fetch(`${system.urls.api}/assets/app-NOSUCHFILE.js`)).status).toBe(404);
  });

  it('refuses a request body over API Gateway’s 10 MB limit with 413', async () => {
    const status = await postBytes(`${system.urls.api}/health`, 10 * 1024 * 1024 + 1);
    expect(status).toBe(413);
  });
});

function postBytes(target: string, size: number): Promise<number> {
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers: { 'content-length': size } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(Buffer.alloc(size));
  });
}
