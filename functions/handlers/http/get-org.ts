/** GET /api/org: the current org chart, each person and department with the pinyin and initials of its name (for pickers). */
import { org, wire } from '../../adapters/deps.ts';
import { NotReadyError } from '../../domain/errors.ts';
import { orgDirectory } from '../../domain/org/directory.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org });

export const handler = httpHandler({}, async () => {
  const org = await deps.org.current();
  if (!org) throw new NotReadyError('尚未设置组织机构。The org chart is not set up yet.');
  return { body: orgDirectory(org) };
});
