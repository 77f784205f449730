/**
 * bench/registers: reading and exporting a year's register through the local API, with 1,000 and
 * 10,000 cases of the process in the year; median of 5 each, and the process's resident memory.
 *   npm run bench:registers              SIZES=1000,10000 RUNS=5
 * Every line's entry is read from the `register` index, then its case (BatchGetItem), never a Scan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bulkLoad, makeCases } from '../tests/support/bulk-load.ts';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';

const SIZES = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function measure(size: number) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
  const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  try {
    // This year's cases, one a minute up to now (all in the current year in China).
    const yearStart = Date.UTC(new Date().getUTCFullYear(), 0, 1);
    const spacing = Math.max(1_000, Math.floor((Date.now() - yearStart) / (size + 1)));
    await bulkLoad(system.urls.dynamodb, makeCases(size, { end: Date.now(), spacingMs: spacing, openEvery: 10, prefix: 'reg' }));
    const api = apiClient(system.urls.api);
    const token = await api.login('chen-zhiqiang');
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const time = async (path: string, check: (r: Response) => Promise<void>) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await fetch(`${system.urls.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
        await check(r);
        times.push(performance.now() - t);
      }
      return median(times);
    };
    // One untimed read first: DynamoDB Local's JVM compiles its query path on first use.
    await fetch(`${system.urls.api}/api/registers/leave?year=${year}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
    const rssBefore = process.memoryUsage().rss;
    let rows = 0;
    const view = await time(`/api/registers/leave?year=${year}`, async (r) => {
      rows = ((await r.json()) as { rows: unknown[] }).rows.length;
    });
    let bytes = 0;
    const xlsx = await time(`/api/registers/leave/export?year=${year}&format=xlsx`, async (r) => {
      if (r.status !== 200) throw new Error(`export ${r.status}`);
      bytes = (await r.arrayBuffer()).byteLength;
    });
    const csv = await time(`/api/registers/leave/export?year=${year}&format=csv`, async (r) => void (await r.arrayBuffer()));
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `${String(size).padStart(6)} cases: view ${view.toFixed(0)} ms (${rows} rows) · xlsx ${xlsx.toFixed(0)} ms (${(bytes / 1024).toFixed(0)} KB) · csv ${csv.toFixed(0)} ms · process RSS ${mb(rssBefore)} → ${mb(rssAfter)}`,
    );
  } finally {
    await system.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}

console.log(`bench/registers: median of ${RUNS} requests each, the leave register of this year`);
for (const size of SIZES) await measure(size);
