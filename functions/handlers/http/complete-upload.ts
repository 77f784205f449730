/** POST /api/cases/{id}/uploads/{uploadId}/complete: verifies the uploaded file and attaches exactly the bytes verified. */
import * as z from 'zod/mini';
import { access, archive, calendar, cases, clock, files, limits, newId, org, telemetry, uploads, wire } from '../../adapters/deps.ts';
import { completeUpload } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, calendar, access, archive, files, uploads, limits, clock, newId, telemetry });

export const handler = httpHandler({ path: z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)), uploadId: z.string().check(z.minLength(1), z.maxLength(60)) }) }, ({ path, caller, idempotencyKey }) =>
  completeUpload(deps, caller, path.id, path.uploadId, idempotencyKey),
);
