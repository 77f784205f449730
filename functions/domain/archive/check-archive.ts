/**
 * Running the 四性检测 (four-checks.ts) on filed items: as each is filed (a failed check keeps it
 * out of the catalogue, with the reason), on demand for one item or a whole year, and before a
 * handover. A year's report is kept with the year (archive/<year>/checks/) and can be exported.
 */
import { createHash } from 'node:crypto';
import type { CaseRecord } from '../cases/case.ts';
import { canonicalJson, verifyTrail } from '../cases/trail-chain.ts';
import { viewersOf } from '../cases/engine.ts';
import { definitionVersion } from '../definitions/lookup.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { OrgChart } from '../org/org.ts';
import type { ArchiveJob, Caller, Deps } from '../ports.ts';
import { sequenceReport, sequencesOf } from './number-gaps.ts';
import { archiveCounter, CONFIDENTIALITY_LABELS, isClassifiedLevel, RETENTION_LABELS, stampedKeyOf, type ArchiveItem } from './archive.ts';
import type { CheckReport, ItemReport } from './report-types.ts';
import { documentNumberChecks, itemChecks, itemNumberChecks, pagesOf, passed, PROPERTIES, PROPERTY_LABELS, type Check, type FileFacts, type FileOpening, type Property } from './four-checks.ts';

/** The 归档章's fields (DA/T 22 §8): 全宗号, 年度, 件号 ('0003'); 机构 (name or code), 保管期限 ('永久', '30年', '10年'), 页数 (by default the PDF's). */
export interface StampFields {
  readonly fonds: string;
  readonly year: number;
  readonly itemNumber: string;
  readonly organ: string;
  readonly retention: string;
  readonly pages?: number;
}

export type { CheckReport, ItemReport };

export type CheckDeps = Pick<Deps, 'archive' | 'cases' | 'files' | 'access' | 'org' | 'clock' | 'vault' | 'numbering' | 'newId'> & {
  /** What the bytes open as (PDF parsed, image decoded, OFD package read). */
  readonly probe: (bytes: Uint8Array, declaredType: string) => Promise<FileOpening>;
  /** A copy of a PDF with the 归档章 on its first page. */
  readonly stamp?: (pdf: Uint8Array, fields: StampFields) => Promise<Uint8Array>;
};

/** Who runs and reads the 四性检测 and handovers: the archive, the office director, the admin, and the confidential clerk (who alone hands over 三密 items). */
const ARCHIVE_ROLES = ['archivist', 'office-director', 'admin', 'confidential-clerk'] as const;

export function assertArchiveRole(org: OrgChart, caller: Caller): void {
  if (!ARCHIVE_ROLES.some((role) => org.has(caller.personId, role))) {
    throw new ForbiddenError('四性检测与移交仅供档案员、机要员、办公室主任和管理员。The 四性检测 and handovers are for the archivist, the confidential clerk, the office director and the admin.');
  }
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A stored file read back: hashed as read, opened as its type, and its lock read. */
async function factsOfFile(deps: CheckDeps, key: string, declaredType: string | undefined): Promise<{ facts: FileFacts; bytes?: Uint8Array }> {
  const lock = await deps.files.lockOf(key);
  if (!lock) return { facts: {} };
  const bytes = await readAll((await deps.files.open(key)).body);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const opening = await deps.probe(bytes, declaredType ?? 'application/octet-stream');
  return { facts: { read: { sha256, size: bytes.length, opening }, lock }, bytes };
}

/** Checks one item: reads its case, trail, grants and every file. Keeps the main PDF's bytes for the stamp. */
async function inspectItem(deps: CheckDeps, item: ArchiveItem, org: OrgChart) {
  const [c, chain, grants] = await Promise.all([deps.cases.get(item.caseId), deps.cases.chain(item.caseId), deps.access.history(item.caseId)]);
  const files = new Map<string, FileFacts>();
  let mainPdf: { attachmentId: string; bytes: Uint8Array } | undefined;
  for (const file of item.files) {
    const read = await factsOfFile(deps, file.key, file.contentType);
    files.set(file.key, read.facts);
    if (!mainPdf && read.bytes && read.facts.read?.opening.opens && (file.contentType ?? '') === 'application/pdf') mainPdf = { attachmentId: file.attachmentId, bytes: read.bytes };
  }
  const trail = verifyTrail(item.caseId, chain.entries, c?.trailHead, { slips: chain.slips });
  const viewers = c ? viewersOf(c) : new Set<string>();
  const checks = itemChecks({
    item,
    case: c,
    files,
    trail,
    entries: chain.entries.map((e) => e.entry),
    grants,
    entitled: (personId) => viewers.has(personId) || org.has(personId, 'confidential-clerk'),
    now: deps.clock.now(),
  });
  const pages = pagesOf(item.files, files);
  return { checks, files, mainPdf, pages, case: c };
}

const failuresOf = (checks: readonly Check[]) => checks.filter((c) => !c.pass).map((c) => ({ id: c.id, property: c.property, why: `${c.name.zh}${c.file ? `（${c.file}）` : ''}：${c.why ?? ''}` }));

/**
 * Checks an item and records the outcome on it: passed, it stays in the catalogue with its pages
 * counted and (the first time) the 归档章 stamped on a copy of its main PDF; failed, it leaves
 * the catalogue with why.
 */
export async function checkItem(deps: CheckDeps, item: ArchiveItem, org: OrgChart): Promise<ItemReport> {
  const inspected = await inspectItem(deps, item, org);
  const pass = passed(inspected.checks);
  const files = item.files.map((f) => {
    const pages = inspected.files.get(f.key)?.read?.opening.pages;
    return pages !== undefined ? { ...f, pages } : f;
  });
  let stamped = item.stamped;
  let stampError: string | undefined;
  // Only the archive worker stamps (it carries the font); a check on demand leaves an unstamped item for it.
  if (deps.stamp && pass && !stamped && inspected.mainPdf && item.sequence !== undefined) {
    const fields: StampFields = {
      fonds: item.fonds ?? '',
      year: item.year,
      itemNumber: String(item.sequence).padStart(4, '0'),
      organ: item.departmentName ?? item.organCode ?? '',
      retention: RETENTION_LABELS[item.retention].zh,
      ...(inspected.pages !== undefined ? { pages: inspected.pages } : {}),
    };
    // A PDF that opens may still defeat the stamper: the item keeps its result, without a stamped copy.
    const bytes = await deps.stamp(inspected.mainPdf.bytes, fields).catch((error: unknown) => {
      stampError = error instanceof Error ? error.message.slice(0, 200) : String(error);
      return undefined;
    });
    if (bytes) {
      const key = stampedKeyOf(item.files.find((f) => f.attachmentId === inspected.mainPdf!.attachmentId)!.key);
      // Written once (a retry finds the copy there and records it again), kept and destroyed with the item's scans.
      await deps.vault.create(key, bytes, 'application/pdf');
      await deps.files.retain(key, item.retainUntil);
      const kept = (await deps.vault.get(key)) ?? bytes;
      stamped = { attachmentId: inspected.mainPdf.attachmentId, key, size: kept.length, sha256: createHash('sha256').update(kept).digest('hex') };
    }
  }
  const at = new Date(deps.clock.now()).toISOString();
  const check = { status: pass ? ('passed' as const) : ('failed' as const), at, ...(pass ? {} : { failures: failuresOf(inspected.checks) }), ...(stampError ? { stampError } : {}) };
  await deps.archive.recordCheck(item.caseId, { check, files, ...(stamped ? { stamped } : {}) });
  return { caseId: item.caseId, number: item.number, title: item.title, confidentiality: item.confidentiality, pass, checks: inspected.checks };
}

/**
 * The archive worker's part as items change: one filed (its check pending) is checked now; one that
 * passed a check on demand without its 归档章 copy (and whose stamping never failed) gets it.
 */
export async function checkFiledItem(deps: CheckDeps, caseId: string): Promise<ItemReport | undefined> {
  const item = await deps.archive.get(caseId);
  if (!item || item.status !== 'kept') return undefined;
  const unstamped = item.check?.status === 'passed' && !item.stamped && !item.check.stampError && item.sequence !== undefined && item.files.some((f) => f.contentType === 'application/pdf');
  if (item.check?.status !== 'pending' && !unstamped) return undefined;
  return checkItem(deps, item, await loadOrgChart(deps));
}

/** On demand, for one item (by 档号): checked now, the result returned and recorded. */
export async function checkOneItem(deps: CheckDeps, caller: Caller, number: string): Promise<ItemReport> {
  const org = await loadOrgChart(deps);
  assertArchiveRole(org, caller);
  const item = await deps.archive.byNumber(number);
  // A classified item's number cannot be probed by those who may not see it.
  if (!item || (isClassifiedLevel(item.confidentiality) && !org.has(caller.personId, 'confidential-clerk'))) throw new NotFoundError(`没有这个档号：${number}。No such archive item.`);
  if (item.status === 'destroyed') throw new NotFoundError(`${item.number} 已销毁。Destroyed.`);
  return checkItem(deps, item, org);
}

/** The year's checks of continuity: 件号 in each class, and document numbers with their voids. */
async function sequenceChecks(deps: CheckDeps, year: number, items: readonly ArchiveItem[], org: OrgChart): Promise<Check[]> {
  // Voided 件号 per class (a number drawn while another filing of the same case won).
  const voided = new Map<string, Set<number>>();
  const classes = new Map<string, ArchiveItem>();
  for (const item of items) if (item.sequence !== undefined) classes.set(`${item.year}-${item.retention}-${item.organCode ?? ''}`, item);
  for (const [key, sample] of classes) {
    const { records } = await deps.numbering.uses(archiveCounter(sample.retention, sample.departmentId), year);
    voided.set(key, new Set(records.filter((r) => r.status === 'void').map((r) => r.sequence)));
  }
  const documents = [];
  for (const sequence of sequencesOf(year, org).filter((s) => !s.kind.startsWith('ARCHIVE-'))) {
    const uses = await deps.numbering.uses(sequence.kind, year);
    if (uses.last === 0) continue;
    const report = sequenceReport(sequence.kind, year, sequence.label, uses);
    documents.push({ label: sequence.label.zh, last: report.last, gaps: report.gaps, voided: report.voided });
  }
  return [...itemNumberChecks(items, voided), ...documentNumberChecks(documents)];
}

export const reportKey = (year: number, id: string) => `archive/${year}/checks/${id}.json`;

/** Items a year's check reads at once (a scan is at most 200 MB: eight stay well inside the worker's 3 GB). */
const YEAR_CHECK_CONCURRENCY = 8;

function summarize(items: readonly ItemReport[]): CheckReport['summary'] {
  const byProperty = Object.fromEntries(PROPERTIES.map((p) => [p, { pass: 0, fail: 0 }])) as Record<Property, { pass: number; fail: number }>;
  for (const item of items) for (const c of item.checks) byProperty[c.property][c.pass ? 'pass' : 'fail']++;
  const passedItems = items.filter((i) => i.pass).length;
  return { items: items.length, passed: passedItems, failed: items.length - passedItems, byProperty };
}

/**
 * Checks every kept item of a year and the year's numbering, records each item's outcome and
 * keeps the report with the year. `progress` is told how far it got.
 */
export async function checkYear(
  deps: CheckDeps,
  job: Pick<ArchiveJob, 'id' | 'year' | 'byName'>,
  trigger: CheckReport['trigger'],
  progress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<CheckReport> {
  const org = await loadOrgChart(deps);
  const all: ArchiveItem[] = [];
  // Destroyed items keep their 件号 (the numbering check counts them); only kept ones are checked.
  const destroyed: ArchiveItem[] = [];
  for await (const item of deps.archive.itemsOf(job.year)) (item.status === 'kept' ? all : destroyed).push(item);
  const items: ItemReport[] = [];
  // Several items at once: each is mostly waiting on reads (its case, trail, grants, files).
  for (let at = 0; at < all.length; at += YEAR_CHECK_CONCURRENCY) {
    items.push(...(await Promise.all(all.slice(at, at + YEAR_CHECK_CONCURRENCY).map((item) => checkItem(deps, item, org)))));
    if (Math.floor(items.length / 100) > Math.floor((items.length - YEAR_CHECK_CONCURRENCY) / 100)) await progress(items.length, all.length);
  }
  const report: CheckReport = {
    id: job.id,
    year: job.year,
    trigger,
    at: new Date(deps.clock.now()).toISOString(),
    byName: job.byName,
    items,
    sequences: await sequenceChecks(deps, job.year, [...all, ...destroyed], org),
    summary: summarize(items),
  };
  await deps.vault.create(reportKey(job.year, job.id), new TextEncoder().encode(canonicalJson(report)), 'application/json', { locked: true });
  return report;
}

/** A kept report, as the caller may read it: a classified item's title shows only to the confidential clerk. */
export async function readReport(deps: Pick<Deps, 'vault' | 'org'>, caller: Caller, year: number, id: string, page?: { offset: number; limit: number }): Promise<CheckReport> {
  const org = await loadOrgChart(deps);
  assertArchiveRole(org, caller);
  const bytes = /^[a-z0-9-]{1,40}$/.test(id) ? await deps.vault.get(reportKey(year, id)) : undefined;
  if (!bytes) throw new NotFoundError('没有这份检测报告。No such report.');
  const report = redacted(JSON.parse(new TextDecoder().decode(bytes)) as CheckReport, org.has(caller.personId, 'confidential-clerk'));
  if (!page) return report;
  // A big year's report is larger than one API answer may be: its items come a page at a time, failed ones first.
  const ordered = [...report.items.filter((i) => !i.pass), ...report.items.filter((i) => i.pass)];
  return { ...report, items: ordered.slice(page.offset, page.offset + page.limit), page: { ...page, total: ordered.length } };
}

/** A report as those who are not the confidential clerk may read it: a classified item's title, file names and reasons withheld. */
export function redacted(report: CheckReport, clerk: boolean): CheckReport {
  if (clerk) return report;
  const withheld = '（涉密，详情仅机要员可见）Classified: details for the confidential clerk only.';
  return {
    ...report,
    items: report.items.map((i) =>
      isClassifiedLevel(i.confidentiality)
        ? { ...i, title: `（${CONFIDENTIALITY_LABELS[i.confidentiality]}）`, checks: i.checks.map(({ file: _file, why: _why, ...c }) => ({ ...c, ...(c.pass ? {} : { why: withheld }) })) }
        : i,
    ),
  };
}

/** The report as rows for a spreadsheet: one per check, the year's checks first. */
export function reportRows(report: CheckReport): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [];
  for (const c of report.sequences) rows.push({ number: '（年度）', title: '', property: PROPERTY_LABELS[c.property].zh, check: c.name.zh, file: null, result: c.pass ? '通过' : '不通过', why: c.why ?? null });
  for (const item of report.items) {
    for (const c of item.checks) rows.push({ number: item.number, title: item.title, property: PROPERTY_LABELS[c.property].zh, check: c.name.zh, file: c.file ?? null, result: c.pass ? '通过' : '不通过', why: c.why ?? null });
  }
  return rows.map((row, i) => ({ seq: i + 1, ...row }));
}

/** A job silent this long (no progress written) has lost its worker: the worker's limit is 15 minutes and it reports every 100 items. */
const JOB_STALE_MS = 20 * 60_000;

/** Asks for a year's 四性检测 or its handover package: a job the archive worker runs. */
export async function requestArchiveJob(deps: Pick<Deps, 'archive' | 'org' | 'clock' | 'newId'>, caller: Caller, kind: ArchiveJob['kind'], year: number): Promise<ArchiveJob> {
  const org = await loadOrgChart(deps);
  assertArchiveRole(org, caller);
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const running = (await deps.archive.jobs(year)).find((j) => j.kind === kind && (j.status === 'queued' || j.status === 'running'));
  // A run whose worker stopped answering (timed out, ran out of memory) is marked failed, and a new one starts.
  if (running && now - Date.parse(running.heartbeatAt ?? running.startedAt ?? running.requestedAt) > JOB_STALE_MS) {
    await deps.archive.updateJob({ ...running, status: 'failed', finishedAt: at, error: '任务中断（超时或内存不足），已重新开始。The run stopped (timed out or out of memory) and was started again.' }, running.status);
  } else if (running) {
    // One at a time per kind and year: asking again returns the one under way.
    return running;
  }
  const job: ArchiveJob = { id: `${at.slice(0, 10).replace(/-/g, '')}-${deps.newId()}`, kind, year, by: caller.personId, byName: org.person(caller.personId)?.name ?? caller.personId, requestedAt: at, status: 'queued' };
  await deps.archive.createJob(job);
  return job;
}

export async function listArchiveJobs(deps: Pick<Deps, 'archive' | 'org'>, caller: Caller, year: number): Promise<ArchiveJob[]> {
  assertArchiveRole(await loadOrgChart(deps), caller);
  return deps.archive.jobs(year);
}

/** For the handover: the item's metadata as its package carries it (JSON), without internal keys. */
export function itemMetadata(item: ArchiveItem, c: CaseRecord | undefined) {
  return {
    档号: item.number,
    全宗号: item.fonds ?? null,
    年度: item.year,
    保管期限: RETENTION_LABELS[item.retention].zh,
    机构: item.departmentName ?? null,
    机构代码: item.organCode ?? null,
    件号: item.sequence ?? null,
    文号: item.documentNumber ?? null,
    责任者: item.responsible ?? null,
    题名: item.title,
    日期: item.documentDate ?? null,
    密级: CONFIDENTIALITY_LABELS[item.confidentiality] ?? item.confidentiality,
    页数: item.files.reduce((n, f) => n + (f.pages ?? 0), 0) || null,
    归档时间: item.filedAt,
    保管期满: item.retainUntil ?? null,
    原档号: item.formerNumbers ?? [],
    流程: c ? { 类型: definitionVersion(c.type, c.definitionVersion).name.zh, 申请人: c.applicantName, 创建: c.createdAt, 办结: c.closedAt ?? null } : null,
    文件: item.files.map((f) => ({ 文件名: f.fileName, 类型: f.contentType ?? null, 字节: f.size, SHA256: f.sha256, 页数: f.pages ?? null })),
  };
}

/** A link to download a finished handover package (10 minutes). */
export async function handoverLink(deps: Pick<Deps, 'archive' | 'org' | 'vault'>, caller: Caller, year: number, id: string): Promise<{ url: string; fileName: string; expiresIn: number }> {
  const org = await loadOrgChart(deps);
  assertArchiveRole(org, caller);
  const job = await deps.archive.job(year, id);
  if (!job || job.kind !== 'handover') throw new NotFoundError('没有这个移交任务。No such handover.');
  if ((job.summary?.classified ?? 0) > 0 && !org.has(caller.personId, 'confidential-clerk')) {
    throw new ForbiddenError('此移交包含涉密档案，仅机要员可以下载。This package holds classified items: only the confidential clerk may download it.');
  }
  if (job.status !== 'done' || !job.packageKey) throw new ConflictError('移交包尚未生成完毕。The package is not ready yet.', 'not-ready');
  const fileName = `移交-${year}-${id}.tar`;
  return { url: await deps.vault.presignGet(job.packageKey, fileName, 'application/x-tar', 600), fileName, expiresIn: 600 };
}
