/**
 * How every function is bundled (esbuild through the CDK's NodejsFunction): kept here as plain data
 * so that bench/bundles measures exactly what ships.
 */
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..');

/** Some CommonJS dependencies still call require(); give the ESM bundle one. */
export const REQUIRE_BANNER = "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);";

/**
 * Modules replaced in a Lambda bundle: the SDK's default credential chain by the one link Lambda
 * uses, the environment (functions/adapters/lambda-credentials.ts).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': join(REPO_ROOT, 'functions', 'adapters', 'lambda-credentials.ts'),
};

/** The node target of the bundles (the runtime is Node.js 24; esbuild knows every feature of 22). */
export const BUNDLE_TARGET = 'node22';
