/** POST /api/cases/{id}/uploads {"fileName","contentType","size","sha256"}: a presigned upload straight to S3. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { requestUpload, UploadRequestSchema } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ body: UploadRequestSchema, path: z.object({ id: z.string().min(1).max(60) }) }, async ({ body, path, caller }) => ({
  statusCode: 201,
  body: await requestUpload(defaultDeps(), caller, path.id, body),
}));
