/**
 * An EventBridge Scheduler schedule invoking a function, with the input the local scheduler also
 * gives. Nothing it fires is lost unseen: a fire Scheduler cannot deliver (after 3 retries within
 * an hour) and an invocation that still fails after Lambda's 2 retries both land in the schedule's
 * dead-letter queue, whose depth raises an alarm (constructs/monitoring.ts).
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleInput } from '../../local/scheduler.ts';
import type { ScheduleSpec } from '../topology.ts';
import { invokeFindingId, type OfficeFunction } from './office-function.ts';

/** Functions already given a schedule's failure destination. */
const scheduled = new WeakSet<OfficeFunction>();

export class Schedule extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { spec: ScheduleSpec; groupName: string; target: OfficeFunction }) {
    super(scope, id);
    // Only this account's schedules may assume the role (confused-deputy guard).
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
    });
    props.target.grantInvoke(role);
    Validations.of(role).acknowledge({ id: invokeFindingId(props.target), reason: 'lambda:InvokeFunction on the schedule’s own target and its versions.' });
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of a schedule.' });
    this.deadLetters.grantSendMessages(role);
    // Scheduler invokes the function asynchronously: its failures are retried by Lambda, then kept
    // here. A function has one such setting, so a function is the target of one schedule only.
    if (scheduled.has(props.target)) throw new Error(`${props.spec.id}: ${props.spec.entry} is already the target of another schedule; give each schedule a function of its own.`);
    scheduled.add(props.target);
    props.target.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new SqsDestination(this.deadLetters) });
    new CfnSchedule(this, 'Schedule', {
      groupName: props.groupName,
      description: props.spec.description,
      scheduleExpression: props.spec.expression,
      scheduleExpressionTimezone: props.spec.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: props.target.functionArn,
        roleArn: role.roleArn,
        input: scheduleInput(props.spec.id),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deadLetters.queueArn },
      },
    });
  }
}
