/**
 * bench/api: latency of create, inbox and act through the local API, with 1,000 and with 100,000
 * cases already in the table, and the DynamoDB calls each request makes (never a Scan) with the
 * read and write capacity units they consume.
 *   npm run bench:api                 SIZES=1000,100000 REQUESTS=200
 * Background cases are bulk-loaded (case and inbox items; 90% closed, 10% open across the staff).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meter, meterDynamoDb, type Call } from './dynamodb-meter.ts';
import { percentile } from './load.ts';
import { bulkLoad, makeCases } from '../tests/support/bulk-load.ts';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';

const SIZES = (process.env.SIZES ?? '1000,100000').split(',').map(Number);
const REQUESTS = Number(process.env.REQUESTS ?? 200);


async function measure(size: number) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
  const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  try {
    const loadStarted = performance.now();
    const loaded = await bulkLoad(system.urls.dynamodb, makeCases(size, { end: Date.now(), spacingMs: 60_000, openEvery: 10, prefix: 'bulk' }));
    console.log(`  loaded ${size} cases (${loaded} items) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    // Attribute each DynamoDB call, and the capacity it consumed, to the HTTP request that made it.
    meterDynamoDb();
    const [listener] = system.gateway.listeners('request') as ((...a: unknown[]) => void)[];
    system.gateway.removeAllListeners('request');
    let calls: Call[][] = [];
    system.gateway.on('request', (req, res) => {
      const mine: Call[] = [];
      calls.push(mine);
      meter.run(mine, () => listener!(req, res));
    });

    const api = apiClient(system.urls.api);
    for (const user of ['xu-liang', 'zhou-tao']) await api.login(user);
    const timed = async (fn: () => Promise<{ status: number }>, expected: number) => {
      const t = performance.now();
      const r = await fn();
      if (r.status !== expected) throw new Error(`unexpected ${r.status}`);
      return performance.now() - t;
    };
    const report = (name: string, times: number[], perRequest: Call[][]) => {
      const counts = new Map<string, number>();
      let read = 0;
      let write = 0;
      for (const list of perRequest) {
        for (const c of list) {
          counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
          read += c.read;
          write += c.write;
        }
      }
      const per = [...counts].map(([c, n]) => `${c}×${(n / perRequest.length).toFixed(1)}`).join(' ');
      const units = `${(read / perRequest.length).toFixed(1)} read / ${(write / perRequest.length).toFixed(1)} write units`;
      console.log(`  ${name.padEnd(7)} p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms   DynamoDB per request: ${per}; ${units}`);
      if (counts.has('Scan')) throw new Error(`${name} made a Scan`);
    };

    const fields = { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-25', days: 2, reason: '基准测试' };
    const createTimes: number[] = [];
    const ids: string[] = [];
    calls = [];
    for (let i = 0; i < REQUESTS; i++) {
      createTimes.push(
        await timed(async () => {
          const r = await api.post('xu-liang', '/api/cases', { type: 'leave', title: `基准 ${i}`, fields });
          ids.push(r.body.id);
          return r;
        }, 201),
      );
    }
    report('create', createTimes, calls.filter((c) => c.length > 0));

    calls = [];
    const inboxTimes: number[] = [];
    for (let i = 0; i < REQUESTS; i++) inboxTimes.push(await timed(() => api.get('zhou-tao', '/api/tasks?limit=50'), 200));
    report('inbox', inboxTimes, calls);

    // Let the executions record what they wait on, so act measures the steady state.
    await new Promise((r) => setTimeout(r, 1000));
    calls = [];
    const actTimes: number[] = [];
    for (const id of ids) actTimes.push(await timed(() => api.post('zhou-tao', `/api/cases/${id}/actions`, { action: 'approve', version: 1 }), 200));
    report('act', actTimes, calls);
  } finally {
    await system.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

for (const size of SIZES) {
  console.log(`with ${size} cases in the table (${REQUESTS} requests each, sequential):`);
  await measure(size);
}
process.exit(0);
