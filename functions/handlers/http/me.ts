/** GET /api/me: who the caller is in the org chart. */
import { org, wire } from '../../adapters/deps.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { loadOrgChart } from '../../domain/org/org-service.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org });

export const handler = httpHandler({}, async ({ caller }) => {
  const org = await loadOrgChart(deps);
  const person = org.person(caller.personId);
  if (!person) throw new NotFoundError('组织机构中没有您的记录。You are not in the org chart.');
  return { body: { ...person, department: org.department(person.departmentId) } };
});
