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

export async function loadRules(deps: Pick<Deps, 'org' | 'calendar'>): Promise<Rules> {
  const [org, calendar] = await Promise.all([loadOrgChart(deps), loadCalendar(deps)]);
  return { org, calendar };
}

/** The engine's context for one definition, at `now` (the clock's, unless the caller fixes it). */
export function engineContext(deps: Pick<Deps, 'clock' | 'newId'>, rules: Rules, definition: Definition, now: number = deps.clock.now()): EngineContext {
  return { definition, org: rules.org, calendar: rules.calendar, now, newId: deps.newId };
}
