/**
 * 移交: a year's filed items handed to the archives as one package a receiving archive verifies
 * with standard tools — a BagIt bag (RFC 8493, SHA-256 manifests) in a tar. Each item's folder
 * holds its files (and the copy with the 归档章), its metadata as JSON and XML, and its trail with
 * the hash chain; the year's 四性检测 report and catalogue lie beside them. Bytes stream from the
 * bucket to the package: the year is never in memory.
 */
import { canonicalJson } from '../cases/trail-chain.ts';
import type { ArchiveJob, Deps } from '../ports.ts';
import { isClassifiedLevel, type ArchiveItem } from './archive.ts';
import { loadOrgChart } from '../org/org-service.ts';
import { checkYear, itemMetadata, redacted, reportRows, type CheckDeps, type CheckReport } from './check-archive.ts';
import { exportRegister } from '../registers/export.ts';

export interface PackageEntry {
  readonly path: string;
  readonly size: number;
  readonly sha256?: string;
  open(): Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
}

export type HandoverDeps = CheckDeps &
  Pick<Deps, 'vault'> & {
    /** Writes the entries as a bag into the sink (adapters/files/bag-writer.ts). */
    readonly writeBag: (sink: NodeJS.WritableStream, root: string, entries: AsyncIterable<PackageEntry>, info: Record<string, string>) => Promise<{ files: number; bytes: number }>;
    /** A pipe: what is written to `sink` can be read from `source` (a PassThrough). */
    readonly pipe: () => { sink: NodeJS.WritableStream; source: AsyncIterable<Uint8Array> };
  };

export const packageKey = (year: number, id: string) => `archive/${year}/handover/${id}.tar`;

const bytesOf = (text: string) => new TextEncoder().encode(text);
async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
const memory = (path: string, bytes: Uint8Array): PackageEntry => ({ path, size: bytes.length, open: () => once(bytes) });

/** XML of a metadata object: element per key, arrays repeated under their key. */
export function toXml(name: string, value: unknown, indent = ''): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  if (Array.isArray(value)) return value.map((v) => toXml(name, v, indent)).join('');
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v, `${indent}  `))
      .join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${value === null || value === undefined ? '' : escape(String(value))}</${name}>\n`;
}

/** A file name safe inside a bag folder: no separators or control characters; numbered so two files of one name stay apart. */
const safeName = (n: number, fileName: string) =>
  // A lone surrogate (not valid UTF-8) becomes U+FFFD, as a round trip through UTF-8 makes it.
  `${String(n).padStart(2, '0')}-${Buffer.from(fileName.replace(/[\\/\u0000-\u001f%]/g, '_').slice(0, 120), 'utf8').toString('utf8')}`;

async function* itemEntries(deps: HandoverDeps, item: ArchiveItem): AsyncIterable<PackageEntry> {
  const folder = item.number;
  const [c, chain] = await Promise.all([deps.cases.get(item.caseId), deps.cases.chain(item.caseId)]);
  const metadata = itemMetadata(item, c);
  yield memory(`${folder}/元数据.json`, bytesOf(JSON.stringify(metadata, null, 2)));
  yield memory(`${folder}/元数据.xml`, bytesOf(`<?xml version="1.0" encoding="UTF-8"?>\n${toXml('归档文件', metadata)}`));
  yield memory(`${folder}/流程日志.json`, bytesOf(JSON.stringify({ 链头: c?.trailHead ?? null, 条目: chain.entries }, null, 2)));
  for (const [i, file] of item.files.entries()) {
    yield { path: `${folder}/文件/${safeName(i + 1, file.fileName)}`, size: file.size, sha256: file.sha256, open: async () => (await deps.files.open(file.key)).body };
  }
  if (item.stamped) {
    const stamped = item.stamped;
    const name = item.files.find((f) => f.attachmentId === stamped.attachmentId)?.fileName ?? 'stamped.pdf';
    yield {
      path: `${folder}/文件/归档章-${safeName(0, name)}`,
      size: stamped.size,
      sha256: stamped.sha256,
      open: async () => {
        const body = await deps.vault.open(stamped.key);
        if (!body) throw new Error(`The stamped copy ${stamped.key} is missing`);
        return body;
      },
    };
  }
}

/**
 * Builds a year's handover package: first the year's 四性检测 (items that fail stay out of the
 * package and are named in its report), then the bag, streamed into the bucket.
 */
export async function buildHandover(
  deps: HandoverDeps,
  job: ArchiveJob,
  progress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<{ report: CheckReport; key: string; size: number; files: number; bytes: number; items: number; classified: number }> {
  const report = await checkYear(deps, job, 'handover', progress);
  // 三密 items go only in a package the confidential clerk asked for (and only they may download it).
  const clerk = (await loadOrgChart(deps)).has(job.by, 'confidential-clerk');
  const passed = new Set(report.items.filter((i) => i.pass && (clerk || !isClassifiedLevel(i.confidentiality))).map((i) => i.caseId));
  const classifiedLeft = report.items.filter((i) => i.pass && !passed.has(i.caseId)).length;
  // The package's copy of the report: classified items' details only in the confidential clerk's package.
  const kept = redacted(report, clerk);
  const reportJson = bytesOf(canonicalJson(kept));
  // The report's table as CSV (a spreadsheet opens it; an XLSX of a big year would hold the year in memory many times over).
  const reportCsv = (await exportRegister({ name: { zh: '四性检测报告', en: 'Four-properties check' }, year: job.year, columns: REPORT_COLUMNS, rows: reportRows(kept) }, 'csv')).bytes;
  async function* entries(): AsyncIterable<PackageEntry> {
    yield memory('四性检测报告.json', reportJson);
    yield memory('四性检测报告.csv', reportCsv);
    for await (const item of deps.archive.itemsOf(job.year)) {
      if (item.status === 'kept' && passed.has(item.caseId)) yield* itemEntries(deps, item);
    }
  }
  const root = `移交-${job.year}-${job.id}`;
  const { sink, source } = deps.pipe();
  const key = packageKey(job.year, job.id);
  const uploaded = deps.vault.upload(key, source, 'application/x-tar');
  const written = deps.writeBag(sink, root, entries(), {
    'Source-Organization': job.byName,
    'External-Identifier': root,
    'Internal-Sender-Description': `${job.year} 年度归档文件移交（${passed.size} 件；未通过四性检测 ${report.summary.failed} 件未移交${classifiedLeft ? `；涉密 ${classifiedLeft} 件由机要员另行移交` : ''}）`,
    'Bag-Count': '1 of 1',
  });
  const [bag, stored] = await Promise.all([written, uploaded]);
  return { report, key, size: stored.size, files: bag.files, bytes: bag.bytes, items: passed.size, classified: clerk ? report.items.filter((i) => passed.has(i.caseId) && isClassifiedLevel(i.confidentiality)).length : 0 };
}

export const REPORT_COLUMNS = [
  { key: 'seq', label: { zh: '序号', en: 'No.' }, width: 6 },
  { key: 'number', label: { zh: '档号', en: 'Item number' }, width: 24 },
  { key: 'title', label: { zh: '题名', en: 'Title' }, width: 30 },
  { key: 'property', label: { zh: '检测项', en: 'Property' }, width: 8 },
  { key: 'check', label: { zh: '检测内容', en: 'Check' }, width: 20 },
  { key: 'file', label: { zh: '文件', en: 'File' }, width: 20 },
  { key: 'result', label: { zh: '结果', en: 'Result' }, width: 8 },
  { key: 'why', label: { zh: '说明', en: 'Why' }, width: 50 },
];

/**
 * The archive worker's part for a job: claims it (queued → running, once), runs it, and records
 * the outcome. A job already claimed, or done, is left alone (the stream sees each change of it).
 */
export async function runArchiveJob(deps: HandoverDeps, year: number, id: string): Promise<ArchiveJob | undefined> {
  const queued = await deps.archive.job(year, id);
  if (queued?.status !== 'queued') return undefined;
  const now = () => new Date(deps.clock.now()).toISOString();
  let job: ArchiveJob = { ...queued, status: 'running', startedAt: now(), heartbeatAt: now() };
  if (!(await deps.archive.updateJob(job, 'queued'))) return undefined;
  const progress = async (done: number, total: number) => {
    const next = { ...job, progress: { done, total }, heartbeatAt: now() };
    if (await deps.archive.updateJob(next, 'running')) job = next;
  };
  try {
    if (job.kind === 'check-year') {
      const report = await checkYear(deps, job, 'on-demand', progress);
      job = { ...job, status: 'done', finishedAt: now(), reportKey: `archive/${year}/checks/${job.id}.json`, summary: { items: report.summary.items, passed: report.summary.passed, failed: report.summary.failed } };
    } else {
      const built = await buildHandover(deps, job, progress);
      job = {
        ...job,
        status: 'done',
        finishedAt: now(),
        reportKey: `archive/${year}/checks/${job.id}.json`,
        packageKey: built.key,
        summary: { items: built.report.summary.items, passed: built.report.summary.passed, failed: built.report.summary.failed, packaged: built.items, classified: built.classified, files: built.files, bytes: built.size },
      };
    }
  } catch (error) {
    job = { ...job, status: 'failed', finishedAt: now(), error: error instanceof Error ? error.message.slice(0, 500) : String(error) };
    await deps.archive.updateJob(job, 'running');
    throw error;
  }
  await deps.archive.updateJob(job, 'running');
  return job;
}
