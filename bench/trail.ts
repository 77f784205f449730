/**
 * bench/trail: opening a case whose trail has grown long (a discussion of thousands of comments),
 * and paging back through it, through the local API. Median of RUNS each.
 *   npm run bench:trail              ENTRIES=100,10000 RUNS=20 LENGTH=2000
 * The case view reads the latest 50 entries and the routing slip's entries, never the whole trail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';
import { bulkComments } from '../tests/support/bulk-load.ts';

const ENTRIES = (process.env.ENTRIES ?? '100,10000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 20);
const LENGTH = Number(process.env.LENGTH ?? 2000);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
try {
  const api = apiClient(system.urls.api);
  console.log(`bench/trail: median of ${RUNS} requests each; comments of ${LENGTH} characters`);
  for (const entries of ENTRIES) {
    const c = await api.open('xu-liang', 'leave', `请假（${entries} 条意见）`, { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '家中有事' });
    await api.settled('xu-liang', c.id);
    await bulkComments(system.urls.dynamodb, c.id, entries, LENGTH);
    const time = async (path: string) => {
      const times: number[] = [];
      let bytes = 0;
      let body: any;
      for (let i = 0; i <= RUNS; i++) {
        const t = performance.now();
        const response = await api.get('xu-liang', path);
        const elapsed = performance.now() - t;
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        body = response.body;
        bytes = JSON.stringify(body).length;
        // The first is a warm-up: DynamoDB Local's JVM compiles its query path on first use.
        if (i > 0) times.push(elapsed);
      }
      return { ms: median(times), bytes, body };
    };
    const open = await time(`/api/cases/${c.id}`);
    const earlier = await time(`/api/cases/${c.id}/trail?limit=100&cursor=${encodeURIComponent(open.body.trailEarlier)}`);
    console.log(
      `${String(entries).padStart(6)} entries: open the case ${open.ms.toFixed(1)} ms (${(open.bytes / 1024).toFixed(0)} KB, ${open.body.trail.length} entries) · ` +
        `the 100 before them ${earlier.ms.toFixed(1)} ms (${(earlier.bytes / 1024).toFixed(0)} KB)`,
    );
  }
} finally {
  await system.stop();
  rmSync(s3Dir, { recursive: true, force: true });
}
