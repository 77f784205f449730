/** The record of a request's first response under its Idempotency-Key, written with what the request changed. */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Idempotency } from '../../domain/ports.ts';
import { keys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Kept a day: long enough for any client's retries. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * Whether a request's record is still within its day. TTL deletes an expired one some time later
 * (up to days in AWS; never in DynamoDB Local, where it is off), so reads treat it as gone.
 */
export function alive(item: Record<string, unknown>): boolean {
  return typeof item.expiresAt !== 'number' || item.expiresAt > Math.floor(Date.now() / 1000);
}

export function idempotencyPut(table: string, i: Idempotency): TransactItem {
  const now = Math.floor(Date.now() / 1000);
  return {
    Put: {
      TableName: table,
      Item: {
        ...keys.idempotency(i.personId, i.key),
        fingerprint: i.fingerprint,
        // As a string, so a replay is byte for byte the first response.
        response: JSON.stringify(i.response),
        expiresAt: now + IDEMPOTENCY_TTL_SECONDS,
      },
      // A second request under the key that raced this one fails here, and is answered with this
      // response; a record past its day (not yet deleted) no longer holds the key.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': now },
    },
  };
}
