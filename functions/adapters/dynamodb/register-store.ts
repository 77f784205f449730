/** A register's entries for one period, read from the `register` index in the order they were made. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PayloadTooLargeError } from '../../domain/errors.ts';
import type { RegisterStore } from '../../domain/ports.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';
import { dataOfEntries } from './batch-get.ts';

/**
 * The most lines one register view or export carries: a year of an office's letters is a few
 * thousand, and 10,000 lines stay well inside Lambda's 6 MB response (about 3.5 MB as JSON).
 */
const MAX_ENTRIES = 10_000;

export class DynamoRegisterStore implements RegisterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async entries<T>(register: string, period: number | string, max = MAX_ENTRIES): Promise<T[]> {
    const items: Record<string, unknown>[] = [];
    const query = { TableName: this.table, IndexName: 'register', KeyConditionExpression: 'gsi5pk = :pk', ExpressionAttributeValues: { ':pk': keys.registerPartition(register, period) } };
    for await (const item of queryAll(this.db, query)) {
      items.push(item);
      if (items.length > max) {
        throw new PayloadTooLargeError(`登记簿超过 ${max} 条，无法一次显示。The register has over ${max} entries, more than one view holds.`, typeof period === 'number' ? 'year' : 'month');
      }
    }
    // A case's entry only names the case (it is written once, the case on every change): the cases are read, in the register's order.
    return (await dataOfEntries(this.db, this.table, items)).filter((data) => data !== undefined) as T[];
  }
}
