/** POST /api/cases/{id}/uploads/{uploadId}/complete: verifies the uploaded file and attaches exactly the bytes verified. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { completeUpload } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ path: z.object({ id: z.string().min(1).max(60), uploadId: z.string().min(1).max(60) }) }, ({ path, caller, idempotencyKey }) =>
  completeUpload(defaultDeps(), caller, path.id, path.uploadId, idempotencyKey),
);
