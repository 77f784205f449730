/** POST /api/definitions/{type}/preview {"fields"}: the values worked out and the steps a request would take; writes nothing. */
import * as z from 'zod/mini';
import { calendar, org, wire } from '../../adapters/deps.ts';
import { previewCase } from '../../domain/cases/preview-case.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org, calendar });

/** A form's values: a few kilobytes; the preview is asked for as the person types. */
const PREVIEW_BODY_BYTES = 32 * 1024;

const Body = z.object({ fields: z.record(z.string(), z.unknown(), { error: '字段须为对象。fields must be an object.' }) }, { error: '请求内容须为 JSON 对象。The body must be a JSON object.' });

export const handler = httpHandler({ path: z.object({ type: z.string().check(z.maxLength(40)) }), body: Body, maxBodyBytes: PREVIEW_BODY_BYTES }, async ({ path, body, caller }) => ({
  body: await previewCase(deps, caller, path.type, body.fields),
}));
