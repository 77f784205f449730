/** What every rule is judged against: the org chart and the working calendar, read together. */
import { loadCalendar } from '../calendar/calendar-service.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Definition } from '../definitions/definition.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { OrgChart } from '../org/org.ts';
import type { Deps } from '../ports.ts';
import type { EngineContext } from './engine.ts';

export interface Rules {
  readonly org: OrgChart;
  readonly calendar: WorkingCalendar;
}

/**
 * How old the rules a decision or an automatic step goes by may be. A container keeps the chart and
 * the calendar it read last and reads them again after this; its own edits it sees at once. An
 * edit made through another container is seen within these seconds, as someone made inactive is
 * kept out within ADMISSION_CHART_AGE_MS.
 */
export const RULES_AGE_MS = 2_000;

export async function loadRules(deps: Pick<Deps, 'org' | 'calendar'>): Promise<Rules> {
  const [org, calendar] = await Promise.all([loadOrgChart(deps, { maxAgeMs: RULES_AGE_MS }), loadCalendar(deps, { maxAgeMs: RULES_AGE_MS })]);
  return { org, calendar };
}

/** The engine's context for one definition, at `now` (the clock's, unless the caller fixes it). */
export function engineContext(deps: Pick<Deps, 'clock' | 'newId'>, rules: Rules, definition: Definition, now: number = deps.clock.now()): EngineContext {
  return { definition, org: rules.org, calendar: rules.calendar, now, newId: deps.newId };
}
