import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { bucketReader } from '../support/s3.ts';

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
    const bytes = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(pdf));
    const trail = (await api.get('xu-liang', `/api/cases/${c.id}`)).body.trail;
    expect(trail.filter((t: any) => t.action === 'attach' || t.action === 'download').map((t: any) => `${t.actorName}:${t.action}`)).toEqual(['徐亮:attach', '周涛:download']);
    expect(await objects(`uploads/${c.id}/`)).toEqual([]);
    // Someone who may not see the case gets no link.
    expect((await api.post('ma-chao', `/api/cases/${c.id}/attachments/${done.body.id}/download`)).status).toBe(404);
  });

  it('refuses a wrong checksum, an executable renamed .pdf and a wrong size, leaving nothing attached and nothing behind', async () => {
    const c = await api.open('xu-liang', 'leave', '病假（校验失败）', leave);
    const tampered = Buffer.from(pdf);
    tampered[1000] = 0;
    const badSum = await upload(c.id, { fileName: 'scan.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }, tampered);
    expect(badSum.status).toBe(422);
    expect(badSum.body.error).toMatchObject({ field: 'sha256' });

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(2000, 1)]);
    const renamed = await upload(c.id, { fileName: 'invoice.pdf', contentType: 'application/pdf', size: exe.length, sha256: sha256(exe) }, exe);
    expect(renamed.status).toBe(422);
    expect(renamed.body.error.field).toBe('contentType');
    expect(renamed.body.error.message).toMatch(/不是申报的类型/);

    const short = pdf.subarray(0, 1000);
    const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: 'short.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: short });
    const wrongSize = await api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`);
    expect(wrongSize.status).toBe(422);
    expect(wrongSize.body.error.field).toBe('size');

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
});
