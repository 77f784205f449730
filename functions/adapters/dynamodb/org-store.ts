/** The org chart: one current item plus every past version, replaced only from the version read. */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type { Org, OrgInput } from '../../domain/org/org.ts';
import type { Clock, OrgStore } from '../../domain/ports.ts';
import { keys } from './keys.ts';

export class DynamoOrgStore implements OrgStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async current(): Promise<Org | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.orgCurrent, ConsistentRead: true }));
    return Item?.org as Org | undefined;
  }

  async replace(input: OrgInput, expectedVersion: number, by: string): Promise<Org> {
    const org: Org = { ...input, version: expectedVersion + 1, updatedAt: new Date(this.clock.now()).toISOString(), updatedBy: by };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.orgCurrent, org },
                ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'org.version = :expected',
                ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
              },
            },
            { Put: { TableName: this.table, Item: { ...keys.orgVersion(org.version), org }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('组织机构已被他人修改，请刷新后重试。The org chart was changed by someone else: reload and try again.', 'stale-version');
      }
      throw error;
    }
    return org;
  }
}
