/** GET /api/definitions: the processes on offer. */
import { latestDefinitions } from '../../domain/definitions/catalog/index.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({}, async () => ({
  body: { items: latestDefinitions().map((d) => ({ type: d.type, version: d.version, name: d.name, description: d.description, source: d.source })) },
}));
