/**
 * The organisation's calendar overrides: one item, replaced only from the version read. Each
 * container keeps the calendar it last read, for callers content with one that recent.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type { CalendarOverride } from '../../domain/calendar/working-calendar.ts';
import type { CalendarStore, Clock } from '../../domain/ports.ts';
import { keys } from './keys.ts';
import { Recent } from './recent.ts';

type StoredCalendar = Awaited<ReturnType<CalendarStore['current']>>;

export class DynamoCalendarStore implements CalendarStore {
  private readonly recent = new Recent<StoredCalendar>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async current(options: { maxAgeMs?: number } = {}): Promise<StoredCalendar> {
    const recent = this.recent.within(options.maxAgeMs);
    if (recent) return recent;
    const startedAt = this.recent.start();
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.calendar, ConsistentRead: true }));
    return this.recent.offer(Item ? { version: Item.version as number, overrides: Item.overrides as CalendarOverride[], updatedAt: Item.updatedAt, updatedBy: Item.updatedBy } : { version: 0, overrides: [] }, startedAt);
  }

  async replace(overrides: CalendarOverride[], expectedVersion: number, by: string) {
    const version = expectedVersion + 1;
    const updatedAt = new Date(this.clock.now()).toISOString();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.calendar, version, overrides, updatedAt, updatedBy: by },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
          ExpressionAttributeNames: expectedVersion === 0 ? undefined : { '#version': 'version' },
          ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError('工作日历已被他人修改，请刷新后重试。The calendar was changed by someone else: reload and try again.', 'stale-version');
      }
      throw error;
    }
    this.recent.set({ version, overrides, updatedAt, updatedBy: by });
    return { version, overrides };
  }
}
