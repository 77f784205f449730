/** What every memory twin shares with DynamoDB and S3: stored values are copies, and a failed condition has the SDK's name. */

/** Reads and writes hand out copies, as a database does: a caller changing what it got changes nothing stored. */
export function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/**
 * A conditional write that found its condition false, where the DynamoDB adapter lets the SDK's
 * error through (it is named like the SDK's, for code that tells errors apart by name).
 */
export class ConditionFailedError extends Error {
  override readonly name = 'ConditionalCheckFailedException';
  constructor(what: string) {
    super(`The conditional request failed: ${what}`);
  }
}

/**
 * Lets other requests run between a twin's reads and writes, as a network round trip would; a
 * microtask, so fake timers never hold it up.
 */
export const roundTrip = (): Promise<void> => Promise.resolve();
