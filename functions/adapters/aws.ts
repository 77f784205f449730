/**
 * AWS SDK clients, each built on first use and then kept for the container's life. A function's
 * bundle carries only the clients its ports use: each getter is its own export, so esbuild leaves
 * out the ones a handler never reaches (a route that reads the table has no S3, SES or Step
 * Functions client in its bundle).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { config } from './config.ts';
import { tracer } from './telemetry.ts';

/** Bumped when a local runtime is started again in the same process: every client is built anew. */
let generation = 0;
const built: { destroy(): void }[] = [];

/** A getter of one client: built once per generation, traced as a subsegment of the invocation (a no-op outside Lambda). */
function lazyClient<C extends { destroy(): void }>(make: () => C): () => C {
  let made: { generation: number; client: C } | undefined;
  return () => {
    if (made?.generation !== generation) {
      const client = make();
      built.push(client);
      made = { generation, client: tracer?.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client };
    }
    return made.client;
  };
}

export const dynamoDb = /* @__PURE__ */ lazyClient(() => new DynamoDBClient({}));

let documentsMade: { generation: number; client: DynamoDBDocumentClient } | undefined;

/** The document client over the (traced) DynamoDB client: plain objects in and out, undefined values left out. */
export function documents(): DynamoDBDocumentClient {
  if (documentsMade?.generation !== generation) {
    documentsMade = { generation, client: DynamoDBDocumentClient.from(dynamoDb(), { marshallOptions: { removeUndefinedValues: true } }) };
  }
  return documentsMade.client;
}

export const s3 = /* @__PURE__ */ lazyClient(
  () =>
    new S3Client({
      forcePathStyle: config().s3ForcePathStyle,
      // Checksums only where S3 requires them: presigned PUTs must not carry the checksum of an
      // empty body, and s3rver would store the streaming CRC32 trailer inside the object.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
);

export const sfn = /* @__PURE__ */ lazyClient(() => new SFNClient({}));
export const scheduler = /* @__PURE__ */ lazyClient(() => new SchedulerClient({}));
export const ses = /* @__PURE__ */ lazyClient(() => new SESv2Client({}));

/** Forgets the clients, for a local runtime started again in the same process. Never called in Lambda. */
export function resetAwsClients(): void {
  for (const client of built.splice(0)) client.destroy();
  generation++;
}
