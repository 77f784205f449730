/**
 * bench/startup: how long `npm start` takes to be ready, and how much memory the whole local
 * system (Node + the DynamoDB Local JVM + watchdog shell) holds once ready. Five runs, each on a
 * fresh data folder and free ports; prints every run and the medians.
 *   npm run bench:startup            (RUNS=5 by default)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.RUNS ?? 5);
const PAGE_KB = 4;

/** Resident memory (MB) of every process in a process group, from /proc. */
function groupRssMb(pgid: number): { mb: number; processes: number } {
  let pages = 0;
  let processes = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5 (pgrp), counted after the command name
      pages += Number(fields[21]); // field 24 (rss)
      processes++;
    } catch {
      // the process ended while we looked
    }
  }
  return { mb: (pages * PAGE_KB) / 1024, processes };
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

const runs = [];
for (let i = 1; i <= RUNS; i++) {
  const run = await once();
  runs.push(run);
  console.log(`run ${i}: ready in ${(run.readyMs / 1000).toFixed(2)} s, resident ${run.rssMb.toFixed(0)} MB in ${run.processes} processes`);
}
console.log(
  `median of ${RUNS}: time-to-ready ${(median(runs.map((r) => r.readyMs)) / 1000).toFixed(2)} s, resident memory ${median(runs.map((r) => r.rssMb)).toFixed(0)} MB`,
);
