/**
 * Given: the whole local system in this process, in memory, on free ports. Under vitest, its
 * DynamoDB is a database of its own in the run's one DynamoDB Local (dynamodb-global-setup.ts),
 * not a JVM of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startLocalSystem, type LocalSystemOptions } from '../../local/system.ts';
import { provideInMemoryDynamoDb } from '../../local/dynamodb-local.ts';
import { topology as defaultTopology } from '../../infra/topology.ts';
import { partitionOf } from './dynamodb-partition.ts';

export interface GivenOptions extends Omit<LocalSystemOptions, 's3Dir' | 'dataDir'> {
  /**
   * Run the consumers of the table's change stream (the search indexer, the scan text reader), as
   * `npm start` does. Off unless asked: the files that test search and scan texts ask; the rest
   * would spend their time indexing and reading PDFs that nothing of theirs looks at.
   */
  readonly search?: boolean;
  /** Run the archive worker (四性检测 at filing, the 归档章, jobs): the files that test the archive ask. */
  readonly archive?: boolean;
}

/** The run's shared DynamoDB Local, when the global setup started one (not in benchmarks, nor for files outside its project). */
function sharedDynamoDb(): string | undefined {
  return process.env.VITEST ? inject('dynamodbLocal') : undefined;
}

export async function givenLocalSystem({ search = false, archive = false, ...options }: GivenOptions = {}) {
  const shared = sharedDynamoDb();
  provideInMemoryDynamoDb(shared ? (listenOn) => partitionOf(shared, listenOn) : undefined);
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-s3-'));
  const topology = options.topology ?? defaultTopology;
  const consumers = topology.streamConsumers.filter((c) => (c.id === 'ArchiveWorker' ? archive : search));
  const system = await startLocalSystem({ ...options, topology: { ...topology, streamConsumers: consumers }, s3Dir });
  return {
    ...system,
    stop: async () => {
      await system.stop();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
