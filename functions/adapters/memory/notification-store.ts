/**
 * In-app notifications in memory, with DynamoNotificationStore's contract: ids are deterministic,
 * so recording the same notification again is harmless, and emailed kinds are handed back for
 * delivery only when new (a re-run never emails anyone twice); lists are newest first, paged.
 */
import type { Notification } from '../../domain/cases/case.ts';
import type { NotificationStore, Page, StoredNotification } from '../../domain/ports.ts';
import { MemoryCursors } from './cursors.ts';
import { copy, roundTrip } from './items.ts';
import { compare, pageOf } from './paging.ts';
import { storedNotification } from '../../domain/notification-id.ts';

export class MemoryNotificationStore implements NotificationStore {
  private readonly byPerson = new Map<string, Map<string, StoredNotification>>();

  constructor(private readonly cursors = new MemoryCursors()) {}

  async record(notifications: readonly Notification[]): Promise<StoredNotification[]> {
    await roundTrip();
    const stored = notifications.map((n) => storedNotification(copy(n)));
    const fresh: StoredNotification[] = [];
    for (const n of stored) {
      const items = this.itemsOf(n.personId);
      if (n.kind !== 'info') {
        // Only if new: a retried task or a sweep run twice must not email anyone twice.
        if (items.has(n.id)) continue;
        fresh.push(n);
      }
      // Info items are written over, read state and all, as a batch write does.
      items.set(n.id, copy(n));
    }
    return [...fresh, ...stored.filter((x) => x.kind === 'info')];
  }

  /** Writes one over what is there, as part of a case store's transaction (memory/case-store.ts). */
  put(n: StoredNotification): void {
    this.itemsOf(n.personId).set(n.id, copy(n));
  }

  async list(personId: string, options: { unreadOnly: boolean; limit: number; cursor?: string }): Promise<Page<StoredNotification>> {
    await roundTrip();
    const rows = [...this.itemsOf(personId).values()].map((n) => ({ sortKey: n.id, value: n }));
    const { items, next } = pageOf(this.cursors, {
      rows,
      descending: true,
      limit: options.limit,
      cursor: options.cursor,
      scope: `notifications|${personId}|${options.unreadOnly}`,
      accept: options.unreadOnly ? (n) => !n.read : undefined,
    });
    return { items: copy(items), next };
  }

  async markRead(personId: string, ids: readonly string[]): Promise<number> {
    await roundTrip();
    let count = 0;
    const items = this.itemsOf(personId);
    for (const id of ids) {
      const n = items.get(id);
      if (n && !n.read) {
        items.set(id, { ...n, read: true });
        count++;
      }
    }
    return count;
  }

  async unreadCount(personId: string, max: number, window: number): Promise<number> {
    await roundTrip();
    // Newest first, never more than `window` looked at.
    const newest = [...this.itemsOf(personId).values()].sort((a, b) => compare(b.id, a.id)).slice(0, window);
    return Math.min(newest.filter((n) => !n.read).length, max);
  }

  async recordEmail(personId: string, id: string, email: NonNullable<StoredNotification['email']>): Promise<void> {
    await roundTrip();
    const items = this.itemsOf(personId);
    const n = items.get(id);
    if (n) items.set(id, { ...n, email: copy(email) });
  }

  private itemsOf(personId: string): Map<string, StoredNotification> {
    let items = this.byPerson.get(personId);
    if (!items) this.byPerson.set(personId, (items = new Map()));
    return items;
  }
}
