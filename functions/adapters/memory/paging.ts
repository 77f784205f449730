/**
 * One page of an index as the DynamoDB adapters serve it (dynamodb/paging.ts): `limit` items the
 * caller may see, read on until the page is full or the index ends, never short while more exist;
 * the cursor continues after the last item returned, or after the last one read when the read
 * budget runs out first.
 */
import type { Page } from '../../domain/ports.ts';
import type { MemoryCursors } from './cursors.ts';

/** As PAGE_READ_BUDGET in dynamodb/paging.ts: items read for one page at most. */
export const PAGE_READ_BUDGET = 1_000;

/** A row of an index: its sort key (what a cursor points at) and what the query maps it to. */
export interface IndexRow<T> {
  readonly sortKey: string;
  readonly value: T;
}

export interface MemoryPageQuery<T> {
  /** The index's rows of one partition, in any order; sorted here. */
  readonly rows: readonly IndexRow<T>[];
  /** Newest first (DynamoDB's ScanIndexForward: false). */
  readonly descending?: boolean;
  readonly limit: number;
  readonly cursor?: string;
  readonly scope: string;
  /** A filter expression's part and the caller's own test: items failing either are read past. */
  readonly accept?: (value: T) => boolean;
  readonly readBudget?: number;
}

export function pageOf<T>(cursors: MemoryCursors, q: MemoryPageQuery<T>): Page<T> & { readonly itemsRead: number } {
  const after = cursors.open(q.cursor, q.scope);
  const sign = q.descending ? -1 : 1;
  const rows = [...q.rows].sort((a, b) => sign * compare(a.sortKey, b.sortKey));
  // Past the position, whether or not the item there still exists (it may have been deleted).
  const first = after === undefined ? 0 : rows.findIndex((row) => sign * compare(row.sortKey, after) > 0);
  const budget = q.readBudget ?? PAGE_READ_BUDGET;
  const items: T[] = [];
  let itemsRead = 0;
  for (let i = first < 0 ? rows.length : first; i < rows.length; i++) {
    const row = rows[i]!;
    itemsRead++;
    if (!q.accept || q.accept(row.value)) {
      items.push(row.value);
      if (items.length === q.limit) return { items, next: i < rows.length - 1 ? cursors.seal(row.sortKey, q.scope) : undefined, itemsRead };
    }
    if (itemsRead >= budget && i < rows.length - 1) return { items, next: cursors.seal(row.sortKey, q.scope), itemsRead };
  }
  return { items, next: undefined, itemsRead };
}

/** DynamoDB orders string keys by their UTF-8 bytes, which is not JavaScript's UTF-16 order past the BMP. */
export function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
