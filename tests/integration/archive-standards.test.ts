/**
 * The archive by the national standards (issue #14), on the local system with the archive worker:
 * DA/T 22 numbers and the 归档章 copy, the 四性检测 at filing (a failure keeps the item out of the
 * catalogue, with why), on demand and for a year, the handover package verified byte for byte,
 * and items numbered before DA/T 22 renumbered with their old numbers still working.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '../../local/clock.ts';
import { topology } from '../../infra/topology.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { verifyBag } from '../../functions/adapters/files/bag-writer.ts';
import { probeFile } from '../../functions/adapters/files/probe-file.ts';
import { defaultDeps } from '../../functions/adapters/deps.ts';
import { migrateArchiveNumbers } from '../../functions/domain/archive/migrate-numbers.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const DEC_1 = Date.parse('2026-12-01T01:00:00Z');

async function pdfOf(pages: number, text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`${text} ${i + 1}`, { x: 72, y: 760, size: 14 });
  return Buffer.from(await doc.save());
}

describe('the archive by DA/T 22 and DA/T 70 on the local system', () => {
  const clock = new ManualClock(DEC_1);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let s3: S3Client;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock, archive: true, topology: { ...topology, schedules: [] } });
    api = apiClient(system.urls.api);
    s3 = new S3Client({ endpoint: system.urls.s3, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb }));
  });
  afterAll(() => system?.stop());

  const bytesAt = async (key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'bangong-archive', Key: key }))).Body!.transformToByteArray());
  const attach = async (caseId: string, fileName: string, bytes: Buffer) => {
    const asked = await api.post('huang-li', `/api/cases/${caseId}/uploads`, { fileName, contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: bytes })).status).toBe(200);
    const done = await api.post('huang-li', `/api/cases/${caseId}/uploads/${asked.body.uploadId}/complete`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return done.body as { id: string; key: string };
  };
  /** A hand-in filed with one scan: its 档号 once filed. */
  const filedWith = async (title: string, fileName: string, bytes: Buffer) => {
    const handIn = await api.open('huang-li', 'archive-hand-in', title, { year: '2026', dueOn: '2026-12-31' });
    const file = await attach(handIn.id, fileName, bytes);
    await api.act('huang-li', handIn.id, { action: 'approve', comment: '已整理编目' });
    await api.act('chen-zhiqiang', handIn.id, { action: 'approve', comment: '目录审核通过' });
    const filed = await api.until('huang-li', handIn.id, (c) => c.status === 'completed', 'completed');
    return { caseId: handIn.id as string, file, number: filed.trail.find((t: any) => t.action === 'file').detail.archiveNumber as string };
  };
  const catalogue = async () => (await api.get('huang-li', '/api/registers/archive-catalogue?year=2026')).body.rows as any[];
  const itemOf = (caseId: string) => defaultDeps().archive.get(caseId);
  const checked = (caseId: string) => expect.poll(async () => (await itemOf(caseId))?.check?.status, { timeout: 20_000, interval: 200 });
  const finished = async (year: number, id: string) => {
    await expect.poll(async () => (await api.get('huang-li', `/api/archive/jobs?year=${year}`)).body.items.find((j: any) => j.id === id)?.status, { timeout: 60_000, interval: 300 }).toBe('done');
    return (await api.get('huang-li', `/api/archive/jobs?year=${year}`)).body.items.find((j: any) => j.id === id);
  };

  let good: Awaited<ReturnType<typeof filedWith>>;
  let original: Buffer;

  it('a filed item is numbered Z123-2026-D10-BGS-0001, passes its 四性检测 as it is filed, counts its pages and gets a 归档章 copy; the original stays as it was', async () => {
    original = await pdfOf(3, 'Hand-in list');
    good = await filedWith('2026年度文书档案移交', '移交清册.pdf', original);
    expect(good.number).toBe('Z123-2026-D10-BGS-0001');
    await checked(good.caseId).toBe('passed');
    const item = (await itemOf(good.caseId))!;
    expect(item).toMatchObject({ fonds: 'Z123', organCode: 'BGS', sequence: 1, responsible: '示范市机关事务管理局', documentDate: '20261201', files: [{ pages: 3 }] });
    expect(await catalogue()).toEqual(expect.arrayContaining([expect.objectContaining({ number: good.number, pages: 3, remarks: '10年，至2036-12-31' })]));
    // The stamped copy: a PDF of the same pages, kept apart; the original is byte for byte the one attached.
    const stamped = await bytesAt(item.stamped!.key);
    expect(sha256(stamped)).toBe(item.stamped!.sha256);
    expect(await probeFile(stamped, 'application/pdf')).toMatchObject({ opens: true, pages: 3 });
    expect(sha256(await bytesAt(good.file.key))).toBe(sha256(original));
  });

  it('an item whose scan does not open fails 可用性 and stays out of the catalogue, with why; its number is not lost', async () => {
    const broken = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 7)]);
    const bad = await filedWith('损坏的扫描件', '损坏.pdf', broken);
    await checked(bad.caseId).toBe('failed');
    const item = (await itemOf(bad.caseId))!;
    expect(item.check!.failures).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'usability.opens', property: 'usability' })]));
    expect(item.check!.failures!.every((f) => f.why.length > 0)).toBe(true);
    expect((await catalogue()).map((r) => r.number)).not.toContain(bad.number);
    expect(bad.number).toBe('Z123-2026-D10-BGS-0002');
  });

  it('on demand: a scan changed in storage fails 真实性 naming the file; the item leaves the catalogue until it is put right', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'bangong-archive', Key: good.file.key, Body: await pdfOf(3, 'Forged list') }));
    const response = await api.post('huang-li', `/api/archive/items/${good.number}/check`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.pass).toBe(false);
    expect(response.body.checks.find((c: any) => c.id === 'authenticity.checksum')).toMatchObject({ pass: false, file: '移交清册.pdf', why: expect.stringContaining('不一致') });
    expect((await catalogue()).map((r) => r.number)).not.toContain(good.number);
    await s3.send(new PutObjectCommand({ Bucket: 'bangong-archive', Key: good.file.key, Body: original }));
    expect((await api.post('huang-li', `/api/archive/items/${good.number}/check`)).body.pass).toBe(true);
    expect((await catalogue()).map((r) => r.number)).toContain(good.number);
    // Not the archive's people: refused; a number that is not there: 404.
    expect((await api.post('ma-chao', `/api/archive/items/${good.number}/check`)).status).toBe(403);
    expect((await api.post('huang-li', '/api/archive/items/Z123-2026-D10-BGS-9999/check')).status).toBe(404);
  });

  it('a year’s 四性检测 lists every item and check with why, checks the numbering of the year, and is kept and exported', async () => {
    const asked = await api.post('huang-li', '/api/archive/jobs', { kind: 'check-year', year: 2026 });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const job = await finished(2026, asked.body.id);
    expect(job.summary).toEqual({ items: 2, passed: 1, failed: 1 });
    const report = await api.get('huang-li', `/api/archive/reports/2026/${job.id}`);
    expect(report.status).toBe(200);
    expect(report.body.summary.byProperty.usability).toEqual({ pass: 1, fail: 1 });
    expect(report.body.sequences).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'integrity.item-numbers', pass: true })]));
    // A page at a time, failed items first; a bad page is 400 naming the field.
    const first = await api.get('huang-li', `/api/archive/reports/2026/${job.id}?limit=1`);
    expect(first.body.page).toEqual({ offset: 0, limit: 1, total: 2 });
    expect(first.body.items.map((i: any) => i.pass)).toEqual([false]);
    expect((await api.get('huang-li', `/api/archive/reports/2026/${job.id}?limit=1&offset=1`)).body.items.map((i: any) => i.pass)).toEqual([true]);
    const badPage = await api.get('huang-li', `/api/archive/reports/2026/${job.id}?limit=0`);
    expect([badPage.status, badPage.body.error.field]).toEqual([400, 'limit']);
    const properties = new Set(report.body.items[0].checks.map((c: any) => c.property));
    expect([...properties].sort()).toEqual(['authenticity', 'integrity', 'security', 'usability']);
    const xlsx = await fetch(`${system.urls.api}/api/archive/reports/2026/${job.id}?format=xlsx`, { headers: { authorization: `Bearer ${await api.login('huang-li')}` } });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const rows = book.worksheets[0]!.getSheetValues().flat().map(String);
    expect(rows.join('|')).toContain('不通过');
    // Bad input: 400 naming the field; a staff member: 403; nothing is queued.
    const badYear = await api.post('huang-li', '/api/archive/jobs', { kind: 'check-year', year: 1999 });
    expect([badYear.status, badYear.body.error.field]).toEqual([400, 'year']);
    const badKind = await api.post('huang-li', '/api/archive/jobs', { kind: 'delete-all', year: 2026 });
    expect([badKind.status, badKind.body.error.field]).toEqual([400, 'kind']);
    expect((await api.post('ma-chao', '/api/archive/jobs', { kind: 'check-year', year: 2026 })).status).toBe(403);
    expect((await api.get('ma-chao', `/api/archive/reports/2026/${job.id}`)).status).toBe(403);
    expect((await api.get('huang-li', '/api/archive/jobs?year=2026')).body.items).toHaveLength(1);
  });

  it('the handover package is a BagIt bag that verifies byte for byte, holds each passed item’s files, metadata (JSON and XML), trail and the report; one flipped byte fails it', async () => {
    const asked = await api.post('huang-li', '/api/archive/jobs', { kind: 'handover', year: 2026 });
    const job = await finished(2026, asked.body.id);
    expect(job.summary).toMatchObject({ items: 2, passed: 1, failed: 1 });
    const link = await api.post('huang-li', `/api/archive/jobs/2026/${job.id}/download`);
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    const tar = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
    expect(tar.length).toBe(job.summary.bytes);
    const check = await verifyBag(Readable.from([tar]));
    expect(check).toMatchObject({ valid: true, problems: [] });
    const text = tar.toString('latin1');
    for (const path of ['四性检测报告.json', '四性检测报告.csv', `${good.number}/元数据.xml`, `${good.number}/流程日志.json`, 'manifest-sha256.txt', 'bag-info.txt']) expect(text).toContain(Buffer.from(path).toString('latin1'));
    expect(text).not.toContain('Z123-2026-D10-BGS-0002/');
    // The original scan is in it byte for byte.
    expect(tar.includes(original)).toBe(true);
    const flipped = Buffer.from(tar);
    const at = flipped.indexOf(original) + 100;
    flipped[at] = flipped[at]! ^ 0xff;
    const broken = await verifyBag(Readable.from([flipped]));
    expect(broken.valid).toBe(false);
    expect(broken.problems.join()).toContain('移交清册.pdf');
  });

  it('items numbered before DA/T 22 get their standard 档号 once, and their old number still finds them', async () => {
    // An item as filed before: no 全宗号, 机构代码 or 件号 of its own, the department's id in its number.
    const { fonds, organCode, sequence, ...current } = (await itemOf(good.caseId))!;
    expect([fonds, organCode, sequence]).toEqual(['Z123', 'BGS', 1]);
    const legacy = { ...current, caseId: 'legacy-1', number: '2026-D30-FINANCE-0007', departmentId: 'finance', retention: '30y' as const };
    await db.send(new PutCommand({ TableName: 'bangong', Item: { pk: 'ARCHIVE#legacy-1', sk: 'ITEM', gsi5pk: 'REGISTER#archive-catalogue#2026', gsi5sk: `${legacy.filedAt}#legacy-1`, data: legacy } }));
    await db.send(new PutCommand({ TableName: 'bangong', Item: { pk: `ARCHIVENO#${legacy.number}`, sk: 'ITEM', caseId: 'legacy-1' } }));
    const deps = defaultDeps();
    // The one-off migration already ran at start (on an empty archive): it is done, and asked again, does nothing.
    expect(await migrateArchiveNumbers(deps)).toEqual({ renumbered: 0, skipped: true });
    // As on a data folder from before the upgrade: the migration has not run.
    await s3.send(new DeleteObjectCommand({ Bucket: 'bangong-archive', Key: 'archive/migrations/dat22-numbers.json' }));
    expect(await migrateArchiveNumbers(deps)).toEqual({ renumbered: 1, skipped: false });
    expect(await deps.archive.byNumber('Z123-2026-D30-JCK-0007')).toMatchObject({ caseId: 'legacy-1', number: 'Z123-2026-D30-JCK-0007', formerNumbers: ['2026-D30-FINANCE-0007'] });
    expect(await deps.archive.byNumber('2026-D30-FINANCE-0007')).toMatchObject({ caseId: 'legacy-1', number: 'Z123-2026-D30-JCK-0007' });
    await db.send(new DeleteCommand({ TableName: 'bangong', Key: { pk: 'ARCHIVE#legacy-1', sk: 'ITEM' } }));
  });

  it('the 断号 report shows the 件号 sequence used, with no gaps', async () => {
    const gaps = await api.get('huang-li', '/api/archive/gaps?year=2026');
    expect(gaps.status, JSON.stringify(gaps.body)).toBe(200);
    expect(gaps.body.sequences).toEqual(expect.arrayContaining([expect.objectContaining({ label: expect.objectContaining({ zh: expect.stringContaining('件号') }), first: 1, last: 2, gaps: [] })]));
    expect((await api.get('ma-chao', '/api/archive/gaps?year=2026')).status).toBe(403);
  });
});
