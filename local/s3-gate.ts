/**
 * The local S3's front door. s3rver checks no signatures, so it listens on an internal loopback
 * port and this gate takes the public one: every request must carry a valid Signature V4 (header
 * or presigned query, local/s3-signature.ts) and a body that matches what it declared
 * (local/s3-body.ts) before it reaches s3rver — otherwise the answer is S3's own error. CORS
 * preflights pass unauthenticated, as in S3. Bodies are spooled to a file, never held in memory;
 * answers stream back untouched.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BodyDigest, bodyClaims, spoolBody } from './s3-body.ts';
import { checkCopyConditions, checkPutConditions, copySourceOf, hasCopyConditions, hasPutConditions } from './s3-copy.ts';
import { corsResponseHeaders, type CorsRule } from './s3-cors.ts';
import { S3Error } from './s3-error.ts';
import { authenticate, splitTarget, type Credentials } from './s3-signature.ts';
import { close, listen } from './http-util.ts';

export interface S3GateOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Where s3rver listens (loopback). */
  readonly upstream: { readonly host: string; readonly port: number };
  readonly credentials: Credentials;
  /** Each bucket's CORS rules, applied to the gate's own refusals (s3rver adds them to its answers). */
  readonly cors: ReadonlyMap<string, readonly CorsRule[]>;
  /** Wall-clock time: signatures are made with Date.now(). */
  readonly now?: () => Date;
}

export interface S3Gate {
  readonly port: number;
  close(): Promise<void>;
}

/** Headers that belong to one connection, not to the request or answer being passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
/** Also not passed on with a request: the gate has answered the Expect itself and sends the body it checked, with its length. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'expect', 'content-length']);

export async function startS3Gate(options: S3GateOptions): Promise<S3Gate> {
  const now = options.now ?? (() => new Date());
  const spoolDir = await mkdtemp(join(tmpdir(), 'bangong-s3-spool-'));
  const agent = new Agent({ keepAlive: true });

  const handle = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    const headers = receivedHeaders(req);
    const url = req.url ?? '/';
    try {
      // A CORS preflight carries no credentials in S3 either; s3rver answers it from the bucket's rules.
      if (req.method === 'OPTIONS') return await forward(req, res, undefined);
      const method = req.method ?? 'GET';
      const auth = await authenticate({ method, url, headers }, options.credentials, now());
      // x-amz-* query parameters count as headers (s3rver reads them so; the signature covers them).
      const amz = { ...headers, ...Object.fromEntries(splitTarget(url).query.flatMap(([k, v]) => (/^x-amz-/i.test(k) ? [[k.toLowerCase(), v]] : []))) };
      const digest = new BodyDigest(bodyClaims(method, headers, amz, auth));
      const copied = method === 'PUT' ? copySourceOf(amz) : undefined;
      const conditionalSource = copied && hasCopyConditions(amz) ? copied : undefined;
      // A conditional put (create-once, replace-this-version) is checked against the object as it is now.
      const conditionalPut = method === 'PUT' && !copied && hasPutConditions(headers) ? originForm(url).split('?')[0]! : undefined;
      // Writes to one object, and a conditional copy from it, pass one at a time: no other bytes
      // can land between the precondition read and the copy.
      const send = (body?: { file: string; size: number }) =>
        locks.run([method === 'PUT' || method === 'POST' ? objectName(headers.host, url) : undefined, conditionalSource?.name], async () => {
          if (conditionalSource) checkCopyConditions(amz, await headUpstream(conditionalSource.path));
          if (conditionalPut) checkPutConditions(headers, await headUpstream(conditionalPut));
          await forward(req, res, body);
        });
      if (!hasBody(req)) {
        digest.check();
        return await send();
      }
      if (expectsContinue) res.writeContinue();
      const file = join(spoolDir, randomUUID());
      await spoolBody(req, file, digest);
      try {
        digest.check();
        await send({ file, size: digest.size });
      } finally {
        await rm(file, { force: true });
      }
    } catch (error) {
      if (res.headersSent || req.socket.destroyed) {
        // The answer had begun, or the client went away mid-body: there is no one to tell.
        res.destroy();
      } else if (error instanceof S3Error) {
        refuse(req, res, error, headers);
      } else {
        refuse(req, res, new S3Error('InternalError', 'We encountered an internal error. Please try again.'), headers);
      }
    }
  };

  const locks = new KeyLocks();

  /** The ETag and date of an object as s3rver holds it, or undefined when it has none. */
  const headUpstream = (path: string) =>
    new Promise<{ etag: string; lastModified: Date } | undefined>((resolve, reject) => {
      const head = request({ host: options.upstream.host, port: options.upstream.port, method: 'HEAD', path, agent }, (answer) => {
        answer.resume();
        if (answer.statusCode === 404) return resolve(undefined);
        if (answer.statusCode !== 200) return reject(new Error(`s3rver answered HEAD ${path} with ${answer.statusCode}`));
        resolve({ etag: String(answer.headers.etag ?? ''), lastModified: new Date(String(answer.headers['last-modified'])) });
      });
      head.on('error', reject);
      head.end();
    });

  /** Passes the request to s3rver — its body from the spool file, or none — and streams the answer back as it comes. */
  const forward = (req: IncomingMessage, res: ServerResponse, body: { file: string; size: number } | undefined) =>
    new Promise<void>((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = value;
      }
      if (body || req.headers['content-length'] !== undefined) headers['content-length'] = String(body?.size ?? 0);
      const upstream = request({ host: options.upstream.host, port: options.upstream.port, method: req.method, path: originForm(req.url ?? '/'), headers, agent });
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.on('error', reject);
      upstream.on('response', (answer) => {
        const passed: string[] = [];
        // s3rver answers every allowed preflight with `*`; S3 names the origin unless the rule allows any.
        const origin = req.method === 'OPTIONS' ? req.headers.origin : undefined;
        const anyOrigin = (options.cors.get(bucketOf(req.headers.host, req.url ?? '/')) ?? []).some((rule) => rule.allowedOrigins.includes('*'));
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          const name = answer.rawHeaders[i]!;
          if (HOP_BY_HOP.has(name.toLowerCase())) continue;
          const value = origin && !anyOrigin && name.toLowerCase() === 'access-control-allow-origin' ? origin : answer.rawHeaders[i + 1]!;
          passed.push(name, value);
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, passed);
        pipeline(answer, res).then(resolve, reject);
      });
      if (body) pipeline(createReadStream(body.file, { highWaterMark: 1 << 20 }), upstream).catch(reject);
      else upstream.end();
    });

  const refuse = (req: IncomingMessage, res: ServerResponse, error: S3Error, headers: Record<string, string>) => {
    const answer = error.toResponse();
    const rules = options.cors.get(bucketOf(headers.host, req.url ?? '/')) ?? [];
    res.writeHead(answer.status, { ...answer.headers, ...corsResponseHeaders(rules, headers.origin, req.method ?? 'GET') });
    res.end(answer.body);
  };

  const server = createServer((req, res) => void handle(req, res, false));
  // Authenticate before asking for the body: a refused 200 MB upload is never sent.
  server.on('checkContinue', (req, res) => void handle(req, res, true));
  let port: number;
  try {
    port = await listen(server, options.host, options.port);
  } catch (error) {
    agent.destroy();
    await rm(spoolDir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    close: async () => {
      await close(server);
      agent.destroy();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

/** Header names lower-case; a repeated header's values joined with commas, as SigV4 canonicalises them. */
function receivedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function originForm(url: string): string {
  return /^https?:\/\//i.test(url) ? url.replace(/^https?:\/\/[^/?]*/i, '') || '/' : url;
}

/** The host name when s3rver reads it as a bucket (virtual-hosted style); path-style on an IP or localhost. */
function virtualHostBucket(host: string | undefined): string | undefined {
  const name = (host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return name && !isIP(name) && name !== 'localhost' && name !== hostname() ? name : undefined;
}

/** `bucket/key` as s3rver reads a request's target, decoded; undefined when it names no object. */
function objectName(host: string | undefined, url: string): string | undefined {
  const path = safeDecode(originForm(url).split('?')[0]!);
  const bucket = virtualHostBucket(host);
  const name = bucket ? `${bucket}${path}` : path.slice(1);
  return /^[^/]+\/./.test(name) ? name : undefined;
}

/** The bucket a request addresses, whose CORS rules apply to the gate's refusals. */
function bucketOf(host: string | undefined, url: string): string {
  return virtualHostBucket(host) ?? safeDecode(originForm(url).split('?')[0]!).split('/')[1] ?? '';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Per-key mutual exclusion: `run` waits for every earlier holder of any of its keys. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly (string | undefined)[], work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    // Always taken in the same order, so two holders of the same pair cannot wait on each other.
    for (const key of [...new Set(keys.filter((k): k is string => k !== undefined))].sort()) {
      const previous = this.tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      this.tails.set(key, tail);
      await previous;
      releases.push(() => {
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    try {
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }
}
