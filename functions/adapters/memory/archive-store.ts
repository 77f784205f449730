/**
 * Filed items (件) in memory, with DynamoArchiveStore's contract: an item is filed once, with its
 * 档号 pointer and its number recorded as used, all or nothing; destroyed items keep their state;
 * the year's catalogue is the `register` index (archive-catalogue), in filing order.
 */
import type { ArchiveItem } from '../../domain/archive/archive.ts';
import type { ArchiveJob, ArchiveStore, NumberUse } from '../../domain/ports.ts';
import { ConditionFailedError, copy, roundTrip } from './items.ts';
import type { MemoryNumbering } from './numbering.ts';
import type { MemoryRegisterIndex } from './register-store.ts';

const CATALOGUE = 'archive-catalogue';

export class MemoryArchiveStore implements ArchiveStore {
  private readonly items = new Map<string, ArchiveItem>();
  /** 档号 → case; an old number keeps pointing after a renumbering. */
  private readonly numbers = new Map<string, string>();
  private readonly jobsById = new Map<string, ArchiveJob>();

  constructor(
    private readonly registers: MemoryRegisterIndex,
    private readonly numbering: MemoryNumbering,
  ) {}

  async get(caseId: string): Promise<ArchiveItem | undefined> {
    await roundTrip();
    return copy(this.items.get(caseId));
  }

  async byNumber(number: string): Promise<ArchiveItem | undefined> {
    await roundTrip();
    const caseId = this.numbers.get(number);
    return caseId === undefined ? undefined : copy(this.items.get(caseId));
  }

  async file(item: ArchiveItem, number: NumberUse): Promise<boolean> {
    await roundTrip();
    if (this.items.has(item.caseId) || this.numbers.has(item.number) || this.numbering.isRecorded(number)) return false;
    this.put(item);
    this.numbers.set(item.number, item.caseId);
    this.numbering.put(number, { number: item.number, sequence: number.sequence, status: 'used', caseId: item.caseId, title: item.title, at: item.filedAt });
    return true;
  }

  async markDestroyed(caseId: string, at: string, destructionCaseId: string): Promise<boolean> {
    await roundTrip();
    const item = this.items.get(caseId);
    if (item?.status !== 'kept') return false;
    this.put({ ...item, status: 'destroyed', destroyedAt: at, destructionCaseId });
    return true;
  }

  async recordCheck(caseId: string, change: Pick<ArchiveItem, 'check' | 'files'> & { stamped?: ArchiveItem['stamped'] }): Promise<void> {
    await roundTrip();
    const item = this.items.get(caseId);
    // Never over a destruction that came first: a destroyed item keeps its state.
    if (item?.status !== 'kept') return;
    this.put({ ...item, check: change.check, files: change.files, ...(change.stamped ? { stamped: change.stamped } : {}) });
  }

  async renumber(item: ArchiveItem, to: Pick<ArchiveItem, 'number' | 'fonds' | 'organCode' | 'sequence' | 'formerNumbers'>): Promise<boolean> {
    await roundTrip();
    const stored = this.items.get(item.caseId);
    if (!stored || stored.number !== item.number || this.numbers.has(to.number)) return false;
    this.put({ ...stored, number: to.number, fonds: to.fonds, organCode: to.organCode, sequence: to.sequence, formerNumbers: to.formerNumbers });
    this.numbers.set(to.number, item.caseId);
    return true;
  }

  async *itemsOf(year: number): AsyncIterable<ArchiveItem> {
    await roundTrip();
    for (const item of this.registers.read<ArchiveItem>(CATALOGUE, year)) yield item;
  }

  async createJob(job: ArchiveJob): Promise<void> {
    await roundTrip();
    if (this.jobsById.has(this.jobId(job.year, job.id))) throw new ConditionFailedError(`job ${job.id} exists already`);
    this.jobsById.set(this.jobId(job.year, job.id), copy(job));
  }

  async job(year: number, id: string): Promise<ArchiveJob | undefined> {
    await roundTrip();
    return copy(this.jobsById.get(this.jobId(year, id)));
  }

  async jobs(year: number): Promise<ArchiveJob[]> {
    await roundTrip();
    return copy([...this.jobsById.values()].filter((j) => j.year === year)).sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : -1));
  }

  async updateJob(job: ArchiveJob, from: ArchiveJob['status']): Promise<boolean> {
    await roundTrip();
    if (this.jobsById.get(this.jobId(job.year, job.id))?.status !== from) return false;
    this.jobsById.set(this.jobId(job.year, job.id), copy(job));
    return true;
  }

  private put(item: ArchiveItem): void {
    this.items.set(item.caseId, copy(item));
    this.registers.put(CATALOGUE, item.year, item.filedAt, item.caseId, item);
  }

  private jobId(year: number, id: string): string {
    return `${year}#${id}`;
  }
}
