/** Reading and replacing the org chart (an admin's edit through the API). */
import { ForbiddenError, NotReadyError, ValidationError } from '../errors.ts';
import type { Caller, Deps } from '../ports.ts';
import { OrgChart, OrgInputSchema, type Org } from './org.ts';

export async function loadOrgChart(deps: Pick<Deps, 'org'>): Promise<OrgChart> {
  const org = await deps.org.current();
  if (!org) throw new NotReadyError('尚未设置组织机构，请管理员先导入。The org chart is not set up yet: an admin must load it.');
  return new OrgChart(org);
}

/** Replaces the org chart with a new version. Trail entries keep the names they were written with. */
export async function replaceOrg(deps: Pick<Deps, 'org'>, caller: Caller, input: unknown, expectedVersion: number): Promise<Org> {
  const current = await deps.org.current();
  const isAdmin = current ? new OrgChart(current).has(caller.personId, 'admin') : caller.groups.includes('admin');
  if (!isAdmin) throw new ForbiddenError('只有管理员可以修改组织机构。Only an admin can change the org chart.');
  const parsed = OrgInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, issue.path.join('.') || 'org');
  }
  return deps.org.replace(parsed.data, expectedVersion, caller.personId);
}
