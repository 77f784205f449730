/** Probes each backing service with one cheap read-only call. */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import { dynamoDb, s3, ses, scheduler, sfn } from './aws.ts';
import { config } from './config.ts';

export type ComponentStatus = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

export interface HealthReport {
  readonly status: 'up' | 'down';
  readonly components: Record<string, ComponentStatus>;
}

export async function checkHealth(): Promise<HealthReport> {
  const { tableName, bucketName, scheduleGroup } = config();
  const probes: Record<string, () => Promise<unknown>> = {
    dynamodb: () => dynamoDb().send(new DescribeTableCommand({ TableName: tableName })),
    s3: () => s3().send(new HeadBucketCommand({ Bucket: bucketName })),
    stepfunctions: () => sfn().send(new ListStateMachinesCommand({ maxResults: 1 })),
    scheduler: () => scheduler().send(new ListSchedulesCommand({ GroupName: scheduleGroup, MaxResults: 1 })),
    email: () => ses().send(new GetAccountCommand({})),
  };
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => [name, await timed(probe)] as const),
  );
  const components = Object.fromEntries(entries);
  const status = entries.every(([, c]) => c.status === 'up') ? 'up' : 'down';
  return { status, components };
}

async function timed(probe: () => Promise<unknown>): Promise<ComponentStatus> {
  const started = performance.now();
  try {
    await probe();
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.name : String(error) };
  }
}
