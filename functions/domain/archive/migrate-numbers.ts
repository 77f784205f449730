/**
 * Items filed before DA/T 22 numbering (2026-D30-OFFICE-0003) get their 档号 in the standard's
 * form (Z123-2026-D30-BGS-0003) from their own year, retention, department and 件号; the old number
 * is kept on the item and keeps finding it (borrowing and destruction requests that name it).
 * Runs once: at a local start, and in AWS with the first daily trail digest after the upgrade.
 */
import { loadOrgChart } from '../org/org-service.ts';
import type { Deps } from '../ports.ts';
import { renumbered } from './archive.ts';

const DONE = 'archive/migrations/dat22-numbers.json';
const FIRST_YEAR = 2000;

export async function migrateArchiveNumbers(deps: Pick<Deps, 'archive' | 'org' | 'vault' | 'clock'>): Promise<{ renumbered: number; skipped: boolean }> {
  if (await deps.vault.get(DONE)) return { renumbered: 0, skipped: true };
  const org = await deps.org.current();
  // Nothing can have been filed before the org chart existed.
  if (!org) return { renumbered: 0, skipped: true };
  const chart = await loadOrgChart(deps);
  const thisYear = new Date(deps.clock.now() + 8 * 3_600_000).getUTCFullYear();
  let count = 0;
  for (let year = FIRST_YEAR; year <= thisYear; year++) {
    for await (const item of deps.archive.itemsOf(year)) {
      const to = renumbered(item, chart);
      if (to && (await deps.archive.renumber(item, to))) count++;
    }
  }
  await deps.vault.create(DONE, new TextEncoder().encode(JSON.stringify({ at: new Date(deps.clock.now()).toISOString(), renumbered: count })), 'application/json');
  return { renumbered: count, skipped: false };
}
