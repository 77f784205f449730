/**
 * The archive bucket's CORS rule, which names the web form's CloudFront address. The bucket lives in
 * the stateful stack, the distribution in the workload stack, and the workload stack already
 * depends on the stateful one; so the stateful stack declares no CORS and this custom resource sets
 * the rule with s3:PutBucketCors, on that one bucket, whenever the address changes. It removes the
 * rule when the workload stack is deleted: with no web form, no page may use the bucket.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * What the page sends with a presigned PUT (the file's type, and the SHA-256 checksum the URL signs,
 * so S3 refuses any other bytes) or GET; the upload's ETag is the only answer header it reads. The
 * local S3 (local/s3-local.ts) answers with the same rule.
 */
const ARCHIVE_CORS_HEADERS = ['content-type', 'x-amz-checksum-sha256'];

export interface ArchiveCorsProps {
  /** The archive bucket's name (the same string in both stacks). */
  readonly bucketName: string;
  /** The only origin allowed, e.g. https://d111111abcdef8.cloudfront.net */
  readonly origin: string;
}

export class ArchiveCors extends Construct {
  constructor(scope: Construct, id: string, props: ArchiveCorsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const bucketArn = `arn:${stack.partition}:s3:::${props.bucketName}`;

    // The presigned URL is the authorization (15 and 5 minutes); CORS only lets the page read the answer.
    const put: AwsSdkCall = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: {
        Bucket: props.bucketName,
        CORSConfiguration: {
          CORSRules: [
            { AllowedOrigins: [props.origin], AllowedMethods: ['PUT', 'GET'], AllowedHeaders: ARCHIVE_CORS_HEADERS, ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
          ],
        },
      },
      physicalResourceId: PhysicalResourceId.of(props.bucketName),
    };

    // Kept when the stack goes, like every log group of the workload stack.
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    // An explicit role instead of AWSLambdaBasicExecutionRole, as every function has: its own log
    // group and this one bucket's CORS, nothing else.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    new AwsCustomResource(this, 'Rule', {
      onCreate: put,
      onUpdate: put,
      // DeleteBucketCors is authorized by s3:PutBucketCORS too.
      onDelete: { service: 'S3', action: 'deleteBucketCors', parameters: { Bucket: props.bucketName } },
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [bucketArn] })]),
      role,
      logGroup,
      // The SDK the Lambda runtime ships: no download from npm at deploy time.
      installLatestAwsSdk: false,
    });
  }
}
