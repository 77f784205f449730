/** Given: the whole local system in this process, in memory, on free ports. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystemOptions } from '../../local/system.ts';
import { topology as defaultTopology } from '../../infra/topology.ts';

export interface GivenOptions extends Omit<LocalSystemOptions, 's3Dir' | 'dataDir'> {
  /**
   * Run the consumers of the table's change stream (the search indexer, the scan text reader), as
   * `npm start` does. Off unless asked: the files that test search and scan texts ask; the rest
   * would spend their time indexing and reading PDFs that nothing of theirs looks at.
   */
  readonly search?: boolean;
}

export async function givenLocalSystem({ search = false, ...options }: GivenOptions = {}) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-s3-'));
  const topology = options.topology ?? defaultTopology;
  const system = await startLocalSystem({ ...options, topology: search ? topology : { ...topology, streamConsumers: [] }, s3Dir });
  return {
    ...system,
    stop: async () => {
      await system.stop();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
