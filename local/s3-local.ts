/**
 * S3 on loopback with s3rver, objects kept as files in the data folder. Callers must build their
 * S3 client path-style with checksums only when required (see functions/adapters/aws.ts), and
 * Node must run with --openssl-legacy-provider for listings past the first page.
 */
import S3rver from 's3rver';
import { assertPortFree } from './http-util.ts';

/** The same CORS rule as the archive bucket's in AWS (infra/stateful-stack.ts): presigned URLs carry their own authorization. */
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>
<AllowedHeader>content-type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

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
    // The web form PUTs scans to presigned URLs and reads previews from another origin, as it does in AWS.
    configureBuckets: options.buckets.map((name) => ({ name, configs: [CORS] })),
  });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://${options.host}:${port}`,
    stop: () => server.close(),
  };
}
