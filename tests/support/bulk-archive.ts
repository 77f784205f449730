/**
 * Given: a filed year in the archive, loaded in bulk. Each item is a 证照 case (certificate,
 * filed 10 years, daily work) walked by the real engine — opened by the archivist, 1–3 scans
 * attached, reviewed by the office director, registered by the clerk, filed — with its trail
 * sealed on the hash chain as the store seals it, its archive item (档号 Z123-<year>-D10-BGS-0001…),
 * the 档号 pointer, the number recorded as used in the year's counter, and its scans in S3 as small
 * real PDFs (1–3 pages each, the item's number on every page, so no two are the same bytes).
 * Written in chunks, so the loader never holds the year either.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { DynamoCaseStore } from '../../functions/adapters/dynamodb/case-store.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { archiveCounter, archiveItemOf, attachmentKey, type ArchiveItem } from '../../functions/domain/archive/archive.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import type { CaseRecord, TrailEntry } from '../../functions/domain/cases/case.ts';
import { attachFile, decide, openCase, pendingAutomaticStep, runAutomaticStep, type EngineContext, type Outcome } from '../../functions/domain/cases/engine.ts';
import { isSlipEntry } from '../../functions/domain/cases/trail.ts';
import { sealTrail, type TrailHead } from '../../functions/domain/cases/trail-chain.ts';
import { catalog } from '../../functions/domain/definitions/catalog/index.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { OrgChart, OrgInputSchema } from '../../functions/domain/org/org.ts';

const TABLE = 'bangong';
const BUCKET = 'bangong-archive';
const HOUR = 3_600_000;

export interface ArchiveYearOptions {
  readonly count: number;
  readonly year: number;
  /** Cases made, uploaded and written at a time. */
  readonly chunk?: number;
  /** Parallel BatchWriteItem callers and S3 PUTs. */
  readonly writers?: number;
  readonly uploads?: number;
  /** Told after each chunk: items done so far. */
  readonly progress?: (done: number) => void;
}

export interface ArchiveYear {
  readonly items: number;
  readonly files: number;
  /** Bytes of every scan put in S3. */
  readonly scanBytes: number;
  readonly tableItems: number;
  readonly pages: number;
  /** Where the load's time went: making cases and scans, S3 PUTs, table writes (the last two overlap). */
  readonly ms: { readonly make: number; readonly upload: number; readonly write: number };
}

/** Where a scan's own words go in its template: as long as the longest (Z123-2026-D10-BGS-10000 / 3), padded. */
const MARK = '#'.repeat(32);

/**
 * Scans of 1–3 pages: one PDF per page count made with pdf-lib, its page text left uncompressed so
 * the item's number and the file's place can be written over the mark in a copy (same length, so
 * the cross-reference offsets stay right). Tens of thousands in a few milliseconds, all different.
 */
export async function scanMaker(): Promise<(number: string, file: number, pages: number) => Uint8Array> {
  const templates = new Map<number, { bytes: Uint8Array; marks: number[] }>();
  for (const pages of [1, 2, 3]) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let p = 1; p <= pages; p++) {
      const page = doc.addPage([595, 842]);
      page.node.setFontDictionary(PDFName.of('F1'), font.ref);
      const lines = Array.from({ length: 30 }, (_, line) => `0 -20 Td (${line + 1}. Certificate copy registered and filed by the general office, page ${p} of ${pages}.) Tj`);
      const text = `BT /F1 14 Tf 50 780 Td (${MARK}) Tj /F1 9 Tf 0 -20 Td (${MARK}) Tj ${lines.join(' ')} ET`;
      page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(text)));
    }
    doc.setTitle('Bangong bench scan');
    const bytes = await doc.save({ useObjectStreams: false });
    const marks: number[] = [];
    const saved = Buffer.from(bytes);
    for (let at = saved.indexOf(MARK); at !== -1; at = saved.indexOf(MARK, at + MARK.length)) marks.push(at);
    templates.set(pages, { bytes, marks });
  }
  return (number, file, pages) => {
    const template = templates.get(pages)!;
    const bytes = Buffer.from(template.bytes);
    const words = Buffer.from(`${number} / ${file}`.padEnd(MARK.length).slice(0, MARK.length), 'latin1');
    for (const at of template.marks) words.copy(bytes, at);
    return bytes;
  };
}

interface Scan {
  readonly id: string;
  readonly fileName: string;
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/** One filed certificate case: each change as the store would save it (its version, its entries). */
function walkCase(id: string, at: number, scans: readonly Scan[], ctxOf: (now: number) => EngineContext): { case: CaseRecord; changes: { version: number; trail: TrailEntry[] }[] } {
  const changes: { version: number; trail: TrailEntry[] }[] = [];
  let current: CaseRecord;
  const apply = (out: Outcome) => {
    current = out.case;
    changes.push({ version: current.version, trail: out.trail });
  };
  const fields = { holder: 'zhao-lei', post: '印章管理员', certificateKind: 'licence', action: 'renew', reason: '到期换证' };
  apply(openCase(ctxOf(at), { id, title: `证照换发登记 ${id}`, fields, applicantId: 'huang-li' }));
  // The store bumps the version of every saved change; the engine leaves that to it.
  const next = (out: Outcome) => apply({ ...out, case: { ...out.case, version: current.version + 1 } });
  for (const [i, scan] of scans.entries()) {
    next(attachFile(current!, ctxOf(at + (i + 1) * 60_000), 'huang-li', { id: scan.id, fileName: scan.fileName, contentType: 'application/pdf', size: scan.bytes.length, sha256: scan.sha256, key: scan.key }));
  }
  next(decide(current!, ctxOf(at + HOUR), 'chen-zhiqiang', { action: 'approve', comment: '同意。' }));
  next(decide(current!, ctxOf(at + 2 * HOUR), 'liu-fang', { action: 'approve', fields: { certificateNumber: `ZZ-${id}`, issuedOn: '2026-03-02', expiresOn: '2031-03-01' } }));
  while (pendingAutomaticStep(current!, ctxOf(0).definition)) next(runAutomaticStep(current!, ctxOf(at + 2 * HOUR)));
  if (!current!.filedAt) throw new Error(`${id} was not filed`);
  return { case: current!, changes };
}

/** The table items of one case: the case (with its chain's head), its trail and slip entries sealed in order. */
function caseItems(store: DynamoCaseStore, walked: ReturnType<typeof walkCase>): Record<string, unknown>[] {
  const id = walked.case.id;
  let head: TrailHead | undefined;
  const items: Record<string, unknown>[] = [];
  for (const change of walked.changes) {
    const sealed = sealTrail(id, head, change.trail);
    head = sealed.head;
    change.trail.forEach((entry, i) => {
      items.push({ ...keys.trail(id, change.version, i), entry, link: sealed.links[i] });
      if (isSlipEntry(entry)) items.push({ ...keys.slip(id, change.version, i), entry });
    });
  }
  return [...store.bulkItems({ ...walked.case, trailHead: head }), ...items];
}

/** Runs `work` over `list` with `width` at a time. */
async function pool<T>(list: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, list.length) }, async () => {
      while (next < list.length) await work(list[next++]!);
    }),
  );
}

export async function bulkArchiveYear(urls: { dynamodb: string; s3: string }, options: ArchiveYearOptions): Promise<ArchiveYear> {
  const { count, year } = options;
  const chunk = options.chunk ?? 250;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: urls.dynamodb }), { marshallOptions: { removeUndefinedValues: true } });
  const s3 = new S3Client({
    endpoint: urls.s3,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const store = new DynamoCaseStore(db, TABLE);
  const org = new OrgChart({ ...OrgInputSchema.parse(demoOrg), version: 1, updatedAt: new Date(Date.UTC(year, 0, 1)).toISOString() });
  const calendar = new WorkingCalendar();
  const definition = [...catalog.values()].find((d) => d.type === 'certificate')!;
  const rule = definition.archive!;
  const kind = archiveCounter(rule.retention, 'office');
  const makeScan = await scanMaker();
  // Filed through the year in China's calendar, evenly; the last a few hours before its end.
  const yearStart = Date.UTC(year, 0, 1) - 8 * HOUR;
  const spacing = Math.floor((Date.UTC(year + 1, 0, 1) - 8 * HOUR - yearStart - 4 * HOUR) / count);

  let files = 0;
  let scanBytes = 0;
  let tableItems = 0;
  let pages = 0;
  const ms = { make: 0, upload: 0, write: 0 };
  const timed = async (part: keyof typeof ms, work: Promise<void>) => {
    const started = performance.now();
    await work;
    ms[part] += performance.now() - started;
  };
  try {
    for (let from = 0; from < count; from += chunk) {
      const made = performance.now();
      const items: Record<string, unknown>[] = [];
      const puts: Scan[] = [];
      for (let i = from; i < Math.min(count, from + chunk); i++) {
        const sequence = i + 1;
        const id = `arc-${year}-${String(sequence).padStart(5, '0')}`;
        const number = `${org.org.fondsCode}-${year}-D10-BGS-${String(sequence).padStart(4, '0')}`;
        const scans: Scan[] = [];
        // 1, 2 or 3 scans (2 on average), of 1–3 pages.
        for (let f = 1; f <= 1 + ((sequence * 7) % 3); f++) {
          const bytes = makeScan(number, f, 1 + ((sequence + f) % 3));
          const scanId = `${id}-f${f}`;
          pages += 1 + ((sequence + f) % 3);
          scans.push({ id: scanId, fileName: `扫描件-${f}.pdf`, key: attachmentKey(id, scanId), bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
        }
        let seq = 0;
        const at = yearStart + i * spacing;
        const walked = walkCase(id, at, scans, (now) => ({ definition, org, calendar, now, newId: () => `${id}-s${++seq}` }));
        const item: ArchiveItem = { ...archiveItemOf(walked.case, org, rule, walked.case.filedAt!, sequence), check: { status: 'passed', at: walked.case.filedAt } };
        if (item.number !== number) throw new Error(`${item.number} is not ${number}`);
        items.push(
          ...caseItems(store, walked),
          { pk: `ARCHIVE#${id}`, sk: 'ITEM', ...keys.register('archive-catalogue', item.year, item.filedAt, id), data: item },
          { pk: `ARCHIVENO#${item.number}`, sk: 'ITEM', caseId: id },
          { ...keys.number(kind, year, sequence), number: item.number, sequence, status: 'used', caseId: id, title: item.title, at: item.filedAt },
        );
        puts.push(...scans);
      }
      ms.make += performance.now() - made;
      await Promise.all([
        timed(
          'upload',
          pool(puts, options.uploads ?? 32, async (scan) => {
            await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: scan.key, Body: scan.bytes, ContentType: 'application/pdf', ContentLength: scan.bytes.length }));
          }),
        ),
        timed('write', writeAll(db, items, options.writers ?? 6)),
      ]);
      files += puts.length;
      scanBytes += puts.reduce((n, s) => n + s.bytes.length, 0);
      tableItems += items.length;
      options.progress?.(Math.min(count, from + chunk));
    }
    await db.send(new PutCommand({ TableName: TABLE, Item: { ...keys.counter(kind, year), last: count } }));
    return { items: count, files, scanBytes, tableItems: tableItems + 1, pages, ms };
  } finally {
    db.destroy();
    s3.destroy();
  }
}

async function writeAll(db: DynamoDBDocumentClient, items: readonly Record<string, unknown>[], writers: number): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await pool(batches, writers, async (batch) => {
    let left: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
    while (left && left.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: left } }));
      left = result.UnprocessedItems?.[TABLE] as typeof left;
    }
  });
}
