/** Given: `npm start`'s program in a child process, as a user runs it, with its own data folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningSystem {
  readonly child: ChildProcess;
  readonly urls: { api: string; dynamodb: string; s3: string };
  readonly readyMs: number;
}

const START_ARGS = ['--openssl-legacy-provider', '--import', 'tsx', 'local/start.ts'];

export function spawnSystem(dataDir: string, extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const started = performance.now();
  const child = spawn(process.execPath, START_ARGS, {
    cwd: process.cwd(),
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      // Set in this process by a local system run in it (local/invocations.ts): the child sets its own.
      AWS_LAMBDA_MAX_CONCURRENCY: undefined,
      DATA_DIR: dataDir,
      PORT: '0',
      DYNAMODB_PORT: '0',
      S3_PORT: '0',
      SFN_PORT: '0',
      SCHEDULER_PORT: '0',
      SES_PORT: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const api = /Web & API\s+(\S+)\//.exec(output)?.[1];
      const dynamodb = /DynamoDB Local\s+(\S+)/.exec(output)?.[1];
      const s3 = /S3 \(s3rver\)\s+(\S+)/.exec(output)?.[1];
      if (api && dynamodb && s3 && output.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve({ child, urls: { api, dynamodb, s3 }, readyMs: performance.now() - started });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A data folder that outlives restarts within a test; `cleanUp` stops what still runs and removes it. */
export function givenDataFolder(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const running: RunningSystem[] = [];
  return {
    dataDir,
    start: async () => {
      const system = await spawnSystem(dataDir);
      running.push(system);
      return system;
    },
    cleanUp: async () => {
      for (const { child } of running) {
        child.kill('SIGTERM');
        await exited(child);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
