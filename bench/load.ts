/** What the load benches (throughput, numbering) share: the local system on free ports, percentiles, a bounded pool. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../local/system.ts';

/** The local system as `npm start` runs it (in memory, every port free), and how to stop it and drop its files. */
export async function benchSystem(): Promise<{ system: LocalSystem; stop: () => Promise<void> }> {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
  const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
  return {
    system,
    stop: async () => {
      await system.stop();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}

/** The value below which `p` % of the values lie (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `work` on every item, at most `concurrency` at a time, in order of the items. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** `ms` as seconds with one decimal. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** CPU time (ms) used so far by this process (the local system and the bench's clients) and by the processes under it, by command (`java`: DynamoDB Local). Linux only (/proc); undefined elsewhere. */
export function cpuTimes(): Record<string, number> | undefined {
  const TICK_MS = 10; // USER_HZ is 100 on Linux
  const stats = new Map<number, { ppid: number; command: string; ms: number }>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(entry), { ppid: Number(fields[1]), command, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    return undefined;
  }
  const byCommand: Record<string, number> = { node: stats.get(process.pid)?.ms ?? 0 };
  const under = (pid: number): number[] => [...stats].filter(([, s]) => s.ppid === pid).flatMap(([child]) => [child, ...under(child)]);
  for (const pid of under(process.pid)) {
    const { command, ms } = stats.get(pid)!;
    byCommand[command] = (byCommand[command] ?? 0) + ms;
  }
  return byCommand;
}

/**
 * What `count` units of work (numbers, cases) cost in CPU between two readings of cpuTimes(), per
 * unit and by process, and a bound on how many a second the machine could do at that cost: its
 * cores all busy, or the Node process (the local system and the bench's clients, one main thread)
 * busy, whichever comes first. A bound, not a forecast: nothing else may run.
 */
export function cpuPerUnit(before: Record<string, number> | undefined, after: Record<string, number> | undefined, count: number, unit: string): string {
  if (!before || !after) return `  CPU per ${unit}: not measured (no /proc)`;
  if (count === 0) return `  CPU per ${unit}: not measured (none done)`;
  const per = Object.keys(after)
    .map((command) => ({ command, ms: ((after[command] ?? 0) - (before[command] ?? 0)) / count }))
    .filter((p) => p.ms >= 0.05)
    .sort((a, b) => b.ms - a.ms);
  const total = per.reduce((sum, p) => sum + p.ms, 0);
  const cores = availableParallelism();
  const node = per.find((p) => p.command === 'node')?.ms ?? 0;
  const bound = Math.min((cores * 1000) / total, node > 0 ? 1000 / node : Infinity);
  return `  CPU per ${unit.padEnd(12)} ${total.toFixed(1)} ms (${per.map((p) => `${p.command} ${p.ms.toFixed(1)}`).join(', ')}): at most ${bound.toFixed(0)} a second on ${cores} cores`;
}
