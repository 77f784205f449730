/** Uploads asked for but not yet verified; they expire by TTL if never completed. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingUpload, UploadStore } from '../../domain/ports.ts';

const key = (caseId: string, uploadId: string) => ({ pk: `CASE#${caseId}`, sk: `UPLOAD#${uploadId}` });

export class DynamoUploadStore implements UploadStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(upload: PendingUpload): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...key(upload.caseId, upload.uploadId), ...upload }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async get(caseId: string, uploadId: string): Promise<PendingUpload | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(caseId, uploadId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk, sk, ...upload } = Item;
    return upload as PendingUpload;
  }

  async remove(caseId: string, uploadId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: key(caseId, uploadId) }));
  }
}
