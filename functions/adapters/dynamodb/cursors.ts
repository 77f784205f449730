/**
 * Page cursors a client holds: sealed with AES-256-GCM, so a client can neither read them (they
 * may point past items it may not see) nor change them (a tampered or forged one is a 400, never
 * a DynamoDB error), and bound to the person and the query they were made for (another person's
 * cursor, or one from another list, is refused too).
 *
 * The key is the application's own, kept in the table and made by whichever function first needs
 * it (a conditional write, so two first requests agree on one key); every function reads it once
 * per cold start.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../../domain/errors.ts';
import { keys } from './keys.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export const invalidCursor = () => new ValidationError('翻页游标无效，请从第一页重新查看。Invalid cursor: start again from the first page.', 'cursor');

export class Cursors {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The cursor for a page that continues after `position`, for this scope only. */
  async seal(position: Record<string, unknown> | undefined, scope: string): Promise<string | undefined> {
    if (!position) return undefined;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.secret(), iv);
    cipher.setAAD(Buffer.from(scope, 'utf8'));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The position a cursor continues after; a cursor not sealed by us for this scope is refused (400). */
  async open(cursor: string | undefined, scope: string, attributes: readonly string[]): Promise<Record<string, unknown> | undefined> {
    if (cursor === undefined || cursor === '') return undefined;
    if (!/^[\w-]+$/.test(cursor)) throw invalidCursor();
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) throw invalidCursor();
    let position: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', await this.secret(), bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(scope, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      position = JSON.parse(plain.toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    // Sealed by us, so well formed; checked anyway, so that a change of key layout fails as a 400.
    const ok =
      position !== null &&
      typeof position === 'object' &&
      Object.keys(position).sort().join() === [...attributes].sort().join() &&
      Object.values(position).every((v) => typeof v === 'string');
    if (!ok) throw invalidCursor();
    return position as Record<string, unknown>;
  }

  private secret(): Promise<Buffer> {
    this.key ??= this.loadSecret().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async loadSecret(): Promise<Buffer> {
    const read = async () => {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.secret('cursors'), ConsistentRead: true }));
      return typeof Item?.value === 'string' ? Buffer.from(Item.value, 'base64') : undefined;
    };
    const existing = await read();
    if (existing) return existing;
    try {
      const value = randomBytes(32);
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...keys.secret('cursors'), value: value.toString('base64') }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return value;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await read();
      if (!winner) throw error;
      return winner;
    }
  }
}
