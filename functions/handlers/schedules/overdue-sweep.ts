/** Schedule `OverdueSweep` (daily, 08:30 Asia/Shanghai): digests of overdue and due-soon work. */
import { calendar, cases, clock, mailer, notifications, org, telemetry, wire } from '../../adapters/deps.ts';
import { sweepOverdue } from '../../domain/cases/sweep-overdue.ts';
import { observed } from '../observed.ts';
import { scheduledAt, type ScheduleEvent } from './schedule-event.ts';

const deps = wire({ cases, org, calendar, notifications, mailer, clock, telemetry });

export const handler = observed('OverdueSweep', async (event: ScheduleEvent) => {
    const result = await sweepOverdue(deps, scheduledAt(event) ?? deps.clock.now());
  const summary = { overdue: result.overdue.length, dueSoon: result.dueSoon.length, digests: result.digests, itemsRead: result.itemsRead };
  deps.telemetry.count('OverdueAtSweep', summary.overdue);
  deps.telemetry.info('Overdue sweep done', { schedule: event.schedule, scheduledTime: event.scheduledTime, ...summary });
  return summary;
});
