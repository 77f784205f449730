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

/**
 * What lets EventBridge Scheduler call a function, for a schedule declared here or one armed at run
 * time (constructs/timer.ts): a role only this account's schedules may assume, allowed to invoke
 * the function and to keep what it cannot deliver in a dead-letter queue, where the function's own
 * failures also land after Lambda's 2 retries.
 */
export function schedulerTarget(scope: Construct, target: OfficeFunction, what: string): { role: Role; deadLetters: Queue } {
  // Only this account's schedules may assume the role (confused-deputy guard).
  const role = new Role(scope, 'InvokeRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } } }),
  });
  target.grantInvoke(role);
  Validations.of(role).acknowledge({ id: invokeFindingId(target), reason: `lambda:InvokeFunction on the ${what}’s own target and its versions.` });
  const deadLetters = new Queue(scope, 'DeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This queue is the dead-letter queue of a ${what}.` });
  deadLetters.grantSendMessages(role);
  // Scheduler invokes the function asynchronously: its failures are retried by Lambda, then kept
  // here. A function has one such setting, so a function is the target of one schedule only.
  if (scheduled.has(target)) throw new Error(`${scope.node.id}: ${target.node.id} is already the target of another schedule; give each schedule a function of its own.`);
  scheduled.add(target);
  target.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new SqsDestination(deadLetters) });
  return { role, deadLetters };
}

export class Schedule extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { spec: ScheduleSpec; groupName: string; target: OfficeFunction }) {
    super(scope, id);
    const { role, deadLetters } = schedulerTarget(this, props.target, 'schedule');
    this.deadLetters = deadLetters;
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
