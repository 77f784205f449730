/** Schedule `RecurringObligations` (daily 08:00 Asia/Shanghai): opens each period's case of the recurring obligations. */
import { defaultDeps } from '../../adapters/deps.ts';
import { openDueObligations } from '../../domain/obligations/open-obligations.ts';
import { observed } from '../observed.ts';
import { scheduledAt, type ScheduleEvent } from './schedule-event.ts';

export const handler = observed('RecurringObligations', async (event: ScheduleEvent) => {
  const deps = defaultDeps();
  const opened = await openDueObligations(deps, scheduledAt(event) ?? deps.clock.now());
  deps.telemetry.info('Recurring obligations opened', { schedule: event.schedule, scheduledTime: event.scheduledTime, opened });
  return { opened };
});
