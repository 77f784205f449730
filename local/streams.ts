/**
 * DynamoDB Streams on loopback: DynamoDB Local keeps the table's change stream and answers the
 * Streams API; this polls it as Lambda's event source mapping does in AWS and hands each consumer
 * of infra/topology.ts its batches, filtered by the same key filters, one batch after another. A
 * batch whose handler fails is handed over again (a few times, then logged as a dead letter, as
 * the AWS mapping sends it to its queue). Reading starts at the stream's latest record when the
 * system starts: nothing is replayed after a restart.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamConsumerSpec } from '../infra/topology.ts';

export type StreamHandler = (event: DynamoDBStreamEvent, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;

export interface LocalStreams {
  /** Resolves once every change made before the call has been handed to every consumer and handled. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const POLL_MS = 200;
const ATTEMPTS = 3;

export async function startStreamConsumers(options: {
  endpoint: string;
  tableName: string;
  consumers: readonly StreamConsumerSpec[];
  resolveHandler: (spec: StreamConsumerSpec) => Promise<StreamHandler>;
}): Promise<LocalStreams> {
  const client = new DynamoDBStreamsClient({ endpoint: options.endpoint });
  // The table's latest stream (labels are timestamps). Not DescribeTable, which in DynamoDB Local counts every item.
  const { Streams } = await client.send(new ListStreamsCommand({ TableName: options.tableName }));
  const streamArn = (Streams ?? []).sort((a, b) => String(b.StreamLabel).localeCompare(String(a.StreamLabel)))[0]?.StreamArn;
  if (!streamArn) throw new Error(`The table ${options.tableName} has no stream`);
  let stopped = false;
  const loops = await Promise.all(options.consumers.map((spec) => consume(spec)));

  async function consume(spec: StreamConsumerSpec) {
    // Every shard open now, from its latest record; shards that appear later, from their first.
    const iterators = new Map<string, string | undefined>();
    const shards = async (type: 'LATEST' | 'TRIM_HORIZON') => {
      const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of StreamDescription?.Shards ?? []) {
        if (iterators.has(shard.ShardId!) || (type === 'TRIM_HORIZON' && shard.SequenceNumberRange?.EndingSequenceNumber)) continue;
        const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: type }));
        iterators.set(shard.ShardId!, ShardIterator);
      }
    };
    await shards('LATEST');
    const handler = await options.resolveHandler(spec);
    let waiters: { after: number; resolve: () => void }[] = [];
    let round = 0;
    const run = async () => {
      while (!stopped) {
        const started = ++round;
        let handed = 0;
        for (const [shardId, iterator] of iterators) {
          if (!iterator) continue;
          const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 })).catch((error: unknown) => {
            if (!stopped) console.error(`Stream consumer ${spec.id}: reading the stream failed`, error);
            return undefined;
          });
          if (!page) continue;
          iterators.set(shardId, page.NextShardIterator);
          const records = (page.Records ?? []).filter((r) => matches(spec, r));
          for (let i = 0; i < records.length; i += spec.batchSize) {
            await deliver(spec, handler, records.slice(i, i + spec.batchSize));
            handed++;
          }
        }
        // A closed shard's successors.
        if ([...iterators.values()].some((i) => i === undefined)) await shards('TRIM_HORIZON').catch(() => undefined);
        // Whoever asked before this round began has now had every change made before they asked.
        const answered = waiters.filter((w) => started > w.after);
        waiters = waiters.filter((w) => started <= w.after);
        for (const w of answered) w.resolve();
        if (handed === 0) await new Promise((r) => setTimeout(r, POLL_MS));
      }
      for (const w of waiters) w.resolve();
    };
    const done = run();
    return {
      done,
      settle: () => new Promise<void>((resolve) => waiters.push({ after: round, resolve })),
    };
  }

  return {
    // Two full rounds after the call: the first may have begun before the change was written.
    settle: async () => {
      for (let i = 0; i < 2; i++) await Promise.all(loops.map((l) => l.settle()));
    },
    stop: async () => {
      stopped = true;
      await Promise.all(loops.map((l) => l.done));
      client.destroy();
    },
  };
}

function matches(spec: StreamConsumerSpec, record: _Record): boolean {
  const pk = record.dynamodb?.Keys?.pk?.S ?? '';
  const sk = record.dynamodb?.Keys?.sk?.S ?? '';
  return spec.filters.some((f) => pk.startsWith(f.pkPrefix) && (f.skExact === undefined || sk === f.skExact) && (f.skPrefix === undefined || sk.startsWith(f.skPrefix)));
}

async function deliver(spec: StreamConsumerSpec, handler: StreamHandler, records: _Record[]): Promise<void> {
  const event: DynamoDBStreamEvent = { Records: records.map((r) => ({ ...r, dynamodb: { Keys: r.dynamodb?.Keys, SequenceNumber: r.dynamodb?.SequenceNumber, StreamViewType: 'KEYS_ONLY' } }) as DynamoDBRecord) };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const started = Date.now();
    try {
      await handler(event, { getRemainingTimeInMillis: () => (spec.timeoutSeconds ?? 29) * 1000 - (Date.now() - started) });
      return;
    } catch (error) {
      console.error(`Stream consumer ${spec.id}: batch of ${records.length} failed (attempt ${attempt} of ${ATTEMPTS})`, error);
      if (attempt === ATTEMPTS) console.error(`Stream consumer ${spec.id}: dead letter`, JSON.stringify(records.map((r) => r.dynamodb?.Keys)));
      else await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
