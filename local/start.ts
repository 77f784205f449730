/**
 * `npm start`: runs Bangong on this machine with no AWS account. Configuration by environment:
 *   PORT (3000)  DATA_DIR (.data)  DYNAMODB_PORT (8000)  S3_PORT (4569)  SFN_PORT (8083)  SCHEDULER_PORT (8084)  SES_PORT (8085)
 * A port of 0 picks a free one. SIGINT/SIGTERM stop everything cleanly.
 */
import { resolve } from 'node:path';
import { startLocalSystem, ROOT, LOCAL_NAMES, type LocalSystem } from './system.ts';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number (0-65535), got "${raw}"`);
    process.exit(2);
  }
  return port;
}

const started = performance.now();
const dataDir = resolve(ROOT, process.env.DATA_DIR || '.data');
const ports = {
  api: portFromEnv('PORT', 3000),
  dynamodb: portFromEnv('DYNAMODB_PORT', 8000),
  s3: portFromEnv('S3_PORT', 4569),
  stepfunctions: portFromEnv('SFN_PORT', 8083),
  scheduler: portFromEnv('SCHEDULER_PORT', 8084),
  ses: portFromEnv('SES_PORT', 8085),
};

let system: LocalSystem;
try {
  system = await startLocalSystem({ dataDir, ports });
} catch (error) {
  console.error(`Bangong could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

const { urls } = system;
console.log(`
Bangong 办公 — local system ready in ${((performance.now() - started) / 1000).toFixed(1)} s (data in ${dataDir})
  Web & API        ${urls.api}/
  Health           ${urls.api}/health
  DynamoDB Local   ${urls.dynamodb}   table ${LOCAL_NAMES.table}
  S3 (s3rver)      ${urls.s3}   bucket ${LOCAL_NAMES.bucket}
  Step Functions   ${urls.stepfunctions}
  Scheduler        ${urls.scheduler}
  SES (outbox)     ${urls.ses}   read it at ${urls.api}/local/outbox
Press Ctrl+C to stop.`);
const resumeStarted = performance.now();
void system.resumed.then((count) => {
  if (count > 0) console.log(`Resumed the executions of ${count} open cases in ${((performance.now() - resumeStarted) / 1000).toFixed(1)} s.`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) process.exit(1); // a second signal: stop waiting
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await system.stop();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
