/**
 * Vitest global setup of the files that run the local system: one DynamoDB Local (in memory) for
 * the whole run instead of a JVM per file. Started without `-sharedDb`, so that each access key has
 * a database of its own; tests/support/dynamodb-partition.ts gives each local system its own key.
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
  const dynamodb = await startDynamoDbLocal({ host, port: await freePort(host), sharedDb: false, quickJit: true });
  project.provide('dynamodbLocal', dynamodb.endpoint);
  return () => dynamodb.stop();
}
