/**
 * Reading a scan's text: its state beside the case (TEXT#<attachment> under the case's key, so a
 * change to it reaches the stream consumers like any change to the case) and its pages in S3,
 * beside the scan (archive.ts: textKeyOf), where destroying the scan destroys them too.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { isMissing } from '../s3/missing.ts';
import type { ScanTextState, ScanTextStore } from '../../domain/ports.ts';
import { textKeyOf } from '../../domain/archive/archive.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';

export class DynamoScanTextStore implements ScanTextStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async states(caseId: string): Promise<ScanTextState[]> {
    const states: ScanTextState[] = [];
    const items = queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :text)',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':text': keys.scanTextPrefix },
      ConsistentRead: true,
    });
    for await (const item of items) states.push(item.state as ScanTextState);
    return states;
  }

  async transition(next: ScanTextState): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.scanText(next.caseId, next.attachmentId), rev: next.rev, state: next },
          ...(next.rev === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': next.rev - 1 } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async pages(fileKey: string): Promise<string[] | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: textKeyOf(fileKey) }));
      const stored = JSON.parse(await object.Body!.transformToString('utf8')) as { pages?: unknown };
      return Array.isArray(stored.pages) ? stored.pages.map(String) : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async keepPages(fileKey: string, pages: readonly string[]): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: textKeyOf(fileKey), Body: JSON.stringify({ pages }), ContentType: 'application/json; charset=utf-8' }),
    );
  }
}
