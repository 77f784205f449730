/** POST /api/cases/{id}/uploads {"fileName","contentType","size","sha256"}: a presigned upload straight to S3, for exactly that file. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { requestUpload, UploadRequestSchema } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ body: UploadRequestSchema, path: z.object({ id: z.string().min(1).max(60) }) }, ({ body, path, caller, idempotencyKey }) =>
  requestUpload(defaultDeps(), caller, path.id, body, idempotencyKey),
);
