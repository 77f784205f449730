/** Items by key, 100 to a BatchGetItem (its limit), a few calls at a time, with what DynamoDB left unprocessed asked again. */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

const PER_CALL = 100;
/** Rounds for the keys DynamoDB leaves unprocessed (under throttling) before giving up. */
const ROUNDS = 8;

export interface BatchGet {
  readonly keys: readonly { pk: string; sk: string }[];
  readonly projection?: { readonly expression: string; readonly names: Record<string, string> };
}

/**
 * What each of some index entries holds, in their order: its own `data` when it carries it (an
 * archive item, a fact, a case item of the earlier layout), else the `data` of the case item it
 * names, read here (a case's `LISTED` or `DUE` entry). A case named twice (its entries of both
 * layouts, while an index catches up with its move) is given once: undefined the second time.
 */
export async function dataOfEntries(
  db: DynamoDBDocumentClient,
  table: string,
  entries: readonly Record<string, unknown>[],
  projection?: BatchGet['projection'],
): Promise<unknown[]> {
  const named = entries.filter((entry) => entry.data === undefined).map((entry) => keys.case(keys.caseIdOf(String(entry.pk))));
  const found = named.length > 0 ? await batchGet(db, table, { keys: named, projection }) : new Map<string, Record<string, unknown>>();
  const seen = new Set<string>();
  return entries.map((entry) => {
    const pk = String(entry.pk);
    const key = pk.startsWith('CASE#') ? pk : `${pk}\u0000${String(entry.sk)}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    return entry.data ?? found.get(pk)?.data;
  });
}

/** Calls in flight at once, for a long run of keys (a year's register). */
const IN_FLIGHT = 4;

/** The items found, by `pk`; keys without an item are absent. Eventually consistent, as the index that named them is. */
async function batchGet(db: DynamoDBDocumentClient, table: string, request: BatchGet): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(request.keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < unique.length; i += PER_CALL) chunks.push(unique.slice(i, i + PER_CALL));
  const next = async (): Promise<void> => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) await getChunk(db, table, request, chunk, found);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, chunks.length) }, next));
  return found;
}

/** One call's keys, asked again for those DynamoDB leaves unprocessed. */
async function getChunk(db: DynamoDBDocumentClient, table: string, request: BatchGet, chunk: Record<string, unknown>[], found: Map<string, Record<string, unknown>>): Promise<void> {
  let pending = chunk;
  for (let round = 0; pending.length > 0; round++) {
    if (round === ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${ROUNDS} rounds`);
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
    const { Responses, UnprocessedKeys } = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: pending,
            ...(request.projection ? { ProjectionExpression: `pk, ${request.projection.expression}`, ExpressionAttributeNames: request.projection.names } : {}),
          },
        },
      }),
    );
    for (const item of Responses?.[table] ?? []) found.set(String(item.pk), item);
    pending = (UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
}
