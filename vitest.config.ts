import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/** The files that run the local system on the emulators; everything else runs on memory twins or nothing at all. */
const EMULATED = ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts', 'tests/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    // Emulators (DynamoDB Local is a JVM) and the local system run as child processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      // Unit, use case, handler, workflow and infra tests: no emulator is started for a run of only
      // these, and they take every core (vitest's default leaves one free, which on two is half).
      { extends: true, test: { name: 'fast', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...EMULATED], maxWorkers: availableParallelism() } },
      // One DynamoDB Local for the whole run, a database of its own per local system (tests/support/dynamodb-partition.ts).
      { extends: true, test: { name: 'emulated', include: EMULATED, globalSetup: ['tests/support/dynamodb-global-setup.ts'] } },
    ],
  },
});
