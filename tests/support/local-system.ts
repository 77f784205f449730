/** Given: the whole local system in this process, in memory, on free ports. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystemOptions } from '../../local/system.ts';

export async function givenLocalSystem(options: Omit<LocalSystemOptions, 's3Dir' | 'dataDir'> = {}) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-s3-'));
  const system = await startLocalSystem({ ...options, s3Dir });
  return {
    ...system,
    stop: async () => {
      await system.stop();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
