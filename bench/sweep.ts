/**
 * bench/sweep: the daily overdue sweep's time and DynamoDB reads with 1,000 and with 100,000
 * closed cases in the table beside the same 500 open ones. Neither may grow with closed cases:
 * the sweep reads the sparse due-time index, which holds open cases only.
 *   npm run bench:sweep            CLOSED=1000,100000 OPEN=500 RUNS=5
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoDb } from '../functions/adapters/aws.ts';
import { defaultDeps } from '../functions/adapters/deps.ts';
import { sweepOverdue } from '../functions/domain/cases/sweep-overdue.ts';
import { ManualClock } from '../local/clock.ts';
import { startLocalSystem } from '../local/system.ts';
import { bulkLoad, makeCases } from '../tests/support/bulk-load.ts';

const CLOSED = (process.env.CLOSED ?? '1000,100000').split(',').map(Number);
const OPEN = Number(process.env.OPEN ?? 500);
const RUNS = Number(process.env.RUNS ?? 5);
const AT = Date.parse('2026-11-23T00:30:00Z');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const closed of CLOSED) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-sweep-s3-'));
  const system = await startLocalSystem({ s3Dir, clock: new ManualClock(AT), ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  try {
    // `open` open cases, spread over the last days; `closed` completed ones older than them.
    const openCases = makeCases(OPEN, { end: AT, spacingMs: 10 * 60_000, openEvery: 1, prefix: 'open' });
    const closedCases = makeCases(closed, { end: AT - OPEN * 10 * 60_000, spacingMs: 60_000, openEvery: closed + 1, prefix: 'closed' }).slice(1);
    await bulkLoad(system.urls.dynamodb, [...openCases, ...closedCases]);
    let reads = 0;
    dynamoDb().middlewareStack.add(
      (next, context) => async (args) => {
        if (['QueryCommand', 'GetItemCommand', 'ScanCommand', 'BatchGetItemCommand'].includes(String(context.commandName))) reads++;
        if (context.commandName === 'ScanCommand') throw new Error('the sweep made a Scan');
        return next(args);
      },
      { step: 'initialize', name: 'benchReads' },
    );
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof sweepOverdue>> | undefined;
    let readsPerRun = 0;
    for (let i = 0; i < RUNS; i++) {
      reads = 0;
      const started = performance.now();
      last = await sweepOverdue(defaultDeps(), AT);
      times.push(performance.now() - started);
      readsPerRun = reads;
    }
    console.log(
      `${String(closed).padStart(6)} closed + ${OPEN} open: sweep median ${median(times).toFixed(0)} ms of ${RUNS}; ` +
        `${readsPerRun} read requests, ${last!.itemsRead} index items read; found ${last!.overdue.length} overdue, ${last!.dueSoon.length} due soon`,
    );
  } finally {
    await system.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
process.exit(0);
