/**
 * The org chart in memory, with DynamoOrgStore's contract: a new version only from the version
 * read (else ConflictError), every version kept, and the same object handed back while a version
 * stands (org-service.ts builds one chart per object).
 */
import { ConflictError } from '../../domain/errors.ts';
import type { Org, OrgInput } from '../../domain/org/org.ts';
import type { Clock, OrgStore } from '../../domain/ports.ts';
import { copy, roundTrip } from './items.ts';

export class MemoryOrgStore implements OrgStore {
  private readonly versions: Org[] = [];

  constructor(private readonly clock: Clock) {}

  async current(_options: { maxAgeMs?: number } = {}): Promise<Org | undefined> {
    await roundTrip();
    return this.versions.at(-1);
  }

  async replace(input: OrgInput, expectedVersion: number, by: string): Promise<Org> {
    await roundTrip();
    if ((this.versions.at(-1)?.version ?? 0) !== expectedVersion) {
      throw new ConflictError('组织机构已被他人修改，请刷新后重试。The org chart was changed by someone else: reload and try again.', 'stale-version');
    }
    const org: Org = { ...copy(input), version: expectedVersion + 1, updatedAt: new Date(this.clock.now()).toISOString(), updatedBy: by };
    this.versions.push(org);
    return org;
  }

  /** Every version saved, oldest first (the table keeps them all, for the record). */
  history(): readonly Org[] {
    return this.versions;
  }
}
