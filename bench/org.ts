/**
 * bench/org: saving and reading a large org chart through the local API (PUT and GET /api/org),
 * and what it costs every other request (GET /api/me reads the chart). Median of RUNS each.
 *   npm run bench:org              PEOPLE=15,5000 DEPARTMENTS=300 RUNS=10
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';
import { bigOrg } from '../tests/support/big-org.ts';

const PEOPLE = (process.env.PEOPLE ?? '15,5000').split(',').map(Number);
const DEPARTMENTS = Number(process.env.DEPARTMENTS ?? 300);
const RUNS = Number(process.env.RUNS ?? 10);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
try {
  const api = apiClient(system.urls.api);
  console.log(`bench/org: median of ${RUNS} requests each`);
  for (const people of PEOPLE) {
    const org = bigOrg(people, people <= 15 ? 4 : DEPARTMENTS);
    const bytes = JSON.stringify(org).length;
    const put: number[] = [];
    const get: number[] = [];
    const me: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const version = (await api.get('chen-zhiqiang', '/api/org')).body.version as number;
      let t = performance.now();
      const saved = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version, org: { ...org, name: `${org.name} ${i}` } });
      const putMs = performance.now() - t;
      if (saved.status !== 200) throw new Error(`PUT /api/org: ${saved.status} ${JSON.stringify(saved.body).slice(0, 200)}`);
      t = performance.now();
      const read = await api.get('xu-liang', '/api/org');
      const getMs = performance.now() - t;
      if (read.body.people.length !== people) throw new Error(`GET /api/org: ${read.body.people.length} people`);
      t = performance.now();
      await api.get('xu-liang', '/api/me');
      const meMs = performance.now() - t;
      // The first round is a warm-up.
      if (i > 0) put.push(putMs), get.push(getMs), me.push(meMs);
    }
    console.log(
      `${String(people).padStart(5)} people, ${String(org.departments.length).padStart(3)} departments (${(bytes / 1024).toFixed(0)} KB of JSON): ` +
        `PUT ${median(put).toFixed(0)} ms · GET ${median(get).toFixed(0)} ms · GET /api/me ${median(me).toFixed(1)} ms`,
    );
  }
} finally {
  await system.stop();
  rmSync(s3Dir, { recursive: true, force: true });
}
