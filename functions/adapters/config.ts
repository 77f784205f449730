/**
 * Configuration read once from the environment, failing fast when something is missing. The same
 * variables are set by CDK in AWS and by local/ on loopback; endpoints themselves come from the
 * SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables, so no code here knows where it runs.
 */
export interface Config {
  readonly tableName: string;
  readonly bucketName: string;
  readonly scheduleGroup: string;
  /** The state machine that drives every case. */
  readonly caseWorkflowArn: string;
  /** s3rver only understands path-style addressing; AWS prefers virtual-hosted style. */
  readonly s3ForcePathStyle: boolean;
  readonly stage: string;
  /** The archive bucket has S3 Object Lock and versions (AWS); locally the application enforces retention. */
  readonly objectLock: boolean;
  /** How filed scans are locked: the stage setting `lockMode` (GOVERNANCE unless COMPLIANCE is chosen). */
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** The SES identity emails are sent from. */
  readonly mailFrom: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

function lockMode(value: string | undefined): Config['objectLockMode'] {
  if (value === undefined || value === '' || value === 'GOVERNANCE') return 'GOVERNANCE';
  if (value === 'COMPLIANCE') return 'COMPLIANCE';
  throw new Error(`OBJECT_LOCK_MODE must be GOVERNANCE or COMPLIANCE, not ${value}`);
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= {
    tableName: required('TABLE_NAME'),
    bucketName: required('BUCKET_NAME'),
    scheduleGroup: required('SCHEDULE_GROUP'),
    caseWorkflowArn: required('CASE_WORKFLOW_ARN'),
    s3ForcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
    stage: process.env.STAGE ?? 'prod',
    objectLock: process.env.OBJECT_LOCK === 'true',
    objectLockMode: lockMode(process.env.OBJECT_LOCK_MODE),
    mailFrom: process.env.MAIL_FROM || 'no-reply@bangong.invalid',
  };
  return cached;
}

/** Forgets the configuration, for a local runtime started again in the same process. */
export function resetConfig(): void {
  cached = undefined;
}
