/**
 * bench/startup: how long `npm start` takes to be ready, and how much memory the whole local
 * system (Node + the DynamoDB Local JVM + watchdog shell) holds once ready. Five runs, each on a
 * fresh data folder and free ports; prints every run and the medians.
 *   npm run bench:startup            (RUNS=5 by default)
 * With CASES, on a folder that already holds that many cases, one in OPEN_EVERY of them open (the
 * folder is built once, then each run restarts the system on it): the time until the API listens
 * (goal 10 s), and the system's resident memory, at that moment and at its peak while the open
 * cases' executions are resumed in the background (goal under 1 GB throughout), until the log says
 * they all are.
 *   CASES=100000 OPEN_EVERY=8 RUNS=3 npm run bench:startup      (WATCH_S=900: how long to watch the resumption)
 * FOLDER=/path keeps the folder (built there on the first run) for the next runs.
 */
import { spawn } from 'node:child_process';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { freePort } from '../local/http-util.ts';
import { bulkLoad, makeCases } from '../tests/support/bulk-load.ts';
import { apiClient } from '../tests/support/api.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const CASES = Number(process.env.CASES ?? 0);
const OPEN_EVERY = Number(process.env.OPEN_EVERY ?? 8);
const LISTEN_GOAL_MS = 10_000;
const MEMORY_GOAL_MB = 1024;
const PAGE_KB = 4;
/** How long a run watches the executions being resumed (and the memory) before it stops the system. */
const WATCH_S = Number(process.env.WATCH_S ?? 900);

/** Resident memory (MB) of every process in a process group, from /proc, in all and by command (node, java, sh). */
function groupRssMb(pgid: number): { mb: number; processes: number; byCommand: Record<string, number> } {
  let pages = 0;
  let processes = 0;
  const byCommand: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5 (pgrp), counted after the command name
      const rss = Number(fields[21]); // field 24 (rss)
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      pages += rss;
      byCommand[command] = (byCommand[command] ?? 0) + (rss * PAGE_KB) / 1024;
      processes++;
    } catch {
      // the process ended while we looked
    }
  }
  return { mb: (pages * PAGE_KB) / 1024, processes, byCommand };
}

async function once(): Promise<{ readyMs: number; rssMb: number; processes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bangong-bench-'));
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    detached: true, // its own process group, so the JVM is counted and stopped with it
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0', SFN_PORT: '0', SCHEDULER_PORT: '0', SES_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready in 90 s:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    const health = await fetch(`${/Health\s+(\S+)/.exec(output)![1]}`);
    if (health.status !== 200) throw new Error(`health answered ${health.status}`);
    const { mb, processes } = groupRssMb(child.pid!);
    return { readyMs, rssMb: mb, processes };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

if (CASES > 0) await onAFolderWithCases();
else await onFreshFolders();

async function onFreshFolders(): Promise<void> {
  const runs = [];
  for (let i = 1; i <= RUNS; i++) {
    const run = await once();
    runs.push(run);
    console.log(`run ${i}: ready in ${(run.readyMs / 1000).toFixed(2)} s, resident ${run.rssMb.toFixed(0)} MB in ${run.processes} processes`);
  }
  console.log(
    `median of ${RUNS}: time-to-ready ${(median(runs.map((r) => r.readyMs)) / 1000).toFixed(2)} s, resident memory ${median(runs.map((r) => r.rssMb)).toFixed(0)} MB`,
  );
}

/** `npm start` on a folder until it listens; `until` (a line of its output) then decides when the run ends. */
async function startOn(dataDir: string, until?: RegExp, onLine?: () => void) {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0', SFN_PORT: '0', SCHEDULER_PORT: '0', SES_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      onLine?.();
      if (output.includes('Press Ctrl+C')) resolve(performance.now() - started);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const finished = until
    ? new Promise<number>((resolve) => {
        const timer = setInterval(() => {
          if (until.test(output)) {
            clearInterval(timer);
            resolve(performance.now() - started);
          }
        }, 100);
      })
    : Promise.resolve(0);
  const stopped = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  return { child, ready, finished, stopped, output: () => output };
}

/** How many executions the local Step Functions endpoint (its URL read from the start's output) has running (started since the start, and waiting or working). */
async function runningExecutions(output: string): Promise<number> {
  const endpoint = /Step Functions\s+(\S+)/.exec(output)![1]!;
  const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let count = 0;
  for (const machine of (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, statusFilter: 'RUNNING', nextToken }));
      count += page.executions?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
  }
  sfn.destroy();
  return count;
}

async function onAFolderWithCases(): Promise<void> {
  // FOLDER: kept after the run, built there first if it holds no database yet; otherwise a new
  // folder, removed at the end.
  const kept = process.env.FOLDER;
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), 'bangong-bench-cases-'));
  try {
    if (!kept || !existsSync(join(dataDir, 'dynamodb'))) await buildFolder(dataDir);
    await restarts(dataDir);
  } finally {
    // Retried: the stopped system's JVM may still be writing its last files as the folder goes.
    if (!kept) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  }
}

async function buildFolder(dataDir: string): Promise<void> {
  {
    // The folder: the system makes its table and org chart and indexes one case of its own (a
    // folder in use has a search index), then DynamoDB Local alone takes the bulk of the cases.
    const first = await startOn(dataDir);
    await first.ready;
    const api = apiClient(/Web & API\s+(\S+?)\/?\s/.exec(first.output())![1]!);
    await api.open('ma-chao', 'leave', '马超请假1天', { leaveType: 'annual', startDate: '2026-12-01', endDate: '2026-12-01', reason: '探亲' });
    // Stopped once the case is in the search index: an empty index would be filled from the whole
    // table at the next start (the upgrade of a folder from before search), which is not a restart.
    for (let tries = 0; !(await api.get('ma-chao', `/api/search?${new URLSearchParams({ q: '探亲' })}`)).body.items?.length; tries++) {
      if (tries === 600) throw new Error('the first case was not indexed within a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await first.stopped();
    const host = '127.0.0.1';
    // DynamoDB Local takes any region and key.
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    const dynamodb = await startDynamoDbLocal({ host, port: await freePort(host), dataDir: join(dataDir, 'dynamodb') });
    const loadStarted = performance.now();
    const cases = makeCases(CASES, { end: Date.now(), spacingMs: 60_000, openEvery: OPEN_EVERY, prefix: 'bulk' });
    const open = cases.filter((c) => c.status === 'open').length;
    await bulkLoad(dynamodb.endpoint, cases);
    await dynamodb.stop();
    console.log(`folder: ${CASES} cases, ${open} open, loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);
  }
}

async function restarts(dataDir: string): Promise<void> {
  {
    const runs = [];
    for (let i = 1; i <= RUNS; i++) {
      let peakMb = 0;
      let peakBy: Record<string, number> = {};
      const system = await startOn(dataDir, /Resumed the executions of \d+ open cases/);
      const sample = () => {
        const now = groupRssMb(system.child.pid!);
        if (now.mb > peakMb) [peakMb, peakBy] = [now.mb, now.byCommand];
      };
      const sampler = setInterval(sample, 250);
      try {
        const listenMs = await system.ready;
        const atListenMb = groupRssMb(system.child.pid!).mb;
        const resumedMs = await Promise.race([system.finished, new Promise<number>((r) => setTimeout(() => r(NaN), WATCH_S * 1000))]);
        sample();
        const resumed = /Resumed the executions of (\d+) open cases/.exec(system.output())?.[1] ?? '0';
        runs.push({ listenMs, atListenMb, peakMb, resumedMs });
        console.log(
          `run ${i}: listening in ${(listenMs / 1000).toFixed(2)} s (${atListenMb.toFixed(0)} MB); ` +
            (Number.isNaN(resumedMs)
              ? `${await runningExecutions(system.output())} executions running after ${WATCH_S} s of watching, not all resumed yet`
              : `${resumed} executions resumed ${(resumedMs / 1000).toFixed(0)} s after the start`) +
            `; peak ${peakMb.toFixed(0)} MB (${Object.entries(peakBy)
              .filter(([, mb]) => mb >= 1)
              .map(([command, mb]) => `${command} ${mb.toFixed(0)}`)
              .join(', ')})`,
        );
      } finally {
        clearInterval(sampler);
        await system.stopped();
      }
    }
    const listen = median(runs.map((r) => r.listenMs));
    const peak = median(runs.map((r) => r.peakMb));
    console.log(
      `median of ${RUNS}: listening in ${(listen / 1000).toFixed(2)} s (goal ${LISTEN_GOAL_MS / 1000} s, ratio ${(listen / LISTEN_GOAL_MS).toFixed(2)}); ` +
        `peak resident ${peak.toFixed(0)} MB (goal ${MEMORY_GOAL_MB} MB, ratio ${(peak / MEMORY_GOAL_MB).toFixed(2)}); resumed after ${(median(runs.map((r) => r.resumedMs)) / 1000).toFixed(0)} s`,
    );
  }
}
