/** Schedule `OverdueSweep` (daily, 08:30 Asia/Shanghai): digests of overdue and due-soon work. */
import { defaultDeps } from '../../adapters/deps.ts';
import { sweepOverdue } from '../../domain/cases/sweep-overdue.ts';

export const handler = async (event: { schedule: string; scheduledTime: string }) => {
  const deps = defaultDeps();
  const at = Date.parse(event.scheduledTime);
  const result = await sweepOverdue(deps, Number.isNaN(at) ? deps.clock.now() : at);
  const summary = { overdue: result.overdue.length, dueSoon: result.dueSoon.length, digests: result.digests, itemsRead: result.itemsRead };
  console.log(JSON.stringify({ schedule: event.schedule, scheduledTime: event.scheduledTime, ...summary }));
  return summary;
};
