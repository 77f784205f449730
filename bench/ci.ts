/**
 * bench/ci: how long the tests take on this machine, against the goals — the tests a developer
 * runs on every change (unit and use case tests: pure domain code and use cases on memory twins)
 * within 10 s, and the
 * whole `npm test` (typecheck, then every test, the emulated ones sharing one DynamoDB Local)
 * within 5 minutes. Runs the fast tests, then `npm test`, each once, and prints both wall times
 * with their ratio to the goal (under 1.00 meets it).
 *   npm run bench:ci                  (FAST_ONLY=1 to skip the whole suite)
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';

const FAST_GOAL_MS = 10_000;
const WHOLE_GOAL_MS = 5 * 60_000;
const FAST = ['tests/unit', 'tests/usecases'];

interface Run {
  readonly label: string;
  readonly ms: number;
  readonly exitCode: number;
  /** Vitest's own summary lines (files and tests passed or failed). */
  readonly summary: string[];
}

const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_OPTIONS: '--openssl-legacy-provider' };

function run(label: string, command: string, args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => {
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      const summary = plain.split('\n').filter((line) => /^\s*(Test Files|Tests)\s/.test(line)).map((line) => line.trim());
      resolve({ label, ms: performance.now() - started, exitCode: code ?? 1, summary });
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function line(r: Run, goalMs: number): string {
  const ratio = r.ms / goalMs;
  const verdict = r.exitCode !== 0 ? 'FAILED' : ratio <= 1 ? 'meets the goal' : 'over the goal';
  return `${r.label.padEnd(34)} ${seconds(r.ms).padStart(9)}   goal ${seconds(goalMs).padStart(7)}   ratio ${ratio.toFixed(2)}   ${verdict}`;
}

const before = loadavg()[0]!;
const fast = await run('unit + use case tests', 'npx', ['vitest', 'run', ...FAST]);
const whole = process.env.FAST_ONLY ? undefined : await run('whole npm test', 'npm', ['test', '--silent']);

console.log(`\nbench:ci on ${availableParallelism()} cores (load average ${before.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end)`);
console.log(line(fast, FAST_GOAL_MS));
for (const s of fast.summary) console.log(`  ${s}`);
if (whole) {
  console.log(line(whole, WHOLE_GOAL_MS));
  for (const s of whole.summary) console.log(`  ${s}`);
}
process.exitCode = fast.exitCode || whole?.exitCode || 0;
