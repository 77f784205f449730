/** POST /api/cases/{id}/attachments/{attachmentId}/text: 重新识别, reading a file's text again after it failed. */
import * as z from 'zod/mini';
import { access, archive, cases, clock, org, scanTextStates, wire } from '../../adapters/deps.ts';
import { retryScanText } from '../../domain/search/read-scan-texts.ts';
import { httpHandler } from '../middleware.ts';

// The scans' states only: no S3 client.
const deps = wire({ cases, org, access, archive, scanTexts: scanTextStates, clock });

export const handler = httpHandler({ path: z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)), attachmentId: z.string().check(z.minLength(1), z.maxLength(60)) }) }, ({ path, caller, idempotencyKey }) =>
  retryScanText(deps, caller, path.id, path.attachmentId, idempotencyKey),
);
