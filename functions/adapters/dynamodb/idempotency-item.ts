/** The record of a request's first response under its Idempotency-Key, written with what the request changed. */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Idempotency } from '../../domain/ports.ts';
import { keys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Kept a day: long enough for any client's retries. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export function idempotencyPut(table: string, i: Idempotency): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: {
        ...keys.idempotency(i.personId, i.key),
        fingerprint: i.fingerprint,
        // As a string, so a replay is byte for byte the first response.
        response: JSON.stringify(i.response),
        expiresAt: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
      },
      // A second request under the key that raced this one fails here, and is answered with this response.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
