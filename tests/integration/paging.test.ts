/** A page of a query as a client gets it (adapters/dynamodb/paging.ts), against DynamoDB Local. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cursors } from '../../functions/adapters/dynamodb/cursors.ts';
import { queryPage, type PageQuery } from '../../functions/adapters/dynamodb/paging.ts';
import { givenLocalSystem } from '../support/local-system.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };

describe('pages of a query', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let db: DynamoDBDocumentClient;
  let cursors: Cursors;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE });
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb }));
    cursors = new Cursors(db, 'bangong');
    const items = Array.from({ length: 30 }, (_, n) => ({ pk: 'TEST#paging', sk: String(n).padStart(3, '0'), n }));
    for (let i = 0; i < items.length; i += 25) {
      await db.send(new BatchWriteCommand({ RequestItems: { bangong: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  });
  afterAll(async () => {
    db?.destroy();
    await system?.stop();
  });

  const query = (cursor: string | undefined, overrides: Partial<Omit<PageQuery<number>, 'map' | 'resolve'>> = {}): PageQuery<number> => ({
    query: { TableName: 'bangong', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'TEST#paging' } },
    limit: 2,
    cursor,
    scope: 'test|someone',
    keyAttributes: ['pk', 'sk'],
    map: (item) => item.n as number,
    accept: (n) => n % 10 === 0,
    ...overrides,
  });

  const walk = async (overrides: Partial<PageQuery<number>> = {}) => {
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await queryPage(db, cursors, query(cursor, overrides));
      pages.push(page.items);
      cursor = page.next;
    } while (cursor);
    return pages;
  };

  it('fills each page with the items the caller may be shown, reading past the rest, and ends with the query', async () => {
    expect(await walk()).toEqual([[0, 10], [20]]);
    expect(await walk({ accept: undefined, limit: 12 })).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], [24, 25, 26, 27, 28, 29]]);
  });

  it('ends a page short when its read budget runs out, with a cursor that goes on from where it stopped', async () => {
    const pages = await walk({ readBudget: 8 });
    expect(pages.flat()).toEqual([0, 10, 20]);
    expect(pages.slice(0, 3)).toEqual([[0], [10], [20]]);
  });

  it('refuses a cursor made for someone else or for another list, and one changed by a single character', async () => {
    const first = await queryPage(db, cursors, query(undefined));
    expect(first.next).toBeDefined();
    await expect(queryPage(db, cursors, query(first.next, { scope: 'test|someone-else' }))).rejects.toMatchObject({ name: 'ValidationError', field: 'cursor' });
    const flipped = first.next!.slice(0, 10) + (first.next![10] === 'A' ? 'B' : 'A') + first.next!.slice(11);
    await expect(queryPage(db, cursors, query(flipped))).rejects.toMatchObject({ name: 'ValidationError', field: 'cursor' });
    expect((await queryPage(db, cursors, query(first.next))).items).toEqual([20]);
  });
});
