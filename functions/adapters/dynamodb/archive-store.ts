/** Archive items (件) under their case, a pointer from the item number (档号), and the catalogue by year. */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { ArchiveItem } from '../../domain/archive/archive.ts';
import type { ArchiveStore, NumberUse } from '../../domain/ports.ts';
import { keys } from './keys.ts';

const itemKey = (caseId: string) => ({ pk: `ARCHIVE#${caseId}`, sk: 'ITEM' });
const numberKey = (number: string) => ({ pk: `ARCHIVENO#${number}`, sk: 'ITEM' });

export class DynamoArchiveStore implements ArchiveStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(caseId: string): Promise<ArchiveItem | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: itemKey(caseId), ConsistentRead: true }));
    return Item?.data as ArchiveItem | undefined;
  }

  async byNumber(number: string): Promise<ArchiveItem | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: numberKey(number), ConsistentRead: true }));
    return Item ? this.get(Item.caseId as string) : undefined;
  }

  async file(item: ArchiveItem, number: NumberUse): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...itemKey(item.caseId), ...keys.register('archive-catalogue', item.year, item.filedAt, item.caseId), data: item },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.table, Item: { ...numberKey(item.number), caseId: item.caseId }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.number(number.kind, number.year, number.sequence), number: item.number, sequence: number.sequence, status: 'used', caseId: item.caseId, title: item.title, at: item.filedAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async markDestroyed(caseId: string, at: string, destructionCaseId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: itemKey(caseId),
          UpdateExpression: 'SET #data.#status = :destroyed, #data.destroyedAt = :at, #data.destructionCaseId = :by',
          ConditionExpression: '#data.#status = :kept',
          ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
          ExpressionAttributeValues: { ':destroyed': 'destroyed', ':kept': 'kept', ':at': at, ':by': destructionCaseId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
