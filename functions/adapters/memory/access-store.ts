/** Access grants (查阅授权) in memory, with DynamoAccessStore's contract: a grant only ever lengthens; every grant is logged for good. */
import type { AccessGrant, AccessStore, GrantRecord } from '../../domain/ports.ts';
import { copy, roundTrip } from './items.ts';
import { compare } from './paging.ts';

export class MemoryAccessStore implements AccessStore {
  /** Live grants by `personId#caseId`. */
  private readonly live = new Map<string, AccessGrant>();
  /** The log, by case and `grantedAt#personId#viaCaseId` (granting twice writes the same entry). */
  private readonly log = new Map<string, Map<string, GrantRecord>>();

  async history(caseId: string): Promise<GrantRecord[]> {
    await roundTrip();
    return [...(this.log.get(caseId)?.entries() ?? [])].sort(([a], [b]) => compare(a, b)).map(([, record]) => copy(record));
  }

  async grantsOf(personId: string, now: number): Promise<ReadonlySet<string>> {
    await roundTrip();
    const at = new Date(now).toISOString();
    return new Set([...this.live.values()].filter((g) => g.personId === personId && g.until > at).map((g) => g.caseId));
  }

  async grant(grant: AccessGrant): Promise<void> {
    await roundTrip();
    let log = this.log.get(grant.caseId);
    if (!log) this.log.set(grant.caseId, (log = new Map()));
    log.set(`${grant.grantedAt}#${grant.personId}#${grant.viaCaseId}`, { personId: grant.personId, grantedAt: grant.grantedAt, until: grant.until, viaCaseId: grant.viaCaseId });
    // A retried or older approval never shortens a later one.
    const id = `${grant.personId}#${grant.caseId}`;
    const existing = this.live.get(id);
    if (!existing || existing.until < grant.until) this.live.set(id, copy(grant));
  }
}
