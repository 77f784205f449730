/** POST /api/cases/{id}/attachments/{attachmentId}/download: a link valid for five minutes; the download is in the trail. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { downloadAttachment } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({ path: z.object({ id: z.string().min(1).max(60), attachmentId: z.string().min(1).max(60) }) }, ({ path, caller, idempotencyKey }) =>
  downloadAttachment(defaultDeps(), caller, path.id, path.attachmentId, idempotencyKey),
);
