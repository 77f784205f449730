/**
 * bench/bundles: what each Lambda function weighs and how long its bundle takes to import. Every
 * function of the topology (routes, Step Functions tasks, schedules, stream consumers) is bundled
 * as the CDK does (infra/constructs/office-function.ts: esbuild, ESM, minified, the source map a
 * file beside it), then imported `RUNS` times, each in a fresh Node with no source-map support, as
 * a cold start does. Prints each function's minified size, map size, median import time and its
 * three heaviest inputs, and the ratios to the goals (≤ 250 KB, ≤ 50 ms; under 1.00 meets them).
 *   npm run bench:bundles              (RUNS=10 by default; ONLY=act-on-case for one function)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { topology, type FunctionSpec } from '../infra/topology.ts';
import { BUNDLE_ALIASES, BUNDLE_TARGET, REQUIRE_BANNER } from '../infra/bundling.ts';

const RUNS = Number(process.env.RUNS ?? 10);
const SIZE_GOAL_KB = 250;
const IMPORT_GOAL_MS = 50;
const ROOT = join(import.meta.dirname, '..');

/** The same options as the CDK's bundling (office-function.ts), so what is measured is what ships. */
async function bundle(spec: FunctionSpec, outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(ROOT, spec.entry)],
    // What the CDK installs beside the bundle instead (FunctionSpec.nodeModules); resolved from the repository's node_modules here.
    external: [...(spec.nodeModules ?? [])],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIASES },
    metafile: true,
    logLevel: 'error',
  });
  return result.metafile;
}

/** One import of the bundle in a fresh Node, timed inside it (process start excluded), as Lambda's init does. */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  // What Lambda sets (Powertools reads these at import), with Node 24's silence about the SDK's Node 20 warning.
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: basename(file),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: 'bench',
    BUCKET_NAME: 'bench',
    NODE_OPTIONS: '',
  };
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The inputs that make up most of a bundle, grouped by package (or by our own folder). */
function heaviest(meta: Metafile, output: string): string {
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(meta.outputs[output]!.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : path.split('/').slice(0, 2).join('/');
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${Math.round(v / 1024)}`).join(', ');
}

const specs = new Map<string, FunctionSpec>();
for (const spec of [...topology.routes, ...Object.values(topology.tasks), ...topology.schedules, ...topology.timers, ...topology.streamConsumers]) {
  if (!process.env.ONLY || spec.entry.includes(process.env.ONLY)) specs.set(spec.entry, spec);
}

mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
// Inside the repository, so that the packages a function keeps outside its bundle resolve.
const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'bench-bundles-'));
const rows: { name: string; kb: number; mapKb: number; ms: number; top: string }[] = [];
try {
  for (const entry of specs.keys()) {
    const name = basename(entry, '.ts');
    const outfile = join(dir, `${name}.mjs`);
    const meta = await bundle(specs.get(entry)!, outfile);
    const output = Object.keys(meta.outputs).find((o) => o.endsWith('.mjs'))!;
    const times = Array.from({ length: RUNS }, () => importMs(outfile));
    rows.push({ name, kb: statSync(outfile).size / 1024, mapKb: statSync(`${outfile}.map`).size / 1024, ms: median(times), top: heaviest(meta, output) });
    process.stderr.write('.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stderr.write('\n');

rows.sort((a, b) => b.kb - a.kb);
const over = rows.filter((r) => r.kb > SIZE_GOAL_KB || r.ms > IMPORT_GOAL_MS);
console.log(`bench:bundles: ${rows.length} functions, import median of ${RUNS} fresh Node processes (${process.version}), goals ${SIZE_GOAL_KB} KB and ${IMPORT_GOAL_MS} ms\n`);
console.log(`${'function'.padEnd(28)} ${'KB'.padStart(6)} ${'ratio'.padStart(6)} ${'map KB'.padStart(7)} ${'ms'.padStart(6)} ${'ratio'.padStart(6)}  heaviest inputs (KB)`);
for (const r of rows) {
  console.log(`${r.name.padEnd(28)} ${r.kb.toFixed(0).padStart(6)} ${(r.kb / SIZE_GOAL_KB).toFixed(2).padStart(6)} ${r.mapKb.toFixed(0).padStart(7)} ${r.ms.toFixed(1).padStart(6)} ${(r.ms / IMPORT_GOAL_MS).toFixed(2).padStart(6)}  ${r.top}`);
}
const worst = (k: 'kb' | 'ms') => Math.max(...rows.map((r) => r[k]));
console.log(`\nlargest ${worst('kb').toFixed(0)} KB (ratio ${(worst('kb') / SIZE_GOAL_KB).toFixed(2)}), median ${median(rows.map((r) => r.kb)).toFixed(0)} KB; slowest import ${worst('ms').toFixed(1)} ms (ratio ${(worst('ms') / IMPORT_GOAL_MS).toFixed(2)}), median ${median(rows.map((r) => r.ms)).toFixed(1)} ms`);
console.log(over.length ? `over a goal: ${over.map((r) => r.name).join(', ')}` : 'every function meets both goals');
