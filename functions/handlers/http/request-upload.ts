/** POST /api/cases/{id}/uploads {"fileName","contentType","size","sha256"}: a presigned upload straight to S3, for exactly that file. */
import * as z from 'zod/mini';
import { access, archive, calendar, cases, clock, files, limits, newId, org, telemetry, uploads, wire } from '../../adapters/deps.ts';
import { requestUpload, UploadRequestSchema } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, calendar, access, archive, files, uploads, limits, clock, newId, telemetry });

export const handler = httpHandler({ body: UploadRequestSchema, path: z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)) }) }, ({ body, path, caller, idempotencyKey }) =>
  requestUpload(deps, caller, path.id, body, idempotencyKey),
);
