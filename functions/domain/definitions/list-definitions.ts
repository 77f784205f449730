/** GET /api/definitions' use case: the catalogue offered to the caller (新建申请). */
import { loadOrgChart } from '../org/org-service.ts';
import { numberingYear } from '../numbering/document-number.ts';
import type { Caller, Deps } from '../ports.ts';
import { offeredTo } from './starting.ts';

/** How far back "most used" looks: the person's latest requests. */
const RECENT_REQUESTS = 100;

export async function listDefinitions(deps: Pick<Deps, 'org' | 'cases' | 'clock'>, caller: Caller, options: { startable?: boolean } = {}) {
  const org = await loadOrgChart(deps);
  const recent = await deps.cases.list({ applicantId: caller.personId, year: numberingYear(deps.clock.now()), limit: RECENT_REQUESTS, viewerId: caller.personId });
  const used = new Map<string, number>();
  for (const c of recent.items) used.set(c.type, (used.get(c.type) ?? 0) + 1);
  const items = offeredTo(org, caller.personId, used);
  return { items: options.startable ? items.filter((d) => d.canStart) : items };
}
