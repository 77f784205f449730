/**
 * S3 on loopback with s3rver, objects kept as files in the data folder. Callers must build their
 * S3 client path-style with checksums only when required (see functions/adapters/aws.ts), and
 * Node must run with --openssl-legacy-provider for listings past the first page.
 */
import S3rver from 's3rver';
import { assertPortFree } from './http-util.ts';

export interface S3Local {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startS3Local(options: { host: string; port: number; directory: string; buckets: string[] }): Promise<S3Local> {
  // s3rver throws EADDRINUSE from an unhandled 'error' event, taking the process down.
  await assertPortFree(options.host, options.port);
  const server = new S3rver({
    address: options.host,
    port: options.port,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://${options.host}:${port}`,
    stop: () => server.close(),
  };
}
