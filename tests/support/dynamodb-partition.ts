/**
 * A database of its own in the run's shared DynamoDB Local, for one local system: a loopback proxy
 * that signs every request it forwards as the system's own access key. DynamoDB Local (without
 * `-sharedDb`) keeps a database per access key, so the system's handlers, stream consumers and the
 * test's own clients — whatever credentials they carry — all see one table named as in AWS
 * (`bangong`), and no other file's. Stopping it deletes its tables, so the emulator's memory holds
 * only the systems still running.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, Agent } from 'node:http';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { untilAnswering, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { close, listen } from '../../local/http-util.ts';

/** SigV4's credential scope: `Credential=<access key>/<date>/<region>/dynamodb/aws4_request`. */
const CREDENTIAL = /Credential=[^/,\s]+\//;

/** The shared emulator answering, once per endpoint and process: the global setup does not wait for its start. */
const answering = new Map<string, Promise<void>>();

function sharedAnswering(shared: string): Promise<void> {
  let ready = answering.get(shared);
  if (!ready) {
    ready = untilAnswering(shared).catch((error) => {
      throw new Error(`The run's shared DynamoDB Local (${shared}) did not answer; a failed start is in the run's output`, { cause: error });
    });
    answering.set(shared, ready);
  }
  return ready;
}

export async function partitionOf(shared: string, listenOn: { host: string; port: number }): Promise<DynamoDbLocal & { readonly accessKey: string }> {
  await sharedAnswering(shared);
  // Random: a database left by a file that died must never be found by a later one.
  const accessKey = `test${randomBytes(6).toString('hex')}`;
  const target = new URL(shared);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers, host: target.host };
    if (typeof headers.authorization === 'string') headers.authorization = headers.authorization.replace(CREDENTIAL, `Credential=${accessKey}/`);
    const forward = request({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers, agent }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`shared DynamoDB Local: ${error.message}`);
    });
    incoming.pipe(forward);
  });
  const port = await listen(server, listenOn.host, listenOn.port);
  const endpoint = `http://${listenOn.host}:${port}`;
  return {
    endpoint,
    accessKey,
    stop: async () => {
      await dropTables(shared, accessKey).catch((error) => console.error(`Could not drop the tables of ${accessKey}`, error));
      await close(server);
      agent.destroy();
    },
  };
}

async function dropTables(shared: string, accessKey: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint: shared, region: 'us-east-1', credentials: { accessKeyId: accessKey, secretAccessKey: 'local' } });
  try {
    let start: string | undefined;
    const names: string[] = [];
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    for (const name of names) await client.send(new DeleteTableCommand({ TableName: name }));
  } finally {
    client.destroy();
  }
}
