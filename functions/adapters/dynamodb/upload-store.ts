/** Uploads asked for but not yet verified; they expire by TTL if never completed. */
import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type { Idempotency, PendingUpload, UploadStore } from '../../domain/ports.ts';
import { idempotencyPut } from './idempotency-item.ts';
import { keys } from './keys.ts';

const key = keys.upload;

export class DynamoUploadStore implements UploadStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(upload: PendingUpload, idempotency?: Idempotency): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...key(upload.caseId, upload.uploadId), ...upload }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...(idempotency ? [idempotencyPut(this.table, idempotency)] : []),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new ConflictError('请求重复，请重试。A concurrent request got there first: try again.', 'conflict');
      throw error;
    }
  }

  async get(caseId: string, uploadId: string): Promise<PendingUpload | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(caseId, uploadId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk, sk, claimedAt, ...upload } = Item;
    return upload as PendingUpload;
  }

  async claim(caseId: string, uploadId: string, personId: string, now: number, staleAfterMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(caseId, uploadId),
          UpdateExpression: 'SET claimedAt = :now',
          // Only the person who asked, and only one completion at a time (a claim left by a crash lapses).
          ConditionExpression: 'attribute_exists(pk) AND personId = :person AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)',
          ExpressionAttributeValues: { ':now': now, ':person': personId, ':stale': now - staleAfterMs },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(caseId: string, uploadId: string): Promise<void> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, Key: key(caseId, uploadId), UpdateExpression: 'REMOVE claimedAt', ConditionExpression: 'attribute_exists(pk)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async remove(caseId: string, uploadId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: key(caseId, uploadId) }));
  }
}
