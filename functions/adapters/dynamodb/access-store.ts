/** Access grants (查阅授权) under the person: one Query answers "what may I see now". */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AccessGrant, AccessStore, GrantRecord } from '../../domain/ports.ts';
import { queryAll } from './query-all.ts';

const key = (personId: string, caseId: string) => ({ pk: `GRANTS#${personId}`, sk: `CASE#${caseId}` });
/** Expired grants are removed by TTL a day after they end; until then the `until` check ignores them. */
const TTL_GRACE_SECONDS = 86_400;

export class DynamoAccessStore implements AccessStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async grantsOf(personId: string, now: number): Promise<ReadonlySet<string>> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#until > :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':pk': `GRANTS#${personId}`, ':now': new Date(now).toISOString() },
        ConsistentRead: true,
      }),
    );
    return new Set((Items ?? []).map((item) => item.caseId as string));
  }

  async history(caseId: string): Promise<GrantRecord[]> {
    const records: GrantRecord[] = [];
    for await (const item of queryAll(this.db, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `GRANTLOG#${caseId}` }, ConsistentRead: true })) {
      records.push({ personId: item.personId as string, grantedAt: item.grantedAt as string, until: item.until as string, viaCaseId: item.viaCaseId as string });
    }
    return records;
  }

  async grant(grant: AccessGrant): Promise<void> {
    const expiresAt = Math.floor(Date.parse(grant.until) / 1000) + TTL_GRACE_SECONDS;
    // Kept for good beside the live grant (which expires): who could see the case, and when.
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `GRANTLOG#${grant.caseId}`, sk: `${grant.grantedAt}#${grant.personId}#${grant.viaCaseId}`, personId: grant.personId, grantedAt: grant.grantedAt, until: grant.until, viaCaseId: grant.viaCaseId },
      }),
    );
    try {
      // A grant only ever lengthens: a retried or older approval never shortens a later one.
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key(grant.personId, grant.caseId), ...grant, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':until': grant.until },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
