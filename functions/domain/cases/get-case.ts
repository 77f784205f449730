/** Reading a case: its state, the latest of its trail, its routing slip and the caller's actions. */
import { definitionVersion } from '../definitions/lookup.ts';
import { NotFoundError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Caller, Deps } from '../ports.ts';
import { caseView } from './case-view.ts';
import type { CaseRecord } from './case.ts';
import { canView } from './engine.ts';
import { TRAIL_PAGE } from './trail.ts';

type ReadDeps = Pick<Deps, 'cases' | 'org' | 'access' | 'clock'>;

/** The case if the caller may see it; otherwise the same 404 as for a case that does not exist. */
export async function visibleCase(deps: ReadDeps, caller: Caller, caseId: string) {
  const now = deps.clock.now();
  const [c, org, grants] = await Promise.all([deps.cases.get(caseId), loadOrgChart(deps), deps.access.grantsOf(caller.personId, now)]);
  // Someone who may not see a case learns nothing about it, not even that it exists.
  if (!c || !canView(c, org, caller.personId, grants)) throw new NotFoundError('没有这个案件。No such case.');
  return { c: c as CaseRecord, org, grants, now };
}

export async function getCase(deps: ReadDeps & { readonly scanTexts: Pick<Deps['scanTexts'], 'states'> }, caller: Caller, caseId: string) {
  const { c, org, grants, now } = await visibleCase(deps, caller, caseId);
  const [trail, slip, texts] = await Promise.all([
    deps.cases.trailPage(c.id, { limit: TRAIL_PAGE, viewerId: caller.personId }),
    deps.cases.slip(c),
    // Only a case with scans has text to show.
    c.attachments?.length ? deps.scanTexts.states(c.id) : [],
  ]);
  return caseView(c, definitionVersion(c.type, c.definitionVersion), org, caller.personId, now, { trail, slip, grants, texts });
}

/** Earlier trail entries, a page at a time, newest page first, each page oldest first. */
export async function getCaseTrail(deps: ReadDeps, caller: Caller, caseId: string, page: { limit: number; cursor?: string }) {
  const { c } = await visibleCase(deps, caller, caseId);
  const trail = await deps.cases.trailPage(c.id, { limit: page.limit, cursor: page.cursor, viewerId: caller.personId });
  return { items: trail.entries, earlier: trail.earlier };
}
