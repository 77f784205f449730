import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { topology } from '../../infra/topology.ts';
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

  it('answers an unknown page address with the web form (which says the page does not exist), an unknown file or API route with 404, and serves no file outside web/', async () => {
    const page = await fetch(`${system.urls.api}/no/such/page`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect((await fetch(`${system.urls.api}/no/such/file.txt`)).status).toBe(404);
    expect((await fetch(`${system.urls.api}/..%2Fpackage.json`)).status).toBe(404);
    const api = await fetch(`${system.urls.api}/api/no/such/route`);
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not-found']);
    expect((await fetch(`${system.urls.api}/health`, { method: 'DELETE' })).status).toBe(404);
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
