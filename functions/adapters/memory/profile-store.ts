/** What each person keeps for themselves (常用意见), in memory. */
import type { ProfileStore } from '../../domain/ports.ts';
import { copy, roundTrip } from './items.ts';

export class MemoryProfileStore implements ProfileStore {
  private readonly opinionsOf = new Map<string, string[]>();

  async opinions(personId: string): Promise<string[] | undefined> {
    await roundTrip();
    return copy(this.opinionsOf.get(personId));
  }

  async keepOpinions(personId: string, opinions: readonly string[]): Promise<void> {
    await roundTrip();
    this.opinionsOf.set(personId, [...opinions]);
  }
}
