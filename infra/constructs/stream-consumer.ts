/**
 * A function fed the table's change stream (topology `streamConsumers`): the filters and batching
 * the topology declares, one batch at a time per stream shard, retries that split a failing batch to find the change it
 * fails on, and a dead-letter queue for the batch that still fails, so nothing is lost unseen.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumerSpec } from '../topology.ts';

export interface StreamConsumerProps {
  readonly spec: StreamConsumerSpec;
  readonly table: ITable;
  readonly target: IFunction & { addEventSource(source: DynamoEventSource): void };
}

export class StreamConsumer extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, { spec, table, target }: StreamConsumerProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of a stream consumer.' });
    target.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: spec.batchSize,
        maxBatchingWindow: Duration.seconds(spec.batchWindowSeconds),
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetters),
        filters: spec.filters.map((f) =>
          FilterCriteria.filter({
            dynamodb: {
              Keys: {
                pk: { S: FilterRule.beginsWith(f.pkPrefix) },
                ...(f.skExact ? { sk: { S: FilterRule.isEqual(f.skExact) } } : f.skPrefix ? { sk: { S: FilterRule.beginsWith(f.skPrefix) } } : {}),
              },
            },
          }),
        ),
      }),
    );
  }
}
