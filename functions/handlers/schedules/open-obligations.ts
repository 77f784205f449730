/** Schedule `RecurringObligations` (daily 08:00 Asia/Shanghai): opens each period's case of the recurring obligations. */
import { calendar, cases, clock, mailer, newId, notifications, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { openDueObligations } from '../../domain/obligations/open-obligations.ts';
import { observed } from '../observed.ts';
import { scheduledAt, type ScheduleEvent } from './schedule-event.ts';

const deps = wire({ cases, org, calendar, notifications, mailer, workflows, telemetry, clock, newId });

export const handler = observed('RecurringObligations', async (event: ScheduleEvent) => {
    const opened = await openDueObligations(deps, scheduledAt(event) ?? deps.clock.now());
  deps.telemetry.info('Recurring obligations opened', { schedule: event.schedule, scheduledTime: event.scheduledTime, opened });
  return { opened };
});
