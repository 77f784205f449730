/** Completing an upload: only within its day, whether or not TTL has removed the record yet. */
import { describe, expect, it } from 'vitest';
import { completeUpload, requestUpload } from '../../functions/domain/archive/uploads.ts';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

const scan = { fileName: '请假条.pdf', contentType: 'application/pdf', size: 5, sha256: 'a'.repeat(64) };

describe('complete an upload', () => {
  it('forgets an upload past its day (404), though its record is still stored; within the day it is looked for', async () => {
    const office = await givenOffice();
    const c = (await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) })).body as { id: string };
    const asked = async () => ((await requestUpload(office, as('xu-liang'), c.id, scan)).body as { uploadId: string }).uploadId;

    // Within the day: the upload is found, and the bytes are looked for (none were sent).
    const fresh = await asked();
    await expect(completeUpload(office, as('xu-liang'), c.id, fresh)).rejects.toMatchObject({ name: 'ConflictError', code: 'not-uploaded' });

    const lapsing = await asked();
    office.clock.advance(86_400_000);
    expect(await office.uploads.get(c.id, lapsing)).toBeDefined();
    await expect(completeUpload(office, as('xu-liang'), c.id, lapsing)).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
