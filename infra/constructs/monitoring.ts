/**
 * What tells the people who run Bangong that something is wrong, and what its day looked like:
 * one SNS topic (mailed to the ops address from context `opsEmail`) that every alarm notifies, and
 * one CloudWatch dashboard of the office's day.
 *
 * Alarms: every function's errors and throttles; every state machine's failed and timed-out
 * executions; the API's 5xx rate; DynamoDB throttling of the table and its indexes; SES bounce and
 * complaint rates; the failures the code survives but nobody would otherwise see (the counters of
 * functions/domain/telemetry.ts); and every dead-letter queue holding a message.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAILURE_COUNTERS } from '../../functions/domain/telemetry.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/adapters/telemetry-names.ts';

const FIVE_MINUTES = Duration.minutes(5);
/** CloudWatch's limit of metrics in one alarm's expression. */
const MAX_ALARM_METRICS = 10;

/**
 * The sum of some metrics, a period without data counting as 0: a plain `a + b` has no value for a
 * period in which either is missing, and Lambda and DynamoDB report nothing for a quiet period.
 */
export function sumExpression(usingMetrics: Record<string, IMetric>, period: Duration, label: string): MathExpression {
  const expression = Object.keys(usingMetrics)
    .map((id) => `FILL(${id}, 0)`)
    .join(' + ');
  return new MathExpression({ expression, usingMetrics, period, label });
}

/** One metric of each function, summed. */
function sumOf(functions: readonly MonitoredFunction[], metric: (fn: IFunction) => IMetric, label: string): MathExpression {
  return sumExpression(Object.fromEntries(functions.map(({ fn }, i) => [`f${i}`, metric(fn)])), FIVE_MINUTES, label);
}

/**
 * Errors some functions raise as part of the flow, so one is no news: Drive Case throws StepMoved
 * when a case kept moving before its token was recorded (the state machine drives it again).
 */
export const ERRORS_BEFORE_ALARM: Readonly<Record<string, number>> = { TasksDriveCase: 5 };

export interface MonitoredFunction {
  /** The function's construct id (e.g. `HttpActOnCase`), which names its alarms. */
  readonly id: string;
  readonly fn: IFunction;
}

export interface MonitoringProps {
  readonly stage: string;
  readonly functions: readonly MonitoredFunction[];
  readonly stateMachines: readonly StateMachine[];
  readonly httpApi: HttpApi;
  readonly table: ITable;
  readonly indexNames: readonly string[];
  /** Every dead-letter queue (schedules' and stream consumers'), by a name for its alarm. */
  readonly deadLetters: readonly { readonly id: string; readonly queue: IQueue }[];
  /** Where alarms are mailed; without it the topic has no subscriber until one is added. */
  readonly opsEmail?: string;
}

/** A Bangong counter (namespace Bangong, dimension service), summed. */
export function officeMetric(name: string, period: Duration = FIVE_MINUTES): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Sum', period });
}

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // Encrypted with a key CloudWatch may use: alarms cannot publish to a topic under the AWS managed SNS key.
    const key = new Key(this, 'AlarmsKey', { enableKeyRotation: true, description: 'Bangong alarm notifications' });
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Alarms', { displayName: `Bangong ${props.stage} alarms 告警`, masterKey: key, enforceSSL: true });
    if (props.opsEmail) this.topic.addSubscription(new EmailSubscription(props.opsEmail));
    this.action = new SnsAction(this.topic);

    // Functions in groups of ten, an alarm's limit of metrics: fewer alarms (each costs) and a stack
    // under CloudFormation's 500 resources. The description names the group; the dashboard shows each.
    const byThreshold = new Map<number, MonitoredFunction[]>();
    for (const monitored of [...props.functions].sort((a, b) => a.id.localeCompare(b.id))) {
      const threshold = ERRORS_BEFORE_ALARM[monitored.id] ?? 1;
      byThreshold.set(threshold, [...(byThreshold.get(threshold) ?? []), monitored]);
    }
    let group = 0;
    for (const [threshold, members] of byThreshold) {
      for (let i = 0; i < members.length; i += MAX_ALARM_METRICS) {
        const chunk = members.slice(i, i + MAX_ALARM_METRICS);
        const names = chunk.map((m) => m.id).join(', ');
        group++;
        this.alarm(`FunctionErrors${group}`, sumOf(chunk, (fn) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 'Errors'), threshold, `A function failed (${threshold} or more in 5 minutes): ${names}`);
        this.alarm(`FunctionThrottles${group}`, sumOf(chunk, (fn) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 'Throttles'), 1, `Invocations were throttled: ${names}`);
      }
    }
    for (const machine of props.stateMachines) {
      const name = machine.node.scope!.node.id;
      this.alarm(`${name}ExecutionsFailed`, machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${name}: an execution failed`);
      this.alarm(`${name}ExecutionsTimedOut`, machine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${name}: an execution timed out`);
    }

    // More than 5 % of requests answered 5xx; below 20 requests in the period, two of them are enough.
    const serverErrors = new MathExpression({
      expression: '100 * FILL(e5, 0) / IF(FILL(requests, 0) > 20, FILL(requests, 0), 20)',
      usingMetrics: { e5: props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), requests: props.httpApi.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }) },
      period: FIVE_MINUTES,
      label: 'API 5xx %',
    });
    this.alarm('Api5xxRate', serverErrors, 5, 'The API answered more than 5 % of requests with a server error', ComparisonOperator.GREATER_THAN_THRESHOLD);

    // One alarm for reads and one for writes: an alarm's expression may hold 10 metrics, the table and its indexes.
    const readThrottles = this.tableThrottles(props.table, props.indexNames, 'ReadThrottleEvents');
    const writeThrottles = this.tableThrottles(props.table, props.indexNames, 'WriteThrottleEvents');
    this.alarm('TableReadThrottles', readThrottles, 1, 'DynamoDB throttled reads of the table or an index');
    this.alarm('TableWriteThrottles', writeThrottles, 1, 'DynamoDB throttled writes of the table or an index');

    // SES reputation (account-wide): AWS reviews an account at 5 % bounces or 0.1 % complaints.
    const ses = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    this.alarm('SesBounceRate', ses('Reputation.BounceRate'), 0.05, 'More than 5 % of notification emails bounced', ComparisonOperator.GREATER_THAN_THRESHOLD);
    this.alarm('SesComplaintRate', ses('Reputation.ComplaintRate'), 0.001, 'More than 0.1 % of notification emails drew complaints', ComparisonOperator.GREATER_THAN_THRESHOLD);

    for (const counter of FAILURE_COUNTERS) this.alarm(counter, officeMetric(counter), 1, `${counter}: a failure the office's work survived, see the function logs`);
    for (const { id: queueId, queue } of props.deadLetters) {
      this.alarm(`${queueId}DeadLetters`, queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }), 1, `${queueId}: a message is waiting in the dead-letter queue`);
    }

    this.dashboard = this.officeDay(props, serverErrors, [readThrottles, writeThrottles]);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, comparison = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: comparison,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Throttle events of the table and each of its indexes, summed. */
  private tableThrottles(table: ITable, indexNames: readonly string[], metricName: 'ReadThrottleEvents' | 'WriteThrottleEvents'): MathExpression {
    const dimensions = [{ TableName: table.tableName }, ...indexNames.map((index) => ({ TableName: table.tableName, GlobalSecondaryIndexName: index }))];
    const usingMetrics: Record<string, IMetric> = Object.fromEntries(
      dimensions.map((dimensionsMap, i) => [`${metricName === 'ReadThrottleEvents' ? 'r' : 'w'}${i}`, new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic: 'Sum', period: FIVE_MINUTES })]),
    );
    return sumExpression(usingMetrics, FIVE_MINUTES, metricName);
  }

  /** The office's day at a glance: its work, its chasing, and what went wrong. */
  private officeDay(props: MonitoringProps, serverErrors: MathExpression, throttles: readonly MathExpression[]): Dashboard {
    const hour = Duration.hours(1);
    const dashboard = new Dashboard(this, 'OfficeDay', { dashboardName: `Bangong-${props.stage}-office-day`, defaultInterval: Duration.days(1) });
    const functionErrors: Record<string, IMetric> = Object.fromEntries(props.functions.map(({ fn }, i) => [`f${i}`, fn.metricErrors({ period: hour, statistic: 'Sum' })]));
    dashboard.addWidgets(
      new TextWidget({ markdown: `# 办公日 The office's day (${props.stage})\nCases, decisions and chasing by the hour; errors below. Alarms mail the ops address.`, width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: '收发与办结 Cases opened and closed', left: ['CasesOpened', 'CasesClosed', 'Filings', 'UploadsRefused'].map((m) => officeMetric(m, hour)), width: 8 }),
      new GraphWidget({ title: '审批决定 Decisions', left: [officeMetric('Decisions', hour)], width: 8 }),
      new GraphWidget({ title: '超期与催办 Overdue and chasing', left: ['OverdueAtSweep', 'Chases', 'Escalations'].map((m) => officeMetric(m, hour)), width: 8 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: '错误 Errors',
        left: [
          sumExpression(functionErrors, hour, 'Lambda errors'),
          ...props.stateMachines.map((m) => m.metricFailed({ period: hour, statistic: 'Sum', label: 'Executions failed' })),
          ...throttles.map((t) => t.with({ period: hour })),
        ],
        right: [serverErrors.with({ period: hour })],
        width: 12,
      }),
      new GraphWidget({ title: '未送达与未启动 Failures survived', left: FAILURE_COUNTERS.map((m) => officeMetric(m, hour)), width: 12 }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: '告警 Alarms', alarms: this.alarms, width: 24, height: 6 }));
    return dashboard;
  }
}
