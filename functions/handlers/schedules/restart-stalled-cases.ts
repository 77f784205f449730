/** Schedule `RestartStalledCases` (hourly): replaces ended executions of open cases, resends lost wakes, runs chases that were lost, files closed cases left unfiled. */
import { access, archive, calendar, cases, chases, clock, files, mailer, newId, notifications, numbering, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { restartStalledCases } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';
import type { ScheduleEvent } from './schedule-event.ts';

const deps = wire({ cases, org, calendar, archive, numbering, files, access, notifications, mailer, workflows, chases, telemetry, clock, newId });

export const handler = observed('RestartStalledCases', async (event: ScheduleEvent) => {
    const result = await restartStalledCases(deps);
  deps.telemetry.info('Stalled cases restarted', { schedule: event.schedule, scheduledTime: event.scheduledTime, ...result });
  return result;
});
