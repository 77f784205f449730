/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy --all`. `-c stage=NAME` deploys a second copy beside
 * the first; `-c lockMode=governance|compliance` is the Object Lock mode filed records are kept in;
 * `-c opsEmail=ops@example.org` is mailed every alarm.
 */
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stateful-stack.ts';
import { topology as defaultTopology, type Topology } from './topology.ts';
import { WorkloadStack } from './workload-stack.ts';

/**
 * S3 Object Lock mode for filed records. `governance` (the default): nobody without
 * s3:BypassGovernanceRetention can shorten or lift a retention, and no function has it.
 * `compliance`: nobody at all, the account's root user included, until the period ends; a stage
 * chooses it when its records must be provably unalterable, knowing a mistaken period cannot be undone.
 */
export type LockMode = 'governance' | 'compliance';

/** The `OBJECT_LOCK_MODE` functions read, from context `lockMode`; anything else stops the synth. */
export function objectLockMode(lockMode: unknown = 'governance'): 'GOVERNANCE' | 'COMPLIANCE' {
  if (lockMode === 'governance') return 'GOVERNANCE';
  if (lockMode === 'compliance') return 'COMPLIANCE';
  throw new Error(`lockMode must be "governance" (the default) or "compliance", not ${JSON.stringify(lockMode)}.`);
}

export function defineBangong(app: App, options: { stage: string; topology?: Topology; mailFrom?: string; lockMode?: LockMode; opsEmail?: string }) {
  const topology = options.topology ?? defaultTopology;
  const lockMode = objectLockMode(options.lockMode);
  // Grant log delivery by bucket policy, not ACLs: the buckets have ACLs disabled.
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  // The workload stack reads the table and bucket by strong reference: the data stack cannot be
  // changed under a deployed workload.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  const prefix = `Bangong-${options.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, { topology, stage: options.stage, description: 'Bangong records and archive (retained)' });
  const workload = new WorkloadStack(app, `${prefix}-Workload`, {
    topology,
    table: stateful.table,
    tableKey: stateful.tableKey,
    bucket: stateful.archive,
    archiveKey: stateful.archiveKey,
    userPool: stateful.auth.userPool,
    stage: options.stage,
    mailFrom: options.mailFrom ?? 'no-reply@bangong.invalid',
    objectLockMode: lockMode,
    opsEmail: options.opsEmail,
    description: 'Bangong functions, API, workflows and schedules',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, workload };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = new App();
  defineBangong(app, {
    stage: String(app.node.tryGetContext('stage') ?? 'prod'),
    mailFrom: app.node.tryGetContext('mailFrom'),
    lockMode: app.node.tryGetContext('lockMode'),
    opsEmail: app.node.tryGetContext('opsEmail'),
  });
  app.synth();
}
