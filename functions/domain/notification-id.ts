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
 * The notifications a change writes in its own transaction, at most `room`, each once. A change
 * commits once (its version is checked), so what it writes is new: emailing those written never
 * emails anyone twice, as a retried task or a second delivery of a chase finds the change made.
 */
export function withTheChange(notifications: readonly Notification[], room: number): { written: StoredNotification[]; rest: Notification[] } {
  const written: StoredNotification[] = [];
  const rest: Notification[] = [];
  const seen = new Set<string>();
  for (const n of notifications) {
    const stored = storedNotification(n);
    // The same item twice in one batch or transaction fails it whole.
    if (seen.has(`${n.personId}|${stored.id}`)) continue;
    seen.add(`${n.personId}|${stored.id}`);
    if (written.length < room) written.push(stored);
    else rest.push(n);
  }
  return { written, rest };
}
