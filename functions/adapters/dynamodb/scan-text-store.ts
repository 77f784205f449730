/**
 * Reading a scan's text: its state beside the case (TEXT#<attachment> under the case's key, so a
 * change to it reaches the stream consumers like any change to the case) and its pages in S3,
 * beside the scan (archive.ts: textKeyOf), where destroying the scan destroys them too.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { ScanTextState, ScanTextStore } from '../../domain/ports.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';

/** The states alone (DynamoDB): what the case page reads, without the S3 client the pages need. */
export class DynamoScanTextStates implements Pick<ScanTextStore, 'states' | 'transition'> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
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
}

/** The states in the table and the pages beside the scan in S3. */
export class DynamoScanTextStore extends DynamoScanTextStates implements ScanTextStore {
  constructor(
    db: DynamoDBDocumentClient,
    table: string,
    private readonly texts: Pick<ScanTextStore, 'pages' | 'keepPages'>,
  ) {
    super(db, table);
  }

  pages(fileKey: string): Promise<string[] | undefined> {
    return this.texts.pages(fileKey);
  }

  keepPages(fileKey: string, pages: readonly string[]): Promise<void> {
    return this.texts.keepPages(fileKey, pages);
  }
}
