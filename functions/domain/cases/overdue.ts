/**
 * How overdue something is, said one way everywhere (the inbox, the 超期督办 board, the digests,
 * the case): whole calendar days past the due time, a day begun counting as one — work due at
 * 17:30 yesterday is "超期 1 天" this morning.
 */
const DAY_MS = 86_400_000;

export function daysOverdue(dueAt: string | undefined, now: number): number {
  if (!dueAt) return 0;
  const late = now - Date.parse(dueAt);
  return late > 0 ? Math.ceil(late / DAY_MS) : 0;
}
