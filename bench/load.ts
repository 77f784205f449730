/** What the load benches (throughput, numbering) share: the local system on free ports, percentiles, a bounded pool. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
