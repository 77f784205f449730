/** Schedule `RecurringObligations` (daily 08:00 Asia/Shanghai): opens each period's case of the recurring obligations. */
import { defaultDeps } from '../../adapters/deps.ts';
import { openDueObligations } from '../../domain/obligations/open-obligations.ts';

export const handler = async (event: { schedule: string; scheduledTime: string }) => {
  const deps = defaultDeps();
  const at = Date.parse(event.scheduledTime);
  const opened = await openDueObligations(deps, Number.isNaN(at) ? deps.clock.now() : at);
  console.log(JSON.stringify({ schedule: event.schedule, scheduledTime: event.scheduledTime, opened }));
  return { opened };
};
