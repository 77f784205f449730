/**
 * Everything that can be redeployed at will: the functions, the HTTP API, the state machines and
 * the schedules and the consumers of the table's changes, all built from infra/topology.ts against the stateful stack's table and bucket.
 */
import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { Api } from './constructs/api.ts';
import { ArchiveCors } from './constructs/archive-cors.ts';
import { archiveBucketName, archiveBucketNameInFindings } from './stateful-stack.ts';
import { OfficeFunction, type Backing } from './constructs/office-function.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Schedule } from './constructs/schedule.ts';
import { StreamConsumer } from './constructs/stream-consumer.ts';
import { Web } from './constructs/web.ts';
import { Workflow } from './constructs/workflow.ts';
import { Timer } from './constructs/timer.ts';
import type { FunctionSpec, Grant, Topology } from './topology.ts';

export interface WorkloadStackProps extends StackProps {
  readonly topology: Topology;
  readonly table: ITable;
  readonly tableKey: IKey;
  readonly bucket: IBucket;
  readonly archiveKey: IKey;
  readonly userPool: IUserPool;
  readonly stage: string;
  readonly mailFrom: string;
  readonly objectLockMode: Backing['objectLockMode'];
  /** Where alarms are mailed (context `opsEmail`). */
  readonly opsEmail?: string;
}

export class WorkloadStack extends Stack {
  readonly api: Api;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, props);
    const { topology } = props;
    const scheduleGroup = new CfnScheduleGroup(this, 'Schedules', {});
    const backing: Backing = {
      table: props.table,
      tableKey: props.tableKey,
      bucketName: archiveBucketName(props.stage),
      bucketNameInFindings: archiveBucketNameInFindings(props.stage),
      indexNames: topology.table.indexes.map((i) => i.name),
      bucket: props.bucket,
      archiveKey: props.archiveKey,
      scheduleGroup,
      stage: props.stage,
      mailFrom: props.mailFrom,
      objectLockMode: props.objectLockMode,
    };

    // One function per handler module, however many routes, tasks or schedules use it; it gets
    // the union of their grants.
    const functions = new Map<string, { id: string; fn: OfficeFunction; grants: Set<Grant> }>();
    const functionFor = (spec: FunctionSpec, functionName?: string): OfficeFunction => {
      let entry = functions.get(spec.entry);
      if (!entry) {
        const id = spec.entry.replace(/^functions\/handlers\//, '').replace(/\.ts$/, '').replace(/(^|[/-])(\w)/g, (_, __, c: string) => c.toUpperCase());
        entry = { id, fn: new OfficeFunction(this, id, spec, backing, functionName), grants: new Set() };
        functions.set(spec.entry, entry);
      }
      for (const grant of spec.grants) entry.grants.add(grant);
      // A signed-in caller is admitted only as an active member of the org chart (handlers/middleware.ts).
      if ('auth' in spec && spec.auth === 'user') entry.grants.add('table:org');
      return entry.fn;
    };

    const tasks = Object.fromEntries(Object.entries(topology.tasks).map(([name, spec]) => [name, functionFor(spec)]));
    const workflows = topology.stateMachines.map((spec) => new Workflow(this, spec.id, { spec, tasks }));
    // The web form: CloudFront in front of its files, signing staff in through the hosted UI.
    const web = new Web(this, 'Web', { userPool: props.userPool, stage: props.stage });
    // The page alone may PUT scans to and GET them from the archive (presigned URLs).
    new ArchiveCors(this, 'ArchiveCors', { bucketName: backing.bucketName, origin: web.url });
    this.api = new Api(this, 'Api', {
      routes: topology.routes,
      functionFor,
      userPool: props.userPool,
      signInClient: web.signInClient,
      corsOrigins: [web.url],
    });
    web.publish(this.api.httpApi.apiEndpoint);
    const schedules = topology.schedules.map((spec) => new Schedule(this, spec.id, { spec, groupName: scheduleGroup.ref, target: functionFor(spec) }));
    // A timer arms itself (the next chase): its ARN comes from a name of its own, not a reference to it.
    const timers = topology.timers.map((spec) => {
      const functionName = `${this.stackName}-${spec.id}`;
      if (functionName.length > 64) throw new Error(`${functionName}: a Lambda function name has at most 64 characters; use a shorter stage name.`);
      const functionArn = this.formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      return new Timer(this, spec.id, { spec, target: functionFor(spec, functionName), functionArn });
    });
    const consumers = topology.streamConsumers.map((spec) => new StreamConsumer(this, spec.id, { spec, table: props.table, target: functionFor(spec) }));
    const stateMachineArns = workflows.map((w) => w.arn);
    for (const { fn, grants } of functions.values()) {
      fn.bind([...grants], backing, stateMachineArns, timers.map((t) => t.binding));
      // Every function finds the workflows the same way the local runtime tells it.
      topology.stateMachines.forEach((spec, i) => fn.addEnvironment(spec.envVar, workflows[i]!.arn));
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: props.stage,
      functions: [...functions.values()].map(({ id, fn }) => ({ id, fn })),
      stateMachines: workflows.map((w) => w.stateMachine),
      httpApi: this.api.httpApi,
      table: props.table,
      indexNames: backing.indexNames,
      deadLetters: [...schedules, ...timers, ...consumers].map((c) => ({ id: c.node.id, queue: c.deadLetters })),
      opsEmail: props.opsEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'WebUrl', { value: web.url });
    new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: web.signInClient.userPoolClientId });
  }
}
