/**
 * DynamoDB Local, AWS's own emulator (a JVM), shipped inside the npm package
 * amplify-dynamodb-simulator. Kept in a data folder (`-dbPath`, SQLite: an acknowledged write is
 * on disk) or in memory for tests. `-sharedDb` makes one database whatever the credentials/region;
 * without it each access key (and region) has a database of its own, which is how a test run
 * shares one emulator between its files (tests/support/dynamodb-global-setup.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertPortFree } from './http-util.ts';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function emulatorDir(): string {
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('DynamoDB Local needs Java 17 or newer on the PATH (Debian: apt-get install -y openjdk-17-jre-headless).');
  }
}

export interface DynamoDbLocalOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir?: string;
  /** One database for every access key (the default); false: one per access key and region. */
  readonly sharedDb?: boolean;
  /**
   * Compile with the JVM's quick compiler only, with one garbage-collector thread: a quarter less
   * CPU over a test run, where the emulator answers many small requests for minutes; benches that
   * measure its steady state leave it off.
   */
  readonly quickJit?: boolean;
  /**
   * The JVM's heap limit. By default the JVM takes up to a quarter of the machine's memory and,
   * being garbage-collected, grows towards it under a steady load (past 2 GB while a restart
   * resumed 12,500 executions); a data folder's items live on disk, not in the heap. With a limit
   * the serial collector is used: no parallel collector threads or G1's side tables for a heap
   * this small (bench/startup prints the peak of each process).
   */
  readonly maxHeapMb?: number;
}

/** What starts an in-memory emulator instead of a JVM of its own, when a test run provides one. */
type InMemoryProvider = (options: DynamoDbLocalOptions) => Promise<DynamoDbLocal>;
let inMemoryProvider: InMemoryProvider | undefined;

/**
 * Hands every later in-memory start (no `dataDir`) to `provider`, or, with none, back to a JVM of
 * its own. A test run uses it to put each local system in its own database of one shared
 * emulator; a data folder always gets its own JVM (it must outlive the process, restarts included).
 */
export function provideInMemoryDynamoDb(provider: InMemoryProvider | undefined): void {
  inMemoryProvider = provider;
}

const QUICK_JIT = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  if (!options.dataDir && inMemoryProvider) return inMemoryProvider(options);
  assertJava();
  // Another DynamoDB Local on the port would answer our readiness probe and be mistaken for ours.
  await assertPortFree(options.host, options.port);
  const dir = emulatorDir();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const java = [
    'java',
    '-Xms64m',
    ...(options.maxHeapMb ? [`-Xmx${options.maxHeapMb}m`, '-XX:+UseSerialGC'] : []),
    ...(options.quickJit ? QUICK_JIT : []),
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    ...storage,
    ...(options.sharedDb === false ? [] : ['-sharedDb']),
    // By default DynamoDB Local reports its starts and stops to AWS (Cognito and Pinpoint, with
    // the machine's OS): nothing of an office's machine leaves it unasked, and offline it only costs time.
    '-disableTelemetry',
    '-port',
    String(options.port),
  ].map(shellQuote);
  // A watchdog shell: the JVM dies when our stdin closes, so even a SIGKILL of the local system
  // does not leave an orphan holding the port and the database files.
  const script = `${java.join(' ')} </dev/null & pid=$!; trap 'kill $pid 2>/dev/null; wait $pid; exit 0' TERM INT; read _ ; kill $pid 2>/dev/null; wait $pid`;
  const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const endpoint = `http://${options.host}:${options.port}`;
  try {
    await untilAnswering(endpoint, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`DynamoDB Local did not start: ${error instanceof Error ? error.message : error}\n${stderr}`);
  }
  return { endpoint, stop: () => stopChild(child, exited) };
}

/** Resolves when the DynamoDB Local at `endpoint` answers; fails if `exited` settles first, or after 60 s. */
export async function untilAnswering(endpoint: string, exited: Promise<unknown> = new Promise(() => {})): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (dead) throw new Error('the JVM exited');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error('no answer within 60 s');
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
