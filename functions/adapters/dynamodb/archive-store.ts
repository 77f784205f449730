/** Archive items (件) under their case, a pointer from the item number (档号), and the catalogue by year. */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { ArchiveItem } from '../../domain/archive/archive.ts';
import type { ArchiveJob, ArchiveStore, NumberUse } from '../../domain/ports.ts';
import { keys } from './keys.ts';

const itemKey = (caseId: string) => ({ pk: `ARCHIVE#${caseId}`, sk: 'ITEM' });
const numberKey = (number: string) => ({ pk: `ARCHIVENO#${number}`, sk: 'ITEM' });
/** A job of the archive worker, by year: the stream of these items starts it (topology: ArchiveWorker). */
const jobKey = (year: number, id: string) => ({ pk: `ARCHIVEJOB#${year}`, sk: id ? `JOB#${id}` : '' });

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

  async recordCheck(caseId: string, change: Pick<ArchiveItem, 'check' | 'files'> & { stamped?: ArchiveItem['stamped'] }): Promise<void> {
    await this.db
      .send(
      new UpdateCommand({
        TableName: this.table,
        Key: itemKey(caseId),
        UpdateExpression: `SET #data.#check = :check, #data.#files = :files${change.stamped ? ', #data.stamped = :stamped' : ''}`,
        // Never over a destruction that came first: a destroyed item keeps its state.
        ConditionExpression: '#data.#status = :kept',
        ExpressionAttributeNames: { '#data': 'data', '#check': 'check', '#files': 'files', '#status': 'status' },
        ExpressionAttributeValues: { ':check': change.check, ':files': change.files, ':kept': 'kept', ...(change.stamped ? { ':stamped': change.stamped } : {}) },
      }),
      )
      .catch((error) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async renumber(item: ArchiveItem, to: Pick<ArchiveItem, 'number' | 'fonds' | 'organCode' | 'sequence' | 'formerNumbers'>): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: itemKey(item.caseId),
                UpdateExpression: 'SET #data.#number = :number, #data.fonds = :fonds, #data.organCode = :organ, #data.#sequence = :sequence, #data.formerNumbers = :former',
                ConditionExpression: '#data.#number = :old',
                ExpressionAttributeNames: { '#data': 'data', '#number': 'number', '#sequence': 'sequence' },
                ExpressionAttributeValues: { ':number': to.number, ':fonds': to.fonds ?? null, ':organ': to.organCode, ':sequence': to.sequence, ':former': to.formerNumbers, ':old': item.number },
              },
            },
            // The new number finds the item; the old pointer stays, so references to it keep working.
            { Put: { TableName: this.table, Item: { ...numberKey(to.number!), caseId: item.caseId }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async *itemsOf(year: number): AsyncIterable<ArchiveItem> {
    const query = { TableName: this.table, IndexName: 'register', KeyConditionExpression: 'gsi5pk = :pk', ExpressionAttributeValues: { ':pk': keys.registerPartition('archive-catalogue', year) } };
    for await (const item of queryAll(this.db, query)) yield item.data as ArchiveItem;
  }

  async createJob(job: ArchiveJob): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...jobKey(job.year, job.id), data: job }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async job(year: number, id: string): Promise<ArchiveJob | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: jobKey(year, id), ConsistentRead: true }));
    return Item?.data as ArchiveJob | undefined;
  }

  async jobs(year: number): Promise<ArchiveJob[]> {
    const jobs: ArchiveJob[] = [];
    for await (const item of queryAll(this.db, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': jobKey(year, '').pk }, ConsistentRead: true })) {
      jobs.push(item.data as ArchiveJob);
    }
    return jobs.sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : -1));
  }

  async updateJob(job: ArchiveJob, from: ArchiveJob['status']): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...jobKey(job.year, job.id), data: job },
          ConditionExpression: '#data.#status = :from',
          ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
          ExpressionAttributeValues: { ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
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
