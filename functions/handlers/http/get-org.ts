/** GET /api/org: the current org chart. */
import { defaultDeps } from '../../adapters/deps.ts';
import { NotReadyError } from '../../domain/errors.ts';
import { httpHandler } from '../middleware.ts';

export const handler = httpHandler({}, async () => {
  const org = await defaultDeps().org.current();
  if (!org) throw new NotReadyError('尚未设置组织机构。The org chart is not set up yet.');
  return { body: org };
});
