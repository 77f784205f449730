import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { LongestFirst } from './tests/support/sequencer.ts';

/** The files that run the local system on the emulators; everything else runs on memory twins or nothing at all. */
const EMULATED = ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts', 'tests/e2e/**/*.test.ts'];
const UNIT = ['tests/unit/**/*.test.ts', 'tests/usecases/**/*.test.ts'];

export default defineConfig({
  test: {
    // Emulators (DynamoDB Local is a JVM) and the local system run as child processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    sequence: { sequencer: LongestFirst },
    // The projects run one after another (groupOrder), each with its own number of workers.
    projects: [
      // Pure domain code and use cases on the memory twins: nothing to start and nothing mocked, so
      // files share their workers' loaded modules (importing the domain in every file was most of
      // the time) and run in threads.
      { extends: true, test: { name: 'unit', include: UNIT, pool: 'threads', isolate: false, maxWorkers: availableParallelism(), sequence: { groupOrder: 0 } } },
      // Handler, adapter, workflow and infra tests: no emulator either, but module mocks and
      // stubbed environments, so each file keeps its own; they take every core (vitest's default
      // leaves one free, which on two is half).
      { extends: true, test: { name: 'fast', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...EMULATED, ...UNIT], maxWorkers: availableParallelism(), sequence: { groupOrder: 1 } } },
      // One DynamoDB Local for the whole run, a database of its own per local system
      // (tests/support/dynamodb-partition.ts). Two files at a time: much of a browser walk or a
      // workflow is waiting (on Chromium, on the JVM, on a timer), so two overlap well even on two
      // cores; each at twice the time it takes alone, hence the longer limit. Files share their
      // worker's loaded modules (no isolation): each starts and stops a local system of its own,
      // and importing it afresh for every file was five seconds a file.
      { extends: true, test: { name: 'emulated', include: EMULATED, globalSetup: ['tests/support/dynamodb-global-setup.ts'], maxWorkers: 2, isolate: false, testTimeout: 120_000, sequence: { groupOrder: 2 } } },
    ],
  },
});
