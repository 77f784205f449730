/**
 * Counts the DynamoDB calls the in-process handlers make, and the read and write capacity units
 * each consumed as DynamoDB Local reports them (ReturnConsumedCapacity: INDEXES: the total, indexes
 * included, and each index's part),
 * for whoever is listening in the async context that made the call (bench/api: one HTTP request;
 * bench/cost: the whole run).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dynamoDb } from '../functions/adapters/aws.ts';

export interface Call {
  readonly name: string;
  read: number;
  write: number;
  /** The write units spent on each index's copies (by index name), part of `write`. */
  readonly indexWrites: Record<string, number>;
}

interface Units {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

interface Capacity extends Units {
  readonly GlobalSecondaryIndexes?: Record<string, Units>;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export const meter = new AsyncLocalStorage<Call[]>();

/** Every call made in `meter.run(list, …)` is pushed to `list`; `always` (if given) gets every call, in any context. */
export function meterDynamoDb(always?: Call[]): void {
  dynamoDb().middlewareStack.add(
    (next, context) => async (args) => {
      const lists = [meter.getStore(), always].filter((l): l is Call[] => l !== undefined);
      if (lists.length === 0) return next(args);
      const call: Call = { name: String(context.commandName).replace(/Command$/, ''), read: 0, write: 0, indexWrites: {} };
      for (const list of lists) list.push(call);
      // INDEXES: the total, and the part of it each index took.
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      for (const c of [consumed ?? []].flat()) {
        if (READS.has(call.name)) call.read += c.ReadCapacityUnits ?? c.CapacityUnits ?? 0;
        else {
          call.write += c.WriteCapacityUnits ?? c.CapacityUnits ?? 0;
          for (const [index, units] of Object.entries(c.GlobalSecondaryIndexes ?? {})) {
            call.indexWrites[index] = (call.indexWrites[index] ?? 0) + (units.WriteCapacityUnits ?? units.CapacityUnits ?? 0);
          }
        }
      }
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );
}
