/**
 * Delivers notifications: every one to the in-app list; reminders, escalations and digests also by
 * email to the person's address in the org chart. Each email's outcome is recorded on its item.
 */
import type { Notification } from './cases/case.ts';
import type { OrgChart } from './org/org.ts';
import type { Caller, Deps, StoredNotification, Told } from './ports.ts';
import { fingerprint, idempotentRepeatable, type Response } from './idempotency.ts';

/**
 * `notifications`: a list to record (emailed kinds only if new, so a re-run emails nobody twice),
 * or what a case store told with a change (Told): those it wrote are mailed, the rest recorded.
 */
export async function deliver(deps: Pick<Deps, 'notifications' | 'mailer' | 'clock'>, org: OrgChart, notifications: readonly Notification[] | Told): Promise<void> {
  const { written, rest } = 'rest' in notifications ? notifications : { written: [], rest: notifications };
  // What the change wrote is mailed whatever becomes of recording the rest.
  const outcomes = await Promise.allSettled([mail(deps, org, written), rest.length > 0 ? deps.notifications.record(rest).then((stored) => mail(deps, org, stored)) : undefined]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Emails the emailed kinds among stored notifications, recording each email's outcome on its item. */
async function mail(deps: Pick<Deps, 'notifications' | 'mailer' | 'clock'>, org: OrgChart, stored: readonly StoredNotification[]): Promise<void> {
  await Promise.all(
    stored
      .filter((n) => n.kind !== 'info')
      .map(async (n) => {
        const at = new Date(deps.clock.now()).toISOString();
        const to = org.person(n.personId)?.email;
        if (!to) return deps.notifications.recordEmail(n.personId, n.id, { status: 'no-address', at });
        try {
          const { messageId } = await deps.mailer.send({ to, subject: `【办公】${n.title}`, text: `${n.message}\n\n${n.link ?? ''}` });
          await deps.notifications.recordEmail(n.personId, n.id, { status: 'sent', at, messageId });
        } catch (error) {
          await deps.notifications.recordEmail(n.personId, n.id, { status: 'failed', at, error: error instanceof Error ? error.name : String(error) });
        }
      }),
  );
}

/** Marks some of the caller's notifications read; a retry with the request's key gets the first answer. */
export async function markNotificationsRead(deps: Pick<Deps, 'notifications' | 'cases'>, caller: Caller, ids: readonly string[], idempotencyKey?: string): Promise<Response> {
  return idempotentRepeatable(deps.cases, caller, idempotencyKey, fingerprint('read', ids), async () => ({
    statusCode: 200,
    body: { read: await deps.notifications.markRead(caller.personId, ids) },
  }));
}

/** The header's badge counts to 99, then says 99+. */
const UNREAD_SHOWN = 99;

/** The badge looks back this far: older unread ones are in the message centre, not counted. */
const UNREAD_WINDOW = 500;

/** How many of the caller's recent notifications are unread, for the header on every page. */
export async function unreadNotifications(deps: Pick<Deps, 'notifications'>, caller: Caller): Promise<{ count: number; more: boolean }> {
  const count = await deps.notifications.unreadCount(caller.personId, UNREAD_SHOWN + 1, UNREAD_WINDOW);
  return { count: Math.min(count, UNREAD_SHOWN), more: count > UNREAD_SHOWN };
}
