/** An EventBridge Scheduler schedule invoking a function, with the input the local scheduler also gives. */
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { scheduleInput } from '../../local/scheduler.ts';
import type { ScheduleSpec } from '../topology.ts';
import { invokeFindingId, type OfficeFunction } from './office-function.ts';
import { Stack, Validations } from 'aws-cdk-lib';

export class Schedule extends Construct {
  constructor(scope: Construct, id: string, props: { spec: ScheduleSpec; groupName: string; target: OfficeFunction }) {
    super(scope, id);
    // Only this account's schedules may assume the role (confused-deputy guard).
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
    });
    props.target.grantInvoke(role);
    Validations.of(role).acknowledge({ id: invokeFindingId(props.target), reason: 'lambda:InvokeFunction on the schedule’s own target and its versions.' });
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
      },
    });
  }
}
