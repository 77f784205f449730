/** POST /api/cases/{id}/attachments/{attachmentId}/download: a link valid for five minutes; the download is in the trail. */
import * as z from 'zod/mini';
import { access, archive, calendar, cases, clock, files, limits, newId, org, telemetry, uploads, wire } from '../../adapters/deps.ts';
import { downloadAttachment } from '../../domain/archive/uploads.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, calendar, access, archive, files, uploads, limits, clock, newId, telemetry });

export const handler = httpHandler({ path: z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)), attachmentId: z.string().check(z.minLength(1), z.maxLength(60)) }) }, ({ path, caller, idempotencyKey }) =>
  downloadAttachment(deps, caller, path.id, path.attachmentId, idempotencyKey),
);
