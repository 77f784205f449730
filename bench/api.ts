/**
 * bench/api: latency of create, inbox and act through the local API, with 1,000 and with 100,000
 * cases already in the table, and the DynamoDB calls each request makes (never a Scan).
 *   npm run bench:api                 SIZES=1000,100000 REQUESTS=200
 * Background cases are bulk-loaded (case and inbox items; 90% closed, 10% open across the staff).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClients } from '../functions/adapters/aws.ts';
import { DynamoCaseStore } from '../functions/adapters/dynamodb/case-store.ts';
import { decide, openCase } from '../functions/domain/cases/engine.ts';
import { catalog } from '../functions/domain/definitions/catalog/index.ts';
import { WorkingCalendar } from '../functions/domain/calendar/working-calendar.ts';
import { demoOrg } from '../functions/domain/org/demo-org.ts';
import { OrgChart, OrgInputSchema } from '../functions/domain/org/org.ts';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';

const SIZES = (process.env.SIZES ?? '1000,100000').split(',').map(Number);
const REQUESTS = Number(process.env.REQUESTS ?? 200);
const STAFF = ['xu-liang', 'ma-chao', 'wu-min', 'hu-jun', 'liu-fang', 'huang-li'];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function bulkLoad(endpoint: string, count: number): Promise<number> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoCaseStore(db, 'bangong');
  const org = new OrgChart({ ...OrgInputSchema.parse(demoOrg), version: 1, updatedAt: new Date().toISOString() });
  const leave = [...catalog.values()].find((d) => d.type === 'leave')!;
  let seq = 0;
  const items: Record<string, unknown>[] = [];
  const started = Date.now() - count * 60_000;
  for (let i = 0; i < count; i++) {
    const now = started + i * 60_000;
    const ctx = { definition: leave, org, calendar: new WorkingCalendar(), now, newId: () => `b${++seq}` };
    const applicantId = STAFF[i % STAFF.length]!;
    const opened = openCase(ctx, { id: `bulk-${i}`, title: `请假 ${i}`, fields: { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 0.5, reason: '事' }, applicantId });
    let c = opened.case;
    if (i % 10 !== 0) {
      const approver = c.slots[0]!.personId;
      c = decide(c, ctx, approver, { action: 'approve' }).case;
      c = { ...c, status: 'completed', stepIndex: leave.steps.length, slots: [] };
    }
    items.push(...store.bulkItems(c));
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let batch: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (batch && batch.length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: { bangong: batch } }));
          batch = result.UnprocessedItems?.bangong as typeof batch;
        }
      }
    }),
  );
  db.destroy();
  return items.length;
}

async function measure(size: number) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
  const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  try {
    const loadStarted = performance.now();
    const loaded = await bulkLoad(system.urls.dynamodb, size);
    console.log(`  loaded ${size} cases (${loaded} items) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    // Attribute each DynamoDB call to the HTTP request that made it.
    const requestCalls = new AsyncLocalStorage<string[]>();
    awsClients().dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        requestCalls.getStore()?.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'benchCount' },
    );
    const [listener] = system.gateway.listeners('request') as ((...a: unknown[]) => void)[];
    system.gateway.removeAllListeners('request');
    let calls: string[][] = [];
    system.gateway.on('request', (req, res) => {
      const mine: string[] = [];
      calls.push(mine);
      requestCalls.run(mine, () => listener!(req, res));
    });

    const api = apiClient(system.urls.api);
    for (const user of ['xu-liang', 'zhou-tao']) await api.login(user);
    const timed = async (fn: () => Promise<{ status: number }>, expected: number) => {
      const t = performance.now();
      const r = await fn();
      if (r.status !== expected) throw new Error(`unexpected ${r.status}`);
      return performance.now() - t;
    };
    const report = (name: string, times: number[], perRequest: string[][]) => {
      const counts = new Map<string, number>();
      for (const list of perRequest) for (const c of list) counts.set(c, (counts.get(c) ?? 0) + 1);
      const per = [...counts].map(([c, n]) => `${c}×${(n / perRequest.length).toFixed(1)}`).join(' ');
      console.log(`  ${name.padEnd(7)} p50 ${percentile(times, 50).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms   DynamoDB per request: ${per}`);
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
