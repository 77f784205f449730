/**
 * bench/bag-memory: streams a generated handover bag (default 300 MiB: one 128 MiB scan and
 * 172 of 1 MiB, made 64 KiB at a time) through writeBag into verifyBag over a PassThrough, and
 * prints the time and the peak rise of this process's resident memory. Streaming holds a few
 * chunks at a time, so the rise stays far below the payload, and below the largest file.
 *   node --import tsx bench/bag-memory.ts          BAG_MB=300
 */
import { PassThrough } from 'node:stream';
import { verifyBag, writeBag, type BagEntry } from '../functions/adapters/files/bag-writer.ts';

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** Payload sizes adding up to `total`: one large scan (up to 128 MiB), the rest 1 MiB each. */
function scanSizes(total: number): number[] {
  const sizes = [Math.min(128 * MiB, Math.floor(total / 2))];
  for (let left = total - sizes[0]!; left > 0; left -= MiB) sizes.push(Math.min(MiB, left));
  return sizes;
}

/** Entries whose bytes are made as they are read, each chunk a new buffer as an S3 body gives. */
async function* generated(sizes: readonly number[], onChunk: () => void): AsyncIterable<BagEntry> {
  for (const [index, size] of sizes.entries()) {
    yield {
      path: `Z123-2026-D30-BGS-${String(index + 1).padStart(4, '0')}/files/扫描件-${index + 1}.pdf`,
      size,
      open: async function* () {
        for (let offset = 0; offset < size; offset += CHUNK) {
          onChunk();
          yield Buffer.alloc(Math.min(CHUNK, size - offset), (index + offset / CHUNK) % 251);
        }
      },
    };
  }
}

export interface BagMemoryRun {
  readonly payloadBytes: number;
  readonly files: number;
  readonly valid: boolean;
  readonly problems: readonly string[];
  readonly seconds: number;
  /** Peak resident memory above the figure before the run, in bytes. */
  readonly peakRssIncrease: number;
}

/** Writes and verifies one generated bag in this process, sampling resident memory on every chunk. */
export async function measureBagMemory(totalBytes: number): Promise<BagMemoryRun> {
  const sizes = scanSizes(totalBytes);
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    const tarStream = new PassThrough();
    const [summary, check] = await Promise.all([
      writeBag(tarStream, 'bag-memory', generated(sizes, sample), { 'Source-Organization': '基准' }),
      verifyBag(tarStream),
    ]);
    sample();
    return {
      payloadBytes: summary.bytes,
      files: check.files,
      valid: check.valid,
      problems: check.problems,
      seconds: (performance.now() - started) / 1000,
      peakRssIncrease: peak - before,
    };
  } finally {
    clearInterval(timer);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const run = await measureBagMemory(Number(process.env.BAG_MB ?? 300) * MiB);
  console.log(
    `${(run.payloadBytes / MiB).toFixed(0)} MiB in ${run.files} files written and verified in ${run.seconds.toFixed(2)} s ` +
      `(${(run.payloadBytes / MiB / run.seconds).toFixed(0)} MiB/s); valid: ${run.valid}; ` +
      `peak resident memory +${(run.peakRssIncrease / MiB).toFixed(1)} MiB`,
  );
  if (!run.valid) console.log(run.problems.join('\n'));
}
