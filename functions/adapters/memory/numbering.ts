/**
 * Document numbers (编号) in memory, with DynamoNumbering's contract: a draw is one atomic
 * increment, so concurrent draws never share a number; a number is recorded once (used with its
 * case, by hand, or void), and recording it again fails.
 */
import { formatDocumentNumber } from '../../domain/numbering/document-number.ts';
import type { Clock, Numbering, NumberRecord, NumberUse } from '../../domain/ports.ts';
import { ConditionFailedError, copy, roundTrip } from './items.ts';

export class MemoryNumbering implements Numbering {
  private readonly counters = new Map<string, number>();
  private readonly records = new Map<string, Map<number, NumberRecord>>();

  constructor(private readonly clock: Clock) {}

  async allocate(kind: string, year: number): Promise<NumberUse> {
    await roundTrip();
    const sequence = (this.counters.get(this.partition(kind, year)) ?? 0) + 1;
    this.counters.set(this.partition(kind, year), sequence);
    return { kind, year, sequence, number: formatDocumentNumber(kind, year, sequence) };
  }

  async void(use: NumberUse, reason: string, by: string): Promise<void> {
    await roundTrip();
    this.recordOnce(use, { number: use.number, sequence: use.sequence, status: 'void', reason, by, at: this.now() });
  }

  async record(use: NumberUse, detail: { title: string; by: string }): Promise<void> {
    await roundTrip();
    this.recordOnce(use, { number: use.number, sequence: use.sequence, status: 'used', ...detail, at: this.now() });
  }

  async uses(kind: string, year: number): Promise<{ readonly last: number; readonly records: readonly NumberRecord[] }> {
    await roundTrip();
    const last = this.counters.get(this.partition(kind, year)) ?? 0;
    if (last === 0) return { last, records: [] };
    const records = [...(this.records.get(this.partition(kind, year))?.values() ?? [])].sort((a, b) => a.sequence - b.sequence);
    return { last, records: copy(records) };
  }

  /** Whether the number is recorded already (the case and archive twins check it inside their writes). */
  isRecorded(use: NumberUse): boolean {
    return this.records.get(this.partition(use.kind, use.year))?.has(use.sequence) ?? false;
  }

  /** Writes the record; the caller has checked `isRecorded` in the same synchronous step. */
  put(use: NumberUse, record: NumberRecord): void {
    const partition = this.partition(use.kind, use.year);
    let records = this.records.get(partition);
    if (!records) this.records.set(partition, (records = new Map()));
    records.set(use.sequence, copy(record));
  }

  private recordOnce(use: NumberUse, record: NumberRecord): void {
    if (this.isRecorded(use)) throw new ConditionFailedError(`number ${use.number} is recorded already`);
    this.put(use, record);
  }

  private partition(kind: string, year: number): string {
    return `${kind}#${year}`;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
