/**
 * The `register` index (dynamodb/register-store.ts): each register's entries for a period, in the
 * order they were made. The case, archive and fact writers of the twins keep it, as their items'
 * index keys do in the table.
 */
import { PayloadTooLargeError } from '../../domain/errors.ts';
import type { RegisterStore } from '../../domain/ports.ts';
import { copy, roundTrip } from './items.ts';
import { compare } from './paging.ts';

/** As in dynamodb/register-store.ts: the most lines one view or export carries. */
const MAX_ENTRIES = 10_000;

export class MemoryRegisterIndex {
  private readonly partitions = new Map<string, Map<string, unknown>>();

  /** Writes (or replaces) the entry at `at#id` of a register's period. */
  put(register: string, period: number | string, at: string, id: string, data: unknown): void {
    const partition = `${register}#${period}`;
    let entries = this.partitions.get(partition);
    if (!entries) this.partitions.set(partition, (entries = new Map()));
    entries.set(`${at}#${id}`, copy(data));
  }

  /** The entries of a register's period, oldest first. */
  read<T>(register: string, period: number | string): T[] {
    const entries = this.partitions.get(`${register}#${period}`) ?? new Map<string, unknown>();
    return [...entries.entries()].sort(([a], [b]) => compare(a, b)).map(([, data]) => copy(data) as T);
  }
}

export class MemoryRegisterStore implements RegisterStore {
  constructor(private readonly index: MemoryRegisterIndex) {}

  async entries<T>(register: string, period: number | string, max = MAX_ENTRIES): Promise<T[]> {
    await roundTrip();
    const entries = this.index.read<T>(register, period);
    if (entries.length > max) {
      throw new PayloadTooLargeError(`登记簿超过 ${max} 条，无法一次显示。The register has over ${max} entries, more than one view holds.`, typeof period === 'number' ? 'year' : 'month');
    }
    return entries;
  }
}
