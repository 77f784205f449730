/**
 * One page of a query as a client sees it: as many items as it asked for that it may see, read
 * on until the page is full or the query ends, so a page is never short or empty while more
 * exist. The cursor continues after the last item returned; only when the read budget runs out
 * first does it point past items the caller was not shown, and it is sealed either way.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../domain/ports.ts';
import type { Cursors } from './cursors.ts';

/** Items read for one page at most (a few DynamoDB reads); past it the page ends short, with a cursor to go on from. */
export const PAGE_READ_BUDGET = 1_000;

/**
 * What an item read is to the caller (`map`); or, for index entries that only name what the caller
 * wants, what each of a run of them is (`resolve`: undefined when it is nothing any more), in their
 * order. Entries are resolved as many at a time as the page still lacks.
 */
type Reading<T> =
  | { readonly map: (item: Record<string, unknown>) => T; readonly resolve?: never }
  | { readonly resolve: (items: Record<string, unknown>[]) => Promise<(T | undefined)[]>; readonly map?: never };

export type PageQuery<T> = PageQueryOf<T> & Reading<T>;

interface PageQueryOf<T> {
  /** The query, without Limit and ExclusiveStartKey. */
  readonly query: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;
  readonly limit: number;
  readonly cursor?: string;
  /** Who asked and what: a cursor serves only this scope. */
  readonly scope: string;
  /** The key attributes of the table and the index queried: a position is made of them. */
  readonly keyAttributes: readonly string[];

  /** Whether the caller may be shown an item; the rest are read past. */
  readonly accept?: (value: T) => boolean;
  readonly readBudget?: number;
}

export async function queryPage<T>(db: DynamoDBDocumentClient, cursors: Cursors, q: PageQuery<T>): Promise<Page<T> & { readonly itemsRead: number }> {
  let start = await cursors.open(q.cursor, q.scope, q.keyAttributes);
  const budget = q.readBudget ?? PAGE_READ_BUDGET;
  const items: T[] = [];
  let itemsRead = 0;
  // Without a filter a page is one read of `limit`; with one, larger reads waste fewer round trips.
  const batch = q.accept || q.query.FilterExpression ? Math.max(q.limit * 2, 50) : q.limit;
  for (;;) {
    const page = await db.send(new QueryCommand({ ...q.query, Limit: Math.min(batch, budget - itemsRead), ExclusiveStartKey: start }));
    const raw = page.Items ?? [];
    itemsRead += page.ScannedCount ?? raw.length;
    const values: (T | undefined)[] = q.map ? raw.map(q.map) : [];
    for (let i = 0; i < raw.length; i++) {
      if (q.resolve && i === values.length) values.push(...(await q.resolve(raw.slice(i, i + (q.limit - items.length)))));
      const value = values[i];
      if (value === undefined || (q.accept && !q.accept(value))) continue;
      items.push(value);
      if (items.length === q.limit) {
        const more = i < raw.length - 1 || page.LastEvaluatedKey !== undefined;
        return { items, next: more ? await cursors.seal(positionOf(raw[i]!, q.keyAttributes), q.scope) : undefined, itemsRead };
      }
    }
    start = page.LastEvaluatedKey;
    if (!start) return { items, next: undefined, itemsRead };
    if (itemsRead >= budget) return { items, next: await cursors.seal(start, q.scope), itemsRead };
  }
}

function positionOf(item: Record<string, unknown>, attributes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(attributes.map((name) => [name, item[name]]));
}
