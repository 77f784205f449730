/**
 * Data that must outlive any redeploy: the records table and the archive of scans, each encrypted
 * with a key of its own. All are retained when the stack is deleted.
 */
import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { StaffAuth } from './constructs/auth.ts';
import type { Topology } from './topology.ts';

export interface StatefulStackProps extends StackProps {
  readonly topology: Topology;
  readonly stage: string;
}

/**
 * The archive bucket's name, the same string in both stacks: per stage, account and region, so
 * two stages fit one account, and object grants are plain ARNs rather than cross-stack exports.
 */
export function archiveBucketName(stage: string): string {
  return `bangong-${stage.toLowerCase()}-archive-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** The same name as cdk-nag writes it in a finding id. */
export function archiveBucketNameInFindings(stage: string): string {
  return `bangong-${stage.toLowerCase()}-archive-<AWS::AccountId>-<AWS::Region>`;
}

export class StatefulStack extends Stack {
  readonly table: Table;
  readonly archive: Bucket;
  /** The keys the table and the archive are encrypted with; every function that reads or writes them needs its own grant. */
  readonly tableKey: Key;
  readonly archiveKey: Key;
  /** Staff accounts outlive redeploys like the records do. */
  readonly auth: StaffAuth;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const spec = props.topology.table;

    // Customer-managed keys: the office decides who may decrypt its records, and CloudTrail shows
    // every use. A key outlives the data it encrypts (backups, old versions), hence RETAIN.
    this.tableKey = new Key(this, 'RecordsKey', {
      description: `Bangong ${props.stage}: the records table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.archiveKey = new Key(this, 'ArchiveKey', {
      description: `Bangong ${props.stage}: the archive of scans`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Records', {
      partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
      sortKey: { name: spec.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: spec.timeToLiveAttribute,
      // Keys only: the stream says what changed, its consumers read it (search, scan texts).
      stream: StreamViewType.KEYS_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of spec.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    this.auth = new StaffAuth(this, 'Auth');

    const accessLogs = new Bucket(this, 'ArchiveAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365 * 3) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the archive’s access logs; logging it again would log the logs.',
    });

    this.archive = new Bucket(this, 'Archive', {
      bucketName: archiveBucketName(props.stage),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.archiveKey,
      // One data key per bucket rather than per object: far fewer KMS calls, so far lower cost.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // Filed records are kept under Object Lock (governance mode) for their retention period;
      // Object Lock can only be switched on when a bucket is created.
      objectLockEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      // No CORS here: the one origin allowed is the web form's CloudFront address, which the workload
      // stack creates, so the workload stack sets it (constructs/archive-cors.ts).
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(props.topology.bucket.abortIncompleteUploadAfterDays) },
        // An upload never completed (or refused) leaves nothing behind.
        { prefix: 'uploads/', expiration: Duration.days(props.topology.bucket.abandonedUploadDays), noncurrentVersionExpiration: Duration.days(1) },
        // The search index is rewritten as it changes: only its current version is worth keeping.
        { prefix: 'search/', noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
