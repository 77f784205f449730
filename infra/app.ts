/** The CDK app: `npx cdk synth` / `npx cdk deploy --all`. `-c stage=NAME` deploys a second copy beside the first. */
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stateful-stack.ts';
import { topology as defaultTopology, type Topology } from './topology.ts';
import { WorkloadStack } from './workload-stack.ts';

export function defineBangong(app: App, options: { stage: string; topology?: Topology; mailFrom?: string }) {
  const topology = options.topology ?? defaultTopology;
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
    bucket: stateful.archive,
    userPool: stateful.auth.userPool,
    webClient: stateful.auth.webClient,
    stage: options.stage,
    mailFrom: options.mailFrom ?? 'no-reply@bangong.invalid',
    description: 'Bangong functions, API, workflows and schedules',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, workload };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = new App();
  defineBangong(app, { stage: String(app.node.tryGetContext('stage') ?? 'prod'), mailFrom: app.node.tryGetContext('mailFrom') });
  app.synth();
}
