/**
 * Counts the DynamoDB calls the in-process handlers make, and the read and write capacity units
 * each consumed as DynamoDB Local reports them (ReturnConsumedCapacity: TOTAL, indexes included),
 * for whoever is listening in the async context that made the call (bench/api: one HTTP request;
 * bench/cost: the whole run).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dynamoDb } from '../functions/adapters/aws.ts';

export interface Call {
  readonly name: string;
  read: number;
  write: number;
}

interface Capacity {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export const meter = new AsyncLocalStorage<Call[]>();

/** Every call made in `meter.run(list, …)` is pushed to `list`; `always` (if given) gets every call, in any context. */
export function meterDynamoDb(always?: Call[]): void {
  dynamoDb().middlewareStack.add(
    (next, context) => async (args) => {
      const lists = [meter.getStore(), always].filter((l): l is Call[] => l !== undefined);
      if (lists.length === 0) return next(args);
      const call: Call = { name: String(context.commandName).replace(/Command$/, ''), read: 0, write: 0 };
      for (const list of lists) list.push(call);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      for (const c of [consumed ?? []].flat()) {
        if (READS.has(call.name)) call.read += c.ReadCapacityUnits ?? c.CapacityUnits ?? 0;
        else call.write += c.WriteCapacityUnits ?? c.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );
}
