/**
 * One Lambda function of Bangong: runtime defaults in one place (Node.js 24, arm64, bundled by the
 * local esbuild, a retained log group with retention) and `bind()`, which turns the topology's
 * grants into IAM permissions (with the table's and the archive's KMS keys) and the environment
 * the handler's config reads.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { FunctionSpec, Grant } from '../topology.ts';
import type { TimerBinding } from './timer.ts';
import { BUNDLE_ALIASES, BUNDLE_TARGET, REQUIRE_BANNER } from '../bundling.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

// The key actions CDK's own table.grantReadData / grantReadWriteData add for a customer-managed key
// (aws-dynamodb perms KEY_READ_ACTIONS, KEY_WRITE_ACTIONS), with `kms:ReEncrypt*` and
// `kms:GenerateDataKey*` spelled out and the key-pair variants, which DynamoDB never asks for, left out.
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE = [...TABLE_KEY_READ, 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];

export interface Backing {
  readonly table: ITable;
  /** The table's customer-managed key: every table grant comes with its grant on this key. */
  readonly tableKey: IKey;
  /** The archive bucket's name: the same string in both stacks, so object grants are plain ARNs. */
  readonly bucketName: string;
  /** That name as cdk-nag writes it in finding ids. */
  readonly bucketNameInFindings: string;
  readonly indexNames: readonly string[];
  readonly bucket: IBucket;
  /** The archive's customer-managed key (SSE-KMS): reading an object needs Decrypt, writing one GenerateDataKey. */
  readonly archiveKey: IKey;
  /** Bangong's schedule group (`.ref` is its name; its logical id names it in cdk-nag's findings). */
  readonly scheduleGroup: CfnScheduleGroup;
  readonly stage: string;
  /** The SES identity notifications are sent from (context `mailFrom`). */
  readonly mailFrom: string;
  /** The Object Lock mode filed records are retained in (context `lockMode`, see infra/app.ts). */
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
}

export class OfficeFunction extends NodejsFunction {
  /** `functionName`: a name of its own, for a function whose ARN must be known without referring to it (a timer arming itself). */
  constructor(scope: Construct, id: string, spec: FunctionSpec, backing: Backing, functionName?: string) {
    // Retained: what a function did stays readable after its stack is replaced (the group's name is
    // CloudFormation's, so a new stack never collides with it).
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: join(REPO_ROOT, spec.entry),
      functionName,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: spec.architecture === 'x86_64' ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 29),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        TABLE_NAME: backing.table.tableName,
        BUCKET_NAME: backing.bucket.bucketName,
        OBJECT_LOCK: 'true',
        OBJECT_LOCK_MODE: backing.objectLockMode,
        SCHEDULE_GROUP: backing.scheduleGroup.ref,
        STAGE: backing.stage,
        MAIL_FROM: backing.mailFrom,
        // No --enable-source-maps: Node would read the map at every cold start. Each bundle's map
        // ships beside it; set NODE_OPTIONS=--enable-source-maps on a function to read its stacks.
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([from, to]) => `${from}=${to}`) },
        forceDockerBundling: false,
        // Bundle the AWS SDK too: the function runs the very versions the tests ran, not the runtime's.
        externalModules: [],
        nodeModules: spec.nodeModules ? [...spec.nodeModules] : undefined,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<' + Stack.of(this).getLogicalId(logGroup.node.defaultChild as never) + '.Arn>:*]',
      reason: 'Lambda names its log streams at run time; the grant is limited to this function’s own log group.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing, the List* actions and ses:SendEmail (limited by a ses:FromAddress condition) that bind() may grant have no narrower resource here.',
    });
  }

  /**
   * Grants what the topology says this function may touch. `stateMachineArns`: every workflow's
   * ARN, built from its name (see constructs/workflow.ts); `timers`: the functions it may arm.
   */
  bind(grants: readonly Grant[], backing: Backing, stateMachineArns: readonly string[], timers: readonly TimerBinding[] = []): void {
    for (const grant of grants) {
      switch (grant) {
        case 'table:describe':
          this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [backing.table.tableArn] }));
          break;
        case 'table:read':
          this.grantTable(backing, TABLE_READ, TABLE_KEY_READ);
          break;
        case 'table:write':
          this.grantTable(backing, [...TABLE_READ, ...TABLE_WRITE], TABLE_KEY_WRITE);
          break;
        case 'table:cursor-key':
          // Only the one item (functions/adapters/dynamodb/cursors.ts): a reader may create it, nothing else.
          this.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
              resources: [backing.table.tableArn],
              conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SECRET#cursors'] } },
            }),
          );
          this.grantKey(backing.tableKey, TABLE_KEY_WRITE, 'dynamodb');
          break;
        case 'table:org':
          // The org chart's items only (the head and its parts, all under pk ORG).
          this.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:GetItem', 'dynamodb:Query'],
              resources: [backing.table.tableArn],
              conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['ORG'] } },
            }),
          );
          this.grantKey(backing.tableKey, TABLE_KEY_READ, 'dynamodb');
          break;
        case 'bucket:list':
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [backing.bucket.bucketArn] }));
          break;
        case 'bucket:read':
          // The archive's IBucket carries its key: CDK's grant adds kms:Decrypt and kms:DescribeKey on it.
          backing.bucket.grantRead(this);
          break;
        case 'files:upload':
          this.grantObjects(backing, ['s3:PutObject'], 'uploads/*', 'presigned uploads land here');
          // S3 encrypts a presigned PUT with the signer's permissions: this role's.
          this.grantArchiveKey(backing, ['kms:GenerateDataKey']);
          break;
        case 'files:verify':
          // GetObjectVersion: the copy names the version that was read and verified.
          this.grantObjects(backing, ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'], 'uploads/*', 'uploads are read back and removed once checked');
          this.grantObjects(backing, ['s3:PutObject'], 'attachments/*', 'a verified upload is copied here');
          this.grantArchiveKey(backing, ['kms:Decrypt', 'kms:GenerateDataKey']);
          break;
        case 'files:download':
          this.grantObjects(backing, ['s3:GetObject'], 'attachments/*', 'presigned downloads of attached files');
          this.grantArchiveKey(backing, ['kms:Decrypt']);
          break;
        case 'files:retain':
          this.grantObjects(backing, ['s3:PutObjectRetention', 's3:PutObjectLegalHold'], 'attachments/*', 'filed scans are locked for their retention period');
          break;
        case 'files:destroy':
          // Governance-mode retention still refuses these before the period ends; no bypass is granted.
          this.grantObjects(backing, ['s3:DeleteObject', 's3:DeleteObjectVersion'], 'attachments/*', 'approved destruction after retention removes every version');
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [backing.bucket.bucketArn] }));
          break;
        case 'search:read':
          this.grantObjects(backing, ['s3:GetObject'], 'search/*', 'the search index');
          this.grantObjects(backing, ['s3:GetObject'], 'attachments/*.text.json', 'the text read from scans, for snippets');
          this.grantArchiveKey(backing, ['kms:Decrypt']);
          break;
        case 'search:write':
          this.grantObjects(backing, ['s3:PutObject'], 'search/*', 'the indexer writes the index');
          this.grantArchiveKey(backing, ['kms:GenerateDataKey']);
          break;
        case 'texts:write':
          this.grantObjects(backing, ['s3:GetObject'], 'attachments/*', 'scans are read for their text');
          this.grantObjects(backing, ['s3:PutObject'], 'attachments/*.text.json', 'the text read is kept beside each scan');
          this.grantArchiveKey(backing, ['kms:Decrypt', 'kms:GenerateDataKey']);
          break;
        case 'vault:read':
          this.grantObjects(backing, ['s3:GetObject'], 'archive/*', 'the archive’s reports, packages and migration marks');
          // Listing lets a read of a missing key answer 404 rather than 403.
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [backing.bucket.bucketArn] }));
          this.grantArchiveKey(backing, ['kms:Decrypt']);
          break;
        case 'vault:write':
          this.grantObjects(backing, ['s3:PutObject', 's3:AbortMultipartUpload'], 'archive/*', 'reports and packages, written once');
          this.grantArchiveKey(backing, ['kms:GenerateDataKey', 'kms:Decrypt']);
          break;
        case 'digests:read':
          this.grantObjects(backing, ['s3:GetObject'], 'trail-digests/*', 'the daily digests of trail chain heads');
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [backing.bucket.bucketArn] }));
          this.grantArchiveKey(backing, ['kms:Decrypt']);
          break;
        case 'digests:write':
          // Created once under Object Lock: the put sets retention and a legal hold; nothing here may delete.
          this.grantObjects(backing, ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'], 'trail-digests/*', 'a day’s digest, written once and locked');
          this.grantArchiveKey(backing, ['kms:GenerateDataKey']);
          break;
        case 'files:check':
          this.grantObjects(backing, ['s3:GetObject', 's3:GetObjectRetention', 's3:GetObjectLegalHold'], 'attachments/*', 'the 四性检测 re-reads filed scans and their locks');
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [backing.bucket.bucketArn] }));
          this.grantArchiveKey(backing, ['kms:Decrypt']);
          break;
        case 'files:stamp':
          this.grantObjects(backing, ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'], 'attachments/*.stamped.pdf', 'the 归档章 copy beside a filed PDF, locked like it');
          this.grantArchiveKey(backing, ['kms:GenerateDataKey']);
          break;
        case 'bucket:write':
          // Put only: filed records are never deleted by a function. CDK's grants add the archive key's
          // kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:ReEncrypt* and kms:GenerateDataKey*.
          backing.bucket.grantRead(this);
          backing.bucket.grantPut(this);
          break;
        case 'workflows:list':
          this.addToRolePolicy(new PolicyStatement({ actions: ['states:ListStateMachines'], resources: ['*'] }));
          break;
        case 'workflows:start':
          if (stateMachineArns.length > 0) this.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [...stateMachineArns] }));
          break;
        case 'workflows:respond':
          if (stateMachineArns.length > 0) {
            this.addToRolePolicy(
              new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resources: [...stateMachineArns] }),
            );
          }
          break;
        case 'workflows:history':
          if (stateMachineArns.length > 0) this.addToRolePolicy(new PolicyStatement({ actions: ['states:ListExecutions'], resources: [...stateMachineArns] }));
          break;
        case 'workflows:read':
          if (stateMachineArns.length > 0) {
            // One execution's state and history (an execution ARN is its machine's with `execution` and a name).
            this.addToRolePolicy(
              new PolicyStatement({
                actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
                resources: stateMachineArns.map((arn) => `${arn.replace(':stateMachine:', ':execution:')}:*`),
              }),
            );
            for (const arn of stateMachineArns) {
              const machine = arn.slice(arn.indexOf(':stateMachine:') + ':stateMachine:'.length);
              Validations.of(this.role!).acknowledge({
                id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machine}:*]`,
                reason: 'The executions of this state machine only: their names are made at run time.',
              });
            }
          }
          break;
        case 'mail:send':
          // Only from the configured sender identity.
          this.addToRolePolicy(
            new PolicyStatement({
              actions: ['ses:SendEmail'],
              resources: ['*'],
              conditions: { StringEquals: { 'ses:FromAddress': backing.mailFrom } },
            }),
          );
          break;
        case 'mail:status':
          this.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
          break;
        case 'schedules:list':
          this.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }));
          break;
        case 'timers:arm':
          this.grantTimers(backing, timers);
          break;
        case 'timers:disarm':
          this.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:DeleteSchedule'], resources: [this.chaseSchedules(backing)] }));
          break;
      }
    }
  }

  /**
   * The one-time chase schedules in Bangong's group, named at run time (`chase-<case>-<step>-<time>`,
   * adapters/scheduler/chases.ts); not the fixed schedules beside them (the sweep, the hourly repair).
   */
  private chaseSchedules(backing: Backing): string {
    const stack = Stack.of(this);
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${stack.getLogicalId(backing.scheduleGroup)}>/chase-*]`,
      reason: 'The one-time chases in Bangong’s own group: their names (case, step, time) are made at run time.',
    });
    return stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${backing.scheduleGroup.ref}/chase-*` });
  }

  /**
   * One-time schedules in the group, calling a timer with its own role only (iam:PassRole to
   * Scheduler), and where to find that timer (environment).
   */
  private grantTimers(backing: Backing, timers: readonly TimerBinding[]): void {
    this.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [this.chaseSchedules(backing)] }));
    for (const timer of timers) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['iam:PassRole'], resources: [timer.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }),
      );
      this.addEnvironment(`${timer.envPrefix}_TARGET_ARN`, timer.functionArn);
      this.addEnvironment(`${timer.envPrefix}_ROLE_ARN`, timer.role.roleArn);
      this.addEnvironment(`${timer.envPrefix}_DEAD_LETTER_ARN`, timer.deadLetterArn);
    }
  }

  /** Objects under one prefix of the archive: object keys are made at run time, hence the wildcard. */
  private grantObjects(backing: Backing, actions: string[], prefix: string, why: string): void {
    const resource = `arn:${Stack.of(this).partition}:s3:::${backing.bucketName}/${prefix}`;
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [resource] }));
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${backing.bucketNameInFindings}/${prefix}]`,
      reason: `Only the ${prefix} prefix: ${why}.`,
    });
    if (actions.length > 1) {
      for (const action of actions) Validations.of(this.role!).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `Scoped to ${prefix}.` });
    }
  }

  /** The table and its named indexes, no wildcard. Scan is never granted: every read is a key or index query. */
  private grantTable(backing: Backing, actions: readonly string[], keyActions: readonly string[]): void {
    const arn = backing.table.tableArn;
    const indexes = backing.indexNames.map((name) => `${arn}/index/${name}`);
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [arn, ...indexes] }));
    this.grantKey(backing.tableKey, keyActions, 'dynamodb');
  }

  /** The archive's key, for the objects a presigned URL or this function reads or writes. */
  private grantArchiveKey(backing: Backing, actions: readonly string[]): void {
    this.grantKey(backing.archiveKey, actions, 's3');
  }

  /**
   * One key, usable only through the service it encrypts for (kms:ViaService, as the AWS managed
   * keys aws/dynamodb and aws/s3 are): the function cannot call KMS with it directly.
   */
  private grantKey(key: IKey, actions: readonly string[], service: 'dynamodb' | 's3'): void {
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
  }
}

/** cdk-nag's finding id for lambda:InvokeFunction on a function's versions (`<fn.Arn>:*`). */
export function invokeFindingId(fn: OfficeFunction): string {
  return `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(fn.node.defaultChild as never)}.Arn>:*]`;
}
