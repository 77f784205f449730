/**
 * The org chart: a small head item naming the current version, and each version stored
 * compressed in as many parts as it needs (a bureau of 5,000 people is larger than one DynamoDB
 * item may be). A new version is written in one transaction with the head, only from the version
 * read. Every version stays, for the record. Each container keeps the chart it last read and reads
 * it again only when the head names another version.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ConflictError, PayloadTooLargeError } from '../../domain/errors.ts';
import type { Org, OrgInput } from '../../domain/org/org.ts';
import type { Clock, OrgStore } from '../../domain/ports.ts';
import { keys } from './keys.ts';
import { queryAll } from './query-all.ts';
import { Recent } from './recent.ts';

/** Well under DynamoDB's 400 KB item limit, with room for the keys. */
const PART_BYTES = 350 * 1024;
/** A transaction carries at most 4 MB. */
const MAX_PARTS = 10;

export class DynamoOrgStore implements OrgStore {
  private readonly recent = new Recent<Org>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async current(options: { maxAgeMs?: number } = {}): Promise<Org | undefined> {
    const recent = this.recent.within(options.maxAgeMs);
    if (recent) return recent;
    const startedAt = this.recent.start();
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.orgCurrent, ConsistentRead: true }));
    if (!Item) return undefined;
    // A chart saved before versions were stored in parts is inline.
    if (Item.org) return this.recent.offer(Item.org as Org, startedAt);
    const version = Number(Item.version);
    const last = this.recent.last;
    if (last?.version === version) return this.recent.offer(last, startedAt);
    const parts: Uint8Array[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :version)',
      ExpressionAttributeValues: { ':pk': keys.orgCurrent.pk, ':version': keys.orgPartPrefix(version) },
      ConsistentRead: true,
    };
    for await (const item of queryAll(this.db, query)) parts.push(item.data as Uint8Array);
    if (parts.length !== Number(Item.parts)) throw new Error(`Org chart version ${version}: ${parts.length} of ${Item.parts} parts found`);
    return this.recent.offer(JSON.parse(gunzipSync(Buffer.concat(parts)).toString('utf8')) as Org, startedAt);
  }

  async replace(input: OrgInput, expectedVersion: number, by: string): Promise<Org> {
    const org: Org = { ...input, version: expectedVersion + 1, updatedAt: new Date(this.clock.now()).toISOString(), updatedBy: by };
    const packed = gzipSync(JSON.stringify(org));
    const parts: Buffer[] = [];
    for (let offset = 0; offset < packed.length; offset += PART_BYTES) parts.push(packed.subarray(offset, offset + PART_BYTES));
    if (parts.length > MAX_PARTS) {
      throw new PayloadTooLargeError('组织机构过大，无法保存。The org chart is too large to store.', 'org');
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.orgCurrent, version: org.version, parts: parts.length, updatedAt: org.updatedAt, updatedBy: by },
                // Only from the version read; a chart still stored inline carries its version inside.
                ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected OR org.#version = :expected',
                ExpressionAttributeNames: expectedVersion === 0 ? undefined : { '#version': 'version' },
                ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
              },
            },
            ...parts.map((data, i) => ({
              Put: { TableName: this.table, Item: { ...keys.orgPart(org.version, i), data }, ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('组织机构已被他人修改，请刷新后重试。The org chart was changed by someone else: reload and try again.', 'stale-version');
      }
      throw error;
    }
    this.recent.set(org);
    return org;
  }
}
