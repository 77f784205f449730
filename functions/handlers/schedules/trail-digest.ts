/** Schedule `TrailDigest` (daily, 01:00 China): writes the previous day's digest of trail chain heads under Object Lock; renumbers pre-DA/T 22 items once. */
import { archive, cases, clock, org, telemetry, vault, wire } from '../../adapters/deps.ts';
import { writeTrailDigest } from '../../domain/cases/trail-digest.ts';
import { migrateArchiveNumbers } from '../../domain/archive/migrate-numbers.ts';
import { observed } from '../observed.ts';
import { scheduledAt, type ScheduleEvent } from './schedule-event.ts';

const deps = wire({ cases, archive, org, vault, clock, telemetry });

export const handler = observed('TrailDigest', async (event: ScheduleEvent) => {
    // The nightly upkeep also carries the one-off renumbering of items filed before DA/T 22 numbering (done once, then a single read).
  const migrated = await migrateArchiveNumbers(deps);
  // The day closed is the one before the fire's scheduled time (a local clock moved on by days fires late).
  const scheduled = scheduledAt(event);
  const result = await writeTrailDigest(deps, scheduled === undefined || scheduled > deps.clock.now() ? undefined : scheduled);
  deps.telemetry.info('Trail digest written', { schedule: event.schedule, scheduledTime: event.scheduledTime, ...result, renumbered: migrated.renumbered });
  return result;
});
