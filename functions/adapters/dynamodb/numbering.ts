/**
 * Document numbers (编号). Allocation is one atomic counter increment, so concurrent requests never
 * conflict and never share a number; the number is then recorded with its case in the case's
 * transaction, or recorded as void. A number is never handed out twice.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { formatDocumentNumber } from '../../domain/numbering/document-number.ts';
import type { Clock, Numbering, NumberUse } from '../../domain/ports.ts';
import { keys } from './keys.ts';

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
}
