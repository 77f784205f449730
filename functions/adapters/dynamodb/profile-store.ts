/** What each person keeps for themselves (常用意见): one item per person. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProfileStore } from '../../domain/ports.ts';
import { keys } from './keys.ts';

export class DynamoProfileStore implements ProfileStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async opinions(personId: string): Promise<string[] | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.profile(personId), ConsistentRead: true }));
    return Item?.opinions as string[] | undefined;
  }

  async keepOpinions(personId: string, opinions: readonly string[]): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.profile(personId), opinions } }));
  }
}
