/** Reading and replacing the org chart (an admin's edit through the API). */
import { ForbiddenError, NotReadyError, UnprocessableError, ValidationError } from '../errors.ts';
import type { Caller, Deps } from '../ports.ts';
import { OrgChart, OrgInputSchema, type Org } from './org.ts';

/** The chart built for each version read (a store hands the same object back while the version stands). */
const charts = new WeakMap<Org, OrgChart>();

function chartOf(org: Org): OrgChart {
  let chart = charts.get(org);
  if (!chart) charts.set(org, (chart = new OrgChart(org)));
  return chart;
}

export async function loadOrgChart(deps: Pick<Deps, 'org'>, options: { maxAgeMs?: number } = {}): Promise<OrgChart> {
  const org = await deps.org.current(options);
  if (!org) throw new NotReadyError('尚未设置组织机构，请管理员先导入。The org chart is not set up yet: an admin must load it.');
  return chartOf(org);
}

/** How old a chart admission may go by (a container reads the chart anew after this). */
export const ADMISSION_CHART_AGE_MS = 5_000;

/**
 * Whether a signed-in person may use the system at all: they must be an active person of the org
 * chart. A sign-in that outlives someone's place in the office (they left, were made inactive, or
 * were never entered) opens nothing. Before any chart exists only the admin's first load can work.
 */
export async function admitCaller(deps: Pick<Deps, 'org'>, caller: Caller): Promise<void> {
  // A chart read in the last few seconds will do: someone made inactive is kept out within that.
  const org = await deps.org.current({ maxAgeMs: ADMISSION_CHART_AGE_MS });
  if (!org) return;
  const person = chartOf(org).person(caller.personId);
  if (!person || person.active === false) {
    throw new ForbiddenError('您不在本单位组织机构中或账号已停用，请联系管理员。You are not an active member of the org chart: ask an admin.');
  }
}

/** Replaces the org chart with a new version. Trail entries keep the names they were written with. */
export async function replaceOrg(deps: Pick<Deps, 'org'>, caller: Caller, input: unknown, expectedVersion: number): Promise<Org> {
  const current = await deps.org.current();
  const isAdmin = current ? new OrgChart(current).has(caller.personId, 'admin') : caller.groups.includes('admin');
  if (!isAdmin) throw new ForbiddenError('只有管理员可以修改组织机构。Only an admin can change the org chart.');
  const parsed = OrgInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(issue.message, ['org', ...issue.path].join('.'));
  }
  // The one who saves it must remain an active admin in it: otherwise nobody could sign in to mend it.
  const self = parsed.data.people.find((p) => p.id === caller.personId);
  if (!self || self.active === false || !self.roles.includes('admin')) {
    throw new UnprocessableError('would-lock-out', '新的组织机构中您须仍是启用的管理员（admin），否则无人能再修改它。You must stay an active admin in the new org chart, or nobody could change it again.', 'org.people');
  }
  return deps.org.replace(parsed.data, expectedVersion, caller.personId);
}
