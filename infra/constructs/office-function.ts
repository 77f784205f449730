/**
 * One Lambda function of Bangong: runtime defaults in one place (Node.js 24, arm64, bundled by the
 * local esbuild, a log group with retention) and `bind()`, which turns the topology's grants into
 * IAM permissions and the environment the handler's config reads.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { FunctionSpec, Grant } from '../topology.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface Backing {
  readonly table: ITable;
  /** The archive bucket's name: the same string in both stacks, so object grants are plain ARNs. */
  readonly bucketName: string;
  /** That name as cdk-nag writes it in finding ids. */
  readonly bucketNameInFindings: string;
  readonly indexNames: readonly string[];
  readonly bucket: IBucket;
  readonly scheduleGroupName: string;
  readonly stage: string;
  /** The SES identity notifications are sent from (context `mailFrom`). */
  readonly mailFrom: string;
}

export class OfficeFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, spec: FunctionSpec, backing: Backing) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 29),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        TABLE_NAME: backing.table.tableName,
        BUCKET_NAME: backing.bucket.bucketName,
        OBJECT_LOCK: 'true',
        SCHEDULE_GROUP: backing.scheduleGroupName,
        STAGE: backing.stage,
        MAIL_FROM: backing.mailFrom,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies still call require(); give the ESM bundle one.
        banner: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);",
        forceDockerBundling: false,
        // Bundle the AWS SDK too: the function runs the very versions the tests ran, not the runtime's.
        externalModules: [],
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

  /** Grants what the topology says this function may touch. */
  /** `stateMachineArns`: every workflow's ARN, built from its name (see constructs/workflow.ts). */
  bind(grants: readonly Grant[], backing: Backing, stateMachineArns: readonly string[]): void {
    for (const grant of grants) {
      switch (grant) {
        case 'table:describe':
          this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [backing.table.tableArn] }));
          break;
        case 'table:read':
          this.grantTable(backing, TABLE_READ);
          break;
        case 'table:write':
          this.grantTable(backing, [...TABLE_READ, ...TABLE_WRITE]);
          break;
        case 'bucket:list':
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [backing.bucket.bucketArn] }));
          break;
        case 'bucket:read':
          backing.bucket.grantRead(this);
          break;
        case 'files:upload':
          this.grantObjects(backing, ['s3:PutObject'], 'uploads/*', 'presigned uploads land here');
          break;
        case 'files:verify':
          this.grantObjects(backing, ['s3:GetObject', 's3:DeleteObject'], 'uploads/*', 'uploads are read back and removed once checked');
          this.grantObjects(backing, ['s3:PutObject'], 'attachments/*', 'a verified upload is copied here');
          break;
        case 'files:download':
          this.grantObjects(backing, ['s3:GetObject'], 'attachments/*', 'presigned downloads of attached files');
          break;
        case 'files:retain':
          this.grantObjects(backing, ['s3:PutObjectRetention', 's3:PutObjectLegalHold'], 'attachments/*', 'filed scans are locked for their retention period');
          break;
        case 'files:destroy':
          // Governance-mode retention still refuses these before the period ends; no bypass is granted.
          this.grantObjects(backing, ['s3:DeleteObject', 's3:DeleteObjectVersion'], 'attachments/*', 'approved destruction after retention removes every version');
          this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [backing.bucket.bucketArn] }));
          break;
        case 'bucket:write':
          // Put only: filed records are never deleted or re-locked by a function.
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
      }
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
  private grantTable(backing: Backing, actions: readonly string[]): void {
    const arn = backing.table.tableArn;
    const indexes = backing.indexNames.map((name) => `${arn}/index/${name}`);
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [arn, ...indexes] }));
  }
}

/** cdk-nag's finding id for lambda:InvokeFunction on a function's versions (`<fn.Arn>:*`). */
export function invokeFindingId(fn: OfficeFunction): string {
  return `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(fn.node.defaultChild as never)}.Arn>:*]`;
}
