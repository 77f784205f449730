/**
 * Vitest global setup of the files that run the local system: one DynamoDB Local (in memory) for
 * the whole run instead of a JVM per file, started while the tests that need none run. Started
 * without `-sharedDb`, so that each access key has a database of its own;
 * tests/support/dynamodb-partition.ts gives each local system its own key.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { freePort } from '../../local/http-util.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared in-memory DynamoDB Local's endpoint. */
    dynamodbLocal: string;
  }
}

export default async function setup(project: TestProject) {
  const host = '127.0.0.1';
  const port = await freePort(host);
  // Not awaited: every project's global setup runs before any test, and the JVM takes seconds to
  // answer. The unit and fast tests run meanwhile; the first file that needs it waits for it
  // (dynamodb-partition.ts). A failed start is printed and ends the run.
  const starting = startDynamoDbLocal({ host, port, sharedDb: false, quickJit: true });
  starting.catch((error) => {
    console.error(error);
    // Every file that needs it would wait its minute and fail: the run stops now instead.
    void project.vitest.cancelCurrentRun('test-failure');
  });
  project.provide('dynamodbLocal', `http://${host}:${port}`);
  return async () => (await starting.catch(() => undefined))?.stop();
}
