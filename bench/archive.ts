/**
 * bench/archive: the archive at the scale of a big year — ITEMS filed items of 1–3 scans each
 * (tests/support/bulk-archive.ts) on the local system, then:
 * 1. the year's 四性检测 (checkYear), the first time: every item is read, probed and its trail
 *    verified, and its 归档章 copy stamped (as filing would have done);
 * 2. the handover (buildHandover): the 四性检测 again (now every copy is stamped), the report as
 *    JSON and XLSX, and the BagIt tar streamed into S3 — each part timed on its own;
 * 3. the package streamed back from S3 through verifyBag.
 * The process's resident memory is sampled every 100 ms from a worker thread (so a busy event
 * loop does not hide a peak) and printed beside the payload: the handover streams, so its peak
 * growth should stay far below the year's bytes. s3rver runs in this process and counts in it;
 * DynamoDB Local is a JVM of its own and does not.
 *   npm run bench:archive                ITEMS=10000 YEAR=2026 HEAP=0
 * HEAP=1 collects garbage at every progress line and prints the live heap (needs --expose-gc, as
 * the npm script runs it): slower, and the peaks are then lower than in a Lambda.
 */
import { Worker } from 'node:worker_threads';
import { archiveDeps } from '../functions/adapters/archive-deps.ts';
import { verifyBag } from '../functions/adapters/files/bag-writer.ts';
import { checkYear, reportKey } from '../functions/domain/archive/check-archive.ts';
import { buildHandover, type HandoverDeps } from '../functions/domain/archive/handover.ts';
import type { ArchiveJob, FileStore, VaultStore } from '../functions/domain/ports.ts';
import { bulkArchiveYear } from '../tests/support/bulk-archive.ts';
import { givenLocalSystem } from '../tests/support/local-system.ts';
import { topology } from '../infra/topology.ts';

const ITEMS = Number(process.env.ITEMS ?? 10_000);
const YEAR = Number(process.env.YEAR ?? 2026);
const LIVE_HEAP = process.env.HEAP === '1';
const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
/** A change of memory, signed: what is freed during a phase shows as less. */
const grown = (bytes: number) => `${bytes < 0 ? '−' : '+'}${mib(Math.abs(bytes))}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** The highest resident memory since the last reset, sampled off the main thread. */
function rssSampler() {
  const shared = new Float64Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Float64Array(workerData);
     setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak[0]) peak[0] = rss; }, 100);`,
    { eval: true, workerData: shared.buffer, execArgv: [] },
  );
  worker.unref();
  return {
    reset: () => (shared[0] = process.memoryUsage.rss()),
    peak: () => Math.max(shared[0]!, process.memoryUsage.rss()),
    stop: () => worker.terminate(),
  };
}

/** Bytes that pass through a body as it is read. */
async function* counted(body: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    add(chunk.byteLength);
    yield chunk;
  }
}

const figures: [string, string][] = [];
const figure = (name: string, value: string) => {
  figures.push([name, value]);
  console.log(`${name}: ${value}`);
};

// No stream consumers (givenLocalSystem's default) and no schedules: nothing but the bench runs in the process.
const system = await givenLocalSystem({ topology: { ...topology, schedules: [] }, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
const rss = rssSampler();
// A run of the full year takes most of an hour: stopped early, it still leaves no emulator or temp folder behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void system.stop().finally(() => process.exit(130)));
try {
  console.log(`bench/archive: ${ITEMS} items filed in ${YEAR}, 1–3 scans each (PDF, 1–3 pages)`);
  let started = performance.now();
  const loaded = await bulkArchiveYear(system.urls, {
    count: ITEMS,
    year: YEAR,
    progress: (done) => {
      if (done % 2000 === 0 || done === ITEMS) console.log(`  loaded ${done} items (${seconds(performance.now() - started)})`);
    },
  });
  const loadMs = performance.now() - started;
  figure('load (context, not a product figure)', `${seconds(loadMs)} · ${loaded.items} items, ${loaded.files} scans (${loaded.pages} pages), ${mib(loaded.scanBytes)} of scans, ${loaded.tableItems} table items (making ${seconds(loaded.ms.make)}, S3 PUTs ${seconds(loaded.ms.upload)}, table writes ${seconds(loaded.ms.write)}, the last two side by side)`);

  // The bench counts what the use cases read, times each port they call, and notes when the check's
  // report is written (the end of the check inside a handover).
  const base = archiveDeps();
  const read = { scans: 0, vault: 0 };
  const spent = new Map<string, { ms: number; calls: number }>();
  const timed = <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const started = performance.now();
    try {
      return await call(...args);
    } finally {
      const so = spent.get(name) ?? { ms: 0, calls: 0 };
      spent.set(name, { ms: so.ms + performance.now() - started, calls: so.calls + 1 });
    }
  };
  /** The port with some methods replaced (its class's other methods still reach its own fields). */
  const port = <T extends object>(original: T, replaced: Partial<T>): T => Object.assign(Object.create(original) as T, replaced);
  let reportWritten: (() => void) | undefined;
  let bagStarted = 0;
  let reportPeak = 0;
  let packaged = 0;
  /** Resident memory at each tenth of the bag's scans: the peak at its start is often the report's garbage, not yet collected. */
  const streaming: number[] = [];
  const stamp = base.stamp;
  const deps: HandoverDeps = {
    ...base,
    cases: port(base.cases, { get: timed('cases.get', (id) => base.cases.get(id)), chain: timed('cases.chain', (id) => base.cases.chain(id)) }),
    access: port(base.access, { history: timed('access.history', (id) => base.access.history(id)) }),
    archive: port(base.archive, { recordCheck: timed('archive.recordCheck', (id, change) => base.archive.recordCheck(id, change)) }),
    numbering: port(base.numbering, { uses: timed('numbering.uses', (kind, year) => base.numbering.uses(kind, year)) }),
    files: port<FileStore>(base.files, {
      lockOf: timed('files.lockOf (HEAD)', (key) => base.files.lockOf(key)),
      open: timed('files.open (GET, to the body)', async (key) => {
        const opened = await base.files.open(key);
        if (bagStarted && ++packaged % Math.ceil(loaded.files / 10) === 0) {
          const resident = process.memoryUsage.rss();
          streaming.push(resident);
          if (LIVE_HEAP) gc();
          console.log(`  packaged ${packaged} scans · resident ${mib(resident)}${LIVE_HEAP ? ` · live heap ${mib(process.memoryUsage().heapUsed)}, buffers ${mib(process.memoryUsage().arrayBuffers)}` : ''}`);
        }
        return { ...opened, body: counted(opened.body, (n) => (read.scans += n)) };
      }),
    }),
    vault: port<VaultStore>(base.vault, {
      get: timed('vault.get', async (key) => {
        const bytes = await base.vault.get(key);
        read.vault += bytes?.length ?? 0;
        return bytes;
      }),
      create: timed('vault.create', async (key, bytes, contentType, options) => {
        const created = await base.vault.create(key, bytes, contentType, options);
        if (/\/checks\/[^/]+\.json$/.test(key)) reportWritten?.();
        return created;
      }),
    }),
    probe: timed('probe (pdfjs)', (bytes, type) => base.probe(bytes, type)),
    stamp: stamp && timed('stamp (归档章)', (pdf, fields) => stamp(pdf, fields)),
    writeBag: (sink, root, entries, info) => {
      bagStarted = performance.now();
      reportPeak = rss.peak();
      rss.reset();
      return base.writeBag(sink, root, entries, info);
    },
  };
  /** Prints how far a long check got, every tenth of the year: its pace since the last line, and resident memory. */
  const progress = () => {
    let last = { at: performance.now(), done: 0 };
    return async (done: number, total: number) => {
      if (done % Math.max(100, Math.ceil(total / 1000) * 100) !== 0) return;
      const now = performance.now();
      const resident = process.memoryUsage.rss();
      // HEAP=1: what is still reachable at this point (a full collection first), to tell held memory from garbage not yet collected.
      if (LIVE_HEAP) gc();
      const heap = LIVE_HEAP ? ` · live heap ${mib(process.memoryUsage().heapUsed)}, buffers ${mib(process.memoryUsage().arrayBuffers)}` : '';
      console.log(`  checked ${done}/${total} · ${((done - last.done) / ((now - last.at) / 1000)).toFixed(1)} items/s · resident ${mib(resident)}${heap}`);
      last = { at: now, done };
    };
  };
  /** Where a phase's time went, by port: calls and total ms (calls made side by side overlap). */
  const breakdown = (label: string) => {
    const parts = [...spent.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([name, t]) => `${name} ${seconds(t.ms)} (${t.calls}×, ${(t.ms / t.calls).toFixed(1)} ms)`);
    console.log(`  ${label}: ${parts.join(' · ')}`);
    spent.clear();
  };
  const reportSize = async (id: string) => (await base.files.stat(reportKey(YEAR, id)))?.size ?? 0;

  gc();
  const before = process.memoryUsage.rss();
  figure('resident memory before', mib(before));

  // 1. The year's 四性检测, the first time (stamps every item's 归档章 copy).
  const checkId = `bench-check-${Date.now()}`;
  rss.reset();
  started = performance.now();
  const report = await checkYear(deps, { id: checkId, year: YEAR, byName: '黄丽' }, 'on-demand', progress());
  const checkMs = performance.now() - started;
  const checkPeak = rss.peak();
  const checked = report.summary;
  figure(
    'checkYear (first: reads, probes, verifies trails, stamps 归档章)',
    `${seconds(checkMs)} · ${(checked.items / (checkMs / 1000)).toFixed(1)} items/s · ${(loaded.files / (checkMs / 1000)).toFixed(1)} files/s · ${mib(read.scans)} of scans read (+${mib(read.vault)} of stamped copies read back) · ${checked.passed} passed, ${checked.failed} failed`,
  );
  breakdown('time in calls');
  const failedItem = report.items.find((i) => !i.pass);
  if (failedItem) console.log(`  e.g. ${failedItem.number}: ${failedItem.checks.filter((c) => !c.pass).map((c) => `${c.id} ${c.why ?? ''}`).join('; ')}`);
  const failedYear = report.sequences.filter((c) => !c.pass);
  if (failedYear.length) console.log(`  year checks failed: ${failedYear.map((c) => `${c.name.zh} ${c.why ?? ''}`).join('; ')}`);
  figure('checkYear report (JSON kept with the year)', `${mib(await reportSize(checkId))} · ${report.items.reduce((n, i) => n + i.checks.length, 0) + report.sequences.length} checks`);
  figure('peak resident memory during checkYear', `${mib(checkPeak)} (${grown(checkPeak - before)} over before)`);

  // 2. The handover: the check again, the report, the bag streamed into S3.
  gc();
  const handoverBefore = process.memoryUsage.rss();
  figure('resident memory before the handover', mib(handoverBefore));
  const job: ArchiveJob = { id: `bench-handover-${Date.now()}`, kind: 'handover', year: YEAR, by: 'huang-li', byName: '黄丽', requestedAt: new Date().toISOString(), status: 'running' };
  let checkEnd = 0;
  let handoverCheckPeak = 0;
  reportWritten = () => {
    checkEnd = performance.now();
    breakdown('time in calls, the check');
    handoverCheckPeak = rss.peak();
    rss.reset();
  };
  read.scans = 0;
  read.vault = 0;
  rss.reset();
  started = performance.now();
  const built = await buildHandover(deps, job, progress());
  const handoverEnd = performance.now();
  breakdown('time in calls, the package');
  const packagePeak = rss.peak();
  const handoverMs = handoverEnd - started;
  const packageMs = handoverEnd - checkEnd;
  figure('buildHandover (check + report + package)', `${seconds(handoverMs)} · ${built.items} items packaged`);
  figure('  of it the check again (stamped already)', `${seconds(checkEnd - started)} · ${(built.report.summary.items / ((checkEnd - started) / 1000)).toFixed(1)} items/s · ${built.report.summary.passed} passed`);
  figure('  of it the package (handover minus check)', `${seconds(packageMs)} · of which the report as JSON + CSV ${seconds(bagStarted - checkEnd)}, the bag streamed to S3 ${seconds(handoverEnd - bagStarted)}`);
  figure('package size', `${built.size} bytes (${mib(built.size)}) · ${built.files} files in the bag · payload ${mib(built.bytes)}`);
  figure('peak resident memory during the handover check', `${mib(handoverCheckPeak)} (${grown(handoverCheckPeak - handoverBefore)} over before)`);
  figure('peak resident memory during the report (JSON + CSV)', `${mib(reportPeak)} (${grown(reportPeak - handoverBefore)} over before)`);
  figure('peak resident memory during the bag', `${mib(packagePeak)} (${grown(packagePeak - handoverBefore)} over before; payload ${mib(built.bytes)})`);
  if (streaming.length > 1) {
    const settled = streaming.slice(1);
    figure('  resident while the bag streams (at each tenth of the scans after the first)', `${mib(Math.min(...settled))}–${mib(Math.max(...settled))} (${grown(Math.max(...settled) - handoverBefore)} over before at most)`);
  }

  // 3. The package streamed back from S3 into verifyBag.
  gc();
  const verifyBefore = process.memoryUsage.rss();
  rss.reset();
  started = performance.now();
  const body = await base.vault.open(built.key);
  if (!body) throw new Error(`${built.key} is not in the bucket`);
  const verified = await verifyBag(body);
  const verifyMs = performance.now() - started;
  const verifyPeak = rss.peak();
  figure('verifyBag (streamed from S3)', `${verified.valid ? 'valid' : 'NOT VALID'} · ${seconds(verifyMs)} · ${verified.files} files · ${(built.size / MiB / (verifyMs / 1000)).toFixed(1)} MiB/s`);
  if (!verified.valid) console.log(`  ${verified.problems.slice(0, 5).join('\n  ')}`);
  figure('peak resident memory during verifyBag', `${mib(verifyPeak)} (${grown(verifyPeak - verifyBefore)} over before)`);

  console.log(`\n| ${ITEMS} items, ${YEAR} | |\n|---|---|`);
  for (const [name, value] of figures) console.log(`| ${name.trim()} | ${value} |`);
} finally {
  await rss.stop();
  await system.stop();
}
