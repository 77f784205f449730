/**
 * A notification as stored: its id is `<at>#<hash>` of who, which case, what kind and what it
 * says, so it sorts by time and the same notification always gets the same id (writing it again
 * is harmless). Both stores, and a case saved with its notifications, make it here.
 */
import { createHash } from 'node:crypto';
import type { Notification } from './cases/case.ts';
import type { StoredNotification } from './ports.ts';

export function storedNotification(n: Notification): StoredNotification {
  const hash = createHash('sha256').update(`${n.personId}|${n.caseId ?? ''}|${n.kind}|${n.message}`).digest('base64url').slice(0, 12);
  return { ...n, id: `${n.at}#${hash}`, read: false };
}

/**
 * The in-app notifications a change can write in its own transaction, at most `room`, each once:
 * the `info` kind only (emailed kinds are written only if new, by themselves, so that a re-run
 * never emails anyone twice). The rest are the caller's to record and deliver (notify.ts).
 */
export function withTheChange(notifications: readonly Notification[], room: number): { written: StoredNotification[]; rest: Notification[] } {
  const written = new Map<string, StoredNotification>();
  const rest: Notification[] = [];
  for (const n of notifications) {
    const stored = n.kind === 'info' ? storedNotification(n) : undefined;
    if (stored && written.has(`${n.personId}|${stored.id}`)) continue;
    if (stored && written.size < room) written.set(`${n.personId}|${stored.id}`, stored);
    else rest.push(n);
  }
  return { written: [...written.values()], rest };
}
