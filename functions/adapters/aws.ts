/** AWS SDK clients, built once per cold start and shared by the adapters. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { config } from './config.ts';
import { tracer } from './telemetry.ts';

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly scheduler: SchedulerClient;
  readonly ses: SESv2Client;
}

let clients: AwsClients | undefined;

export function awsClients(): AwsClients {
  if (clients) return clients;
  // Every call is a subsegment of the invocation's X-Ray trace (a no-op outside Lambda).
  const traced = <C>(client: C): C => (tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client);
  const dynamodb = traced(new DynamoDBClient({}));
  clients = {
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    s3: traced(new S3Client({
      forcePathStyle: config().s3ForcePathStyle,
      // Checksums only where S3 requires them: presigned PUTs must not carry the checksum of an
      // empty body, and s3rver would store the streaming CRC32 trailer inside the object.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })),
    sfn: traced(new SFNClient({})),
    scheduler: traced(new SchedulerClient({})),
    ses: traced(new SESv2Client({})),
  };
  return clients;
}

/** Forgets the clients, for a local runtime started again in the same process. Never called in Lambda. */
export function resetAwsClients(): void {
  clients?.dynamodb.destroy();
  clients = undefined;
}
