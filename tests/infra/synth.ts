/** Builds the CDK app as `npx cdk synth` does and hands back both stacks' templates. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineBangong, type LockMode } from '../../infra/app.ts';
import type { Topology } from '../../infra/topology.ts';

export interface SynthOptions {
  /**
   * Bundle every function with esbuild, as a deploy does (the default). Without it the templates are
   * the same but for asset hashes, in a fraction of the time: for tests that read templates only.
   */
  readonly bundle?: boolean;
  readonly lockMode?: LockMode;
  /** Context `opsEmail`: where alarms are mailed. */
  readonly opsEmail?: string;
  /** Runs after the app is defined and before it is synthesized (and cdk-nag checks it). */
  readonly before?: (stacks: ReturnType<typeof defineBangong>) => void;
  /**
   * Run aws-cdk-lib's built-in CloudFormation validation (its schema rules, in WebAssembly), as
   * `cdk synth` does. Off unless asked: it takes some 3 s to start in each test process and 2 s a
   * synth, and one test runs it on the app as it deploys.
   */
  readonly validate?: boolean;
}

/** One finding of the built-in CloudFormation validation. */
export interface ValidationFinding {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
}

export function synth(topology: Topology, options: SynthOptions = {}) {
  // `aws:cdk:bundling-stacks` is what `cdk synth --exclusively` uses to skip bundling: an empty list bundles none.
  const context = options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {};
  const outdir = mkdtempSync(join(tmpdir(), 'bangong-cdk-'));
  if (options.validate && process.env.CDK_VALIDATION === 'false') throw new Error('CDK_VALIDATION=false turns off the validation this synth asks for');
  const app = new App({ outdir, context, builtinCloudFormationValidation: options.validate ?? false });
  const stacks = defineBangong(app, { stage: 'test', topology, lockMode: options.lockMode, opsEmail: options.opsEmail });
  options.before?.(stacks);
  // Policy validation (cdk-nag AwsSolutions) runs here and throws on any unacknowledged finding.
  app.synth();
  return {
    stateful: Template.fromStack(stacks.stateful),
    workload: Template.fromStack(stacks.workload),
    validation: (): ValidationFinding[] => {
      if (!options.validate) throw new Error('not validated: synth with { validate: true }');
      return validationFindings(outdir);
    },
  };
}

/**
 * What the built-in CloudFormation validation found. Only a plugin that found something, or
 * failed, is in the report; a failure is a finding too.
 */
function validationFindings(outdir: string): ValidationFinding[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; conclusion?: string; metadata?: Record<string, unknown>; violations: ValidationFinding[] }[];
  };
  return report.pluginReports.flatMap((r) => [
    ...(r.conclusion && r.conclusion !== 'success' ? [{ ruleName: 'plugin-failed', description: `${r.pluginName}: ${JSON.stringify(r.metadata ?? {})}`, severity: 'error' }] : []),
    ...r.violations.map(({ ruleName, description, severity }) => ({ ruleName, description, severity })),
  ]);
}

/** The built-in CloudFormation validation of a stack that holds only what `build` puts in it. */
export function validateAlone(build: (stack: Stack) => void): ValidationFinding[] {
  const outdir = mkdtempSync(join(tmpdir(), 'bangong-cdk-'));
  const app = new App({ outdir, builtinCloudFormationValidation: true });
  build(new Stack(app, 'Alone'));
  app.synth();
  return validationFindings(outdir);
}

export type Synthesized = ReturnType<typeof synth>;

/** Bangong's own functions: not CDK's providers (the one that copies the web form, the one that sets the archive's CORS). */
export function officeFunctions(template: Template) {
  return Object.values(officeFunctionsById(template));
}

/** The same, by logical id. */
export function officeFunctionsById(template: Template) {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => !id.startsWith('CustomCDKBucketDeployment') && !id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')),
  );
}

export interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** All IAM statements in a template, flattened. */
export function statements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
}
