/**
 * Document numbers (编号). Allocation is one atomic counter increment, so concurrent requests never
 * conflict and never share a number; the number is then recorded with its case in the case's
 * transaction, or recorded as void. A number is never handed out twice.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { formatDocumentNumber } from '../../domain/numbering/document-number.ts';
import type { Clock, Numbering, NumberRecord, NumberUse } from '../../domain/ports.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';

export class DynamoNumbering implements Numbering {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async allocate(kind: string, year: number): Promise<NumberUse> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.counter(kind, year),
        UpdateExpression: 'ADD #last :one',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const sequence = Number(Attributes!.last);
    return { kind, year, sequence, number: formatDocumentNumber(kind, year, sequence) };
  }

  async void(use: NumberUse, reason: string, by: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.number(use.kind, use.year, use.sequence), number: use.number, sequence: use.sequence, status: 'void', reason, by, at: new Date(this.clock.now()).toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async record(use: NumberUse, detail: { title: string; by: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.number(use.kind, use.year, use.sequence), number: use.number, sequence: use.sequence, status: 'used', ...detail, at: new Date(this.clock.now()).toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async uses(kind: string, year: number): Promise<{ last: number; records: NumberRecord[] }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.counter(kind, year), ConsistentRead: true }));
    const last = Number(Item?.last ?? 0);
    // A number is recorded only after the counter handed it out: no counter, nothing to read.
    if (last === 0) return { last, records: [] };
    const records: NumberRecord[] = [];
    const partition = keys.number(kind, year, 0).pk;
    for await (const item of queryAll(this.db, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true })) {
      records.push(recordOf(item));
    }
    return { last, records: records.sort((a, b) => a.sequence - b.sequence) };
  }
}

function recordOf(item: Record<string, unknown>): NumberRecord {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    sequence: Number(item.sequence),
    number: String(item.number),
    status: item.status === 'void' ? 'void' : 'used',
    caseId: text(item.caseId),
    title: text(item.title),
    reason: text(item.reason),
    by: text(item.by),
    at: text(item.at),
  };
}
