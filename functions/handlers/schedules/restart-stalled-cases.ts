/** Schedule `RestartStalledCases` (hourly): replaces ended executions of open cases, resends lost wakes, files closed cases left unfiled. */
import { defaultDeps } from '../../adapters/deps.ts';
import { restartStalledCases } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';
import type { ScheduleEvent } from './schedule-event.ts';

export const handler = observed('RestartStalledCases', async (event: ScheduleEvent) => {
  const deps = defaultDeps();
  const result = await restartStalledCases(deps);
  deps.telemetry.info('Stalled cases restarted', { schedule: event.schedule, scheduledTime: event.scheduledTime, ...result });
  return result;
});
