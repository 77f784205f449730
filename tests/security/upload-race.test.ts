/**
 * Attack: swap a verified scan. The attacker asks to upload a clean PDF, sends it, and while the
 * server verifies and attaches it sends other bytes (an executable) to the same upload URL again
 * and again. What gets attached must be exactly the clean bytes, or nothing.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const ROUNDS = 100;
const sha256 = (bytes: Uint8Array, encoding: 'hex' | 'base64' = 'hex') => createHash('sha256').update(bytes).digest(encoding);
const clean = Buffer.concat([Buffer.from('%PDF-1.7\n% 收文扫描件\n'), Buffer.alloc(64_000, 7)]);
const executable = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(clean.length - 4, 1)]);

describe('attack: swapping the bytes of a scan while it is verified', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let s3: S3Client;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE });
    api = apiClient(system.urls.api);
    s3 = new S3Client({ endpoint: system.urls.s3, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  });
  afterAll(() => system?.stop());

  it(`in ${ROUNDS} rounds attaches the verified bytes or nothing, never the executable`, async () => {
    const c = await api.open('xu-liang', 'leave', '病假（附病历）', { leaveType: 'sick', startDate: '2026-11-23', endDate: '2026-11-24', days: 2, reason: '病假' });
    const outcome = { attached: 0, refused: 0, swapsAccepted: 0, swapsRefused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: `病历-${round}.pdf`, contentType: 'application/pdf', size: clean.length, sha256: sha256(clean) });
      expect(asked.status).toBe(201);
      expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: clean })).status).toBe(200);
      // The swap, sent as the completion runs: with the URL's own headers, and with the checksum header changed to the executable's.
      const swaps = [
        fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: executable }),
        fetch(asked.body.url, { method: 'PUT', headers: { ...asked.body.headers, 'x-amz-checksum-sha256': sha256(executable, 'base64') }, body: executable }),
      ];
      const [completed, ...swapped] = await Promise.all([api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`), ...swaps]);
      for (const swap of swapped) swap.ok ? outcome.swapsAccepted++ : outcome.swapsRefused++;
      if (completed.status === 200) {
        outcome.attached++;
        expect(completed.body.sha256).toBe(sha256(clean));
      } else {
        outcome.refused++;
        expect(completed.status, JSON.stringify(completed.body)).toBeLessThan(500);
      }
    }
    // Every attached file is the clean scan, byte for byte, as the case records it.
    const view = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(view.body.attachments).toHaveLength(outcome.attached);
    const caseItem = view.body.attachments as { id: string; sha256: string }[];
    for (const a of caseItem) {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'bangong-archive', Key: `attachments/${c.id}/${a.id}` }));
      expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(clean));
    }
    console.log(`[security] upload race: ${ROUNDS} rounds, ${outcome.attached} attached (all the verified bytes), ${outcome.refused} refused, ${outcome.swapsRefused} swaps refused by S3, ${outcome.swapsAccepted} accepted`);
    expect(outcome.swapsAccepted).toBe(0);
    expect(outcome.attached + outcome.refused).toBe(ROUNDS);
  }, 180_000);

  it('attaches only the version it verified even when other bytes land in the upload during verification (written with the server’s own credentials, past the URL’s checksum)', async () => {
    const c = await api.open('wu-min', 'leave', '病假（校验期间被改写）', { leaveType: 'sick', startDate: '2026-11-23', endDate: '2026-11-24', days: 2, reason: '病假' });
    const outcome = { attached: 0, refused: 0, swapped: 0, refusedAtRead: 0, refusedAtCopy: 0 };
    for (let round = 0; round < 30; round++) {
      const asked = await api.post('wu-min', `/api/cases/${c.id}/uploads`, { fileName: `病历-${round}.pdf`, contentType: 'application/pdf', size: clean.length, sha256: sha256(clean) });
      expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: clean })).status).toBe(200);
      const key = new URL(asked.body.url).pathname.replace(/^\/bangong-archive\//, '');
      // The overwrite starts 0–58 ms after the completion, so that across the rounds it lands before
      // the file is read, while it is checked, and after it is copied.
      const overwrite = new Promise((resolve) => setTimeout(resolve, 2 * round)).then(() => s3.send(new PutObjectCommand({ Bucket: 'bangong-archive', Key: key, Body: executable })));
      const [completed] = await Promise.all([api.post('wu-min', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`), overwrite.then(() => outcome.swapped++)]);
      if (completed.status === 200) outcome.attached++;
      else {
        outcome.refused++;
        expect(completed.status, JSON.stringify(completed.body)).toBeLessThan(500);
        if (completed.body.error.field === 'file') outcome.refusedAtCopy++;
        else outcome.refusedAtRead++;
      }
    }
    const view = await api.get('wu-min', `/api/cases/${c.id}`);
    for (const a of view.body.attachments as { id: string }[]) {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'bangong-archive', Key: `attachments/${c.id}/${a.id}` }));
      expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(clean));
    }
    console.log(
      `[security] upload overwritten during verification: 30 rounds, ${outcome.attached} attached (all the verified bytes), ${outcome.refused} refused (${outcome.refusedAtRead} when read, ${outcome.refusedAtCopy} at the copy: changed since read)`,
    );
    expect(view.body.attachments).toHaveLength(outcome.attached);
    expect(outcome.attached + outcome.refused).toBe(30);
  }, 180_000);
});
