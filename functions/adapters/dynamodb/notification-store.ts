/** In-app notifications per person, newest first; read state and email delivery on each item. */
import { BatchWriteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Notification } from '../../domain/cases/case.ts';
import type { NotificationStore, Page, StoredNotification } from '../../domain/ports.ts';
import { ValidationError } from '../../domain/errors.ts';
import { Cursors } from './cursors.ts';
import { queryPage } from './paging.ts';
import { keys } from './keys.ts';
import { storedNotification } from '../../domain/notification-id.ts';

/** The item a notification is stored as, under its person. */
export const notificationItem = (n: StoredNotification) => ({ ...keys.notification(n.personId, n.id), ...n });

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly cursors = new Cursors(db, table),
  ) {}

  async record(notifications: readonly Notification[]): Promise<StoredNotification[]> {
    const stored = notifications.map(storedNotification);
    // Emailed kinds are written one by one, only if new: a re-run (a retried task, a sweep run
    // twice) must not email anyone twice. The rest go in batches.
    const fresh: StoredNotification[] = [];
    for (const n of stored.filter((x) => x.kind !== 'info')) {
      try {
        await this.db.send(new PutCommand({ TableName: this.table, Item: notificationItem(n), ConditionExpression: 'attribute_not_exists(pk)' }));
        fresh.push(n);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    // Each item once: a batch naming one twice is refused whole.
    const unique = new Map(stored.filter((x) => x.kind === 'info').map((n) => [`${n.personId}|${n.id}`, n]));
    const items = [...unique.values()].map((n) => ({ PutRequest: { Item: notificationItem(n) } }));
    for (let i = 0; i < items.length; i += 25) {
      let batch: typeof items | undefined = items.slice(i, i + 25);
      for (let attempt = 0; batch && batch.length > 0 && attempt < 5; attempt++) {
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: batch } }));
        batch = result.UnprocessedItems?.[this.table] as typeof items | undefined;
      }
    }
    return [...fresh, ...stored.filter((x) => x.kind === 'info')];
  }

  async list(personId: string, options: { unreadOnly: boolean; limit: number; cursor?: string }): Promise<Page<StoredNotification>> {
    return queryPage(this.db, this.cursors, {
      query: {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: options.unreadOnly ? '#read = :false' : undefined,
        ExpressionAttributeNames: options.unreadOnly ? { '#read': 'read' } : undefined,
        ExpressionAttributeValues: options.unreadOnly ? { ':pk': keys.notifications(personId), ':false': false } : { ':pk': keys.notifications(personId) },
        ScanIndexForward: false,
      },
      limit: options.limit,
      cursor: options.cursor,
      scope: `notifications|${personId}|${options.unreadOnly}`,
      keyAttributes: ['pk', 'sk'],
      map: ({ pk, sk, ...n }) => n as unknown as StoredNotification,
    });
  }

  async unreadCount(personId: string, max: number, window: number): Promise<number> {
    // Newest first, and never more than `window` items read: the header asks on every page, and a
    // long-serving person's history must not make it slower.
    let count = 0;
    let evaluated = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#read = :false',
          ExpressionAttributeNames: { '#read': 'read' },
          ExpressionAttributeValues: { ':pk': keys.notifications(personId), ':false': false },
          Select: 'COUNT',
          ScanIndexForward: false,
          Limit: Math.min(window - evaluated, 250),
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      evaluated += page.ScannedCount ?? 0;
      start = page.LastEvaluatedKey;
    } while (start && count < max && evaluated < window);
    return Math.min(count, max);
  }

  async markRead(personId: string, ids: readonly string[]): Promise<number> {
    let count = 0;
    for (const id of ids) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.notification(personId, id),
            UpdateExpression: 'SET #read = :true',
            ConditionExpression: 'attribute_exists(pk) AND #read = :false',
            ExpressionAttributeNames: { '#read': 'read' },
            ExpressionAttributeValues: { ':true': true, ':false': false },
          }),
        );
        count++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return count;
  }

  async recordEmail(personId: string, id: string, email: NonNullable<StoredNotification['email']>): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.notification(personId, id),
        UpdateExpression: 'SET email = :email',
        ExpressionAttributeValues: { ':email': email },
      }),
    );
  }
}
