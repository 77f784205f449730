/**
 * S3 on loopback: s3rver keeps the objects as files in the data folder, on an internal port the OS
 * picks; the public port is a gate (local/s3-gate.ts) that refuses, as S3 does, every request not
 * signed with the local credentials — s3rver itself checks no signatures. Callers must build their
 * S3 client path-style with checksums only when required (see functions/adapters/aws.ts), and
 * Node must run with --openssl-legacy-provider for listings past the first page.
 */
import { unlink } from 'node:fs/promises';
import S3rver from 's3rver';
import { corsConfigurationXml, type CorsRule } from './s3-cors.ts';
import { startS3Gate } from './s3-gate.ts';

/**
 * The archive bucket's CORS rule in AWS (infra/constructs/archive-cors.ts), with the web form's
 * address here: the local gateway, on whatever loopback port it took. Presigned URLs carry their
 * own authorization; the web form sends the SHA-256 of a scan with it, which S3 then checks.
 */
const CORS: CorsRule[] = [
  {
    allowedOrigins: ['http://127.0.0.1:*', 'http://localhost:*'],
    allowedMethods: ['PUT', 'GET'],
    allowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 3000,
  },
];

/** s3rver's only account; local/system.ts gives the handlers these credentials. */
const CREDENTIALS = new Map([['S3RVER', 'S3RVER']]);

export interface S3Local {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startS3Local(options: { host: string; port: number; directory: string; buckets: string[] }): Promise<S3Local> {
  const server = new S3rver({
    // Loopback only, whatever the public host: nothing reaches s3rver except through the gate.
    address: '127.0.0.1',
    port: 0,
    directory: options.directory,
    silent: true,
    // The web form PUTs scans to presigned URLs and reads previews from another origin, as it does in AWS.
    configureBuckets: options.buckets.map((name) => ({ name, configs: [corsConfigurationXml(CORS)] })),
  });
  keepDirectories(server);
  const internal = (await server.run()) as { port: number };
  try {
    const gate = await startS3Gate({
      host: options.host,
      port: options.port,
      upstream: { host: '127.0.0.1', port: internal.port },
      credentials: CREDENTIALS,
      cors: new Map(options.buckets.map((name) => [name, CORS])),
    });
    return {
      endpoint: `http://${options.host}:${gate.port}`,
      stop: async () => {
        await gate.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/**
 * s3rver removes a key's directory once a delete leaves it empty. A put into the same directory
 * that has just made it then opens its file in a directory that is gone, and s3rver has no error
 * listener on that write stream: the ENOENT is thrown out of the process (seen once, when an
 * upload was tidied while another landed beside it). Deletes here remove the object's three files
 * and leave the directories, which S3 does not have anyway.
 */
function keepDirectories(server: S3rver): void {
  const store = (server as unknown as { store: Partial<FilesystemStore> }).store;
  // s3rver's internals, not its API: fail at start, not silently, if a new version moves them.
  if (typeof store?.deleteObject !== 'function' || typeof store.getResourcePath !== 'function') throw new Error('s3rver no longer has store.deleteObject/getResourcePath: local/s3-local.ts keepDirectories needs updating');
  const getResourcePath = store.getResourcePath.bind(store);
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}
