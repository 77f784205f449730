/**
 * Where reading scans' text stands, in memory, with DynamoScanTextStore's contract: a state is
 * written only over the revision it was made from; the pages are kept beside the file in the bucket.
 */
import { textKeyOf } from '../../domain/archive/archive.ts';
import type { ScanTextState, ScanTextStore } from '../../domain/ports.ts';
import type { MemoryBucket } from './bucket.ts';
import { copy, roundTrip } from './items.ts';
import { compare } from './paging.ts';

export class MemoryScanTextStore implements ScanTextStore {
  /** By case, then attachment (the table's `TEXT#<attachment>` under the case). */
  private readonly byCase = new Map<string, Map<string, ScanTextState>>();

  constructor(private readonly bucket: MemoryBucket) {}

  async states(caseId: string): Promise<ScanTextState[]> {
    await roundTrip();
    return [...(this.byCase.get(caseId)?.entries() ?? [])].sort(([a], [b]) => compare(a, b)).map(([, state]) => copy(state));
  }

  async transition(next: ScanTextState): Promise<boolean> {
    await roundTrip();
    let states = this.byCase.get(next.caseId);
    if (!states) this.byCase.set(next.caseId, (states = new Map()));
    const current = states.get(next.attachmentId);
    if (next.rev === 1 ? current !== undefined : current?.rev !== next.rev - 1) return false;
    states.set(next.attachmentId, copy(next));
    return true;
  }

  async pages(fileKey: string): Promise<string[] | undefined> {
    await roundTrip();
    const object = this.bucket.get(textKeyOf(fileKey));
    if (!object) return undefined;
    const stored = JSON.parse(Buffer.from(object.bytes).toString('utf8')) as { pages?: unknown };
    return Array.isArray(stored.pages) ? stored.pages.map(String) : undefined;
  }

  async keepPages(fileKey: string, pages: readonly string[]): Promise<void> {
    await roundTrip();
    this.bucket.put(textKeyOf(fileKey), Buffer.from(JSON.stringify({ pages })), 'application/json; charset=utf-8');
  }
}
