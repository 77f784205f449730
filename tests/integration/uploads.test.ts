import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { bucketReader } from '../support/s3.ts';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3FileStore } from '../../functions/adapters/s3/file-store.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n% 收文扫描件\n'), Buffer.alloc(300_000, 7)]);
const leave = { leaveType: 'sick', startDate: '2026-11-23', endDate: '2026-11-24', days: 2, reason: '病假，附病历' };

describe('scans go straight to S3 and are verified before they are attached', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let objects: ReturnType<typeof bucketReader>['objects'];

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE });
    api = apiClient(system.urls.api);
    objects = bucketReader(system.urls.s3).objects;
  });
  afterAll(() => system?.stop());

  /** Asks for an upload, PUTs `body` to the presigned URL, and completes it. */
  const upload = async (caseId: string, declared: { fileName: string; contentType: string; size: number; sha256: string }, body: Uint8Array) => {
    const asked = await api.post('xu-liang', `/api/cases/${caseId}/uploads`, declared);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const put = await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body });
    expect(put.status).toBe(200);
    return api.post('xu-liang', `/api/cases/${caseId}/uploads/${asked.body.uploadId}/complete`);
  };

  it('uploads through a presigned URL, verifies and attaches the file; a download link returns the same bytes and is in the trail', async () => {
    const c = await api.open('xu-liang', 'leave', '病假（附病历）', leave);
    const done = await upload(c.id, { fileName: '病历.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }, pdf);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ fileName: '病历.pdf', size: pdf.length, sha256: sha256(pdf), byName: '徐亮' });
    const view = await api.get('zhou-tao', `/api/cases/${c.id}`);
    expect(view.body.attachments).toHaveLength(1);
    const link = await api.post('zhou-tao', `/api/cases/${c.id}/attachments/${done.body.id}/download`);
    expect(link.status).toBe(200);
    const downloaded = await fetch(link.body.url);
    expect([downloaded.headers.get('content-type'), downloaded.headers.get('content-disposition')]).toEqual(['application/pdf', expect.stringMatching(/^attachment;/)]);
    const bytes = Buffer.from(await downloaded.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(pdf));
    const trail = (await api.get('xu-liang', `/api/cases/${c.id}`)).body.trail;
    expect(trail.filter((t: any) => t.action === 'attach' || t.action === 'download').map((t: any) => `${t.actorName}:${t.action}`)).toEqual(['徐亮:attach', '周涛:download']);
    expect(await objects(`uploads/${c.id}/`)).toEqual([]);
    // Someone who may not see the case gets no link.
    expect((await api.post('ma-chao', `/api/cases/${c.id}/attachments/${done.body.id}/download`)).status).toBe(404);
  });

  it('refuses other bytes than declared and a wrong size at the PUT, and an executable renamed .pdf at completion, leaving nothing attached and nothing behind', async () => {
    const c = await api.open('xu-liang', 'leave', '病假（校验失败）', leave);
    // Other bytes than the declared ones: the URL signs the SHA-256, so S3 itself refuses them.
    const tampered = Buffer.from(pdf);
    tampered[1000] = 0;
    const askedFor = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: 'scan.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    expect(askedFor.body.headers['x-amz-checksum-sha256']).toBe(createHash('sha256').update(pdf).digest('base64'));
    const refusedPut = await fetch(askedFor.body.url, { method: 'PUT', headers: askedFor.body.headers, body: tampered });
    expect([refusedPut.status, await refusedPut.text()]).toEqual([400, expect.stringContaining('<Code>BadDigest</Code>')]);
    // The declared type is signed too: the scan cannot be stored as a page a browser would render.
    const asHtml = await fetch(askedFor.body.url, { method: 'PUT', headers: { ...askedFor.body.headers, 'Content-Type': 'text/html' }, body: pdf });
    expect(asHtml.status).toBe(403);
    const nothing = await api.post('xu-liang', `/api/cases/${c.id}/uploads/${askedFor.body.uploadId}/complete`);
    expect([nothing.status, nothing.body.error.code]).toEqual([409, 'not-uploaded']);

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(2000, 1)]);
    const renamed = await upload(c.id, { fileName: 'invoice.pdf', contentType: 'application/pdf', size: exe.length, sha256: sha256(exe) }, exe);
    expect(renamed.status).toBe(422);
    expect(renamed.body.error.field).toBe('contentType');
    expect(renamed.body.error.message).toMatch(/不是申报的类型/);

    const short = pdf.subarray(0, 1000);
    const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: 'short.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    // The declared length is signed into the URL too: a shorter body is refused, as S3 refuses it.
    const shortPut = await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: short });
    expect(shortPut.status).toBe(403);
    const wrongSize = await api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`);
    expect([wrongSize.status, wrongSize.body.error.code]).toEqual([409, 'not-uploaded']);

    expect((await api.get('xu-liang', `/api/cases/${c.id}`)).body.attachments).toEqual([]);
    expect(await objects(`uploads/${c.id}/`)).toEqual([]);
    expect(await objects(`attachments/${c.id}/`)).toEqual([]);
  });

  it('refuses at the request a disallowed type, an oversized declared length, a bad checksum format, and a completion before the file arrived', async () => {
    const c = await api.open('xu-liang', 'leave', '病假（申报无效）', leave);
    const base = { fileName: 'scan.pdf', contentType: 'application/pdf', size: 1000, sha256: sha256(pdf) };
    const exe = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { ...base, contentType: 'application/x-msdownload' });
    expect(exe.status).toBe(400);
    expect(exe.body.error.field).toBe('contentType');
    const huge = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { ...base, size: 300 * 1024 * 1024 });
    expect(huge.status).toBe(400);
    expect(huge.body.error).toMatchObject({ field: 'size', message: expect.stringContaining('200 MB') });
    const badSum = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { ...base, sha256: 'abc' });
    expect(badSum.body.error.field).toBe('sha256');
    const slash = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { ...base, fileName: '../etc/passwd' });
    expect(slash.body.error.field).toBe('fileName');
    const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, base);
    const early = await api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`);
    expect(early.status).toBe(409);
    expect((await api.post('ma-chao', `/api/cases/${c.id}/uploads`, base)).status).toBe(404);
  });

  it('copies exactly the version that was read: an object replaced since is not copied', async () => {
    const s3 = new S3Client({ endpoint: system.urls.s3, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const files = new S3FileStore(s3, 'bangong-archive');
    const put = (body: string) => s3.send(new PutObjectCommand({ Bucket: 'bangong-archive', Key: 'uploads/copy-test/u1', Body: body }));
    await put('%PDF verified');
    const read = await files.open('uploads/copy-test/u1');
    for await (const _ of read.body) void _;
    await put('MZ swapped in');
    expect(await files.copy('uploads/copy-test/u1', 'attachments/copy-test/a1', read.identity)).toBe(false);
    expect(await objects('attachments/copy-test/')).toEqual([]);
    const again = await files.open('uploads/copy-test/u1');
    for await (const _ of again.body) void _;
    expect(await files.copy('uploads/copy-test/u1', 'attachments/copy-test/a1', again.identity)).toBe(true);
    const copied = await files.open('attachments/copy-test/a1');
    const chunks: Uint8Array[] = [];
    for await (const chunk of copied.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('MZ swapped in');
  });
});
