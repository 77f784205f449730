/** Schedule `RestartStalledCases` (hourly): replaces ended executions of open cases, resends lost wakes, files closed cases left unfiled. */
import { defaultDeps } from '../../adapters/deps.ts';
import { restartStalledCases } from '../../domain/cases/orchestrate.ts';

export const handler = async (event: { schedule: string; scheduledTime: string }) => {
  const result = await restartStalledCases(defaultDeps());
  console.log(JSON.stringify({ schedule: event.schedule, scheduledTime: event.scheduledTime, ...result }));
  return result;
};
