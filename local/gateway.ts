/**
 * API Gateway (HTTP API, payload format 2.0) on loopback: routes each request by the route table
 * CDK deploys, builds the same event, invokes the handler in process and writes its response.
 * Anything else under GET is the web form from web/, compressed (brotli or gzip, as the browser
 * accepts) and tagged for If-None-Match, as CloudFront serves it in AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { RouteSpec } from '../infra/topology.ts';
import { PayloadTooLargeError, readBody } from './http-util.ts';

/** API Gateway HTTP APIs refuse request bodies over 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** A synchronous Lambda invocation carries at most 6 MB each way: the whole event in, the whole result out. */
export const MAX_LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Thrown by a local page that will not serve the caller: their token names no person (401), or one it may not serve (403). */
export class LocalRefusal extends Error {
  constructor(readonly status: 401 | 403) {
    super(status === 401 ? 'unauthenticated' : 'forbidden');
    this.name = 'LocalRefusal';
  }
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly params: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const params: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) return params.push(greedy[1]!), '(.+)';
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) return params.push(param[1]!), '([^/]+)';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { spec, pattern: new RegExp(`^${source}$`), params };
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+json)/i;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function createGateway(options: {
  routes: readonly RouteSpec[];
  resolveHandler: (route: RouteSpec) => Promise<HttpHandler>;
  webRoot: string;
  /** The JWT authorizer of `user` routes: the verified claims, or undefined for a 401. */
  authorize?: (authorization: string | undefined) => Promise<Record<string, unknown> | undefined>;
  /** Local-only pages of the runtime itself (e.g. GET /local/outbox), never deployed; each needs a valid token. */
  localRoutes?: Record<string, (url: URL, claims: Record<string, unknown>) => unknown>;
  /** Generated files of the web form (the build of web/, config.json), before web/public; each with its Cache-Control. */
  webAssets?: (pathname: string) => Promise<WebFile | undefined>;
  /** Headers every file of the web form carries, as CloudFront's response headers policy adds them in AWS. */
  webHeaders?: Readonly<Record<string, string>>;
}): Server {
  const routes = options.routes.map(compile);

  return createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    try {
      let url: URL;
      let match: ReturnType<typeof findRoute>;
      try {
        url = new URL(request.url ?? '/', 'http://local');
        match = findRoute(routes, method, url.pathname);
      } catch {
        return sendError(response, 400, 'validation', '请求地址无效。The request address is not valid.');
      }
      const local = options.localRoutes?.[url.pathname];
      if (local && method === 'GET') {
        const claims = await options.authorize?.(request.headers.authorization);
        if (!claims) return sendError(response, 401, 'unauthenticated', SIGN_IN);
        try {
          return send(response, 200, await local(url, claims));
        } catch (error) {
          if (error instanceof LocalRefusal) {
            return error.status === 401 ? sendError(response, 401, 'unauthenticated', SIGN_IN) : sendError(response, 403, 'forbidden', '您不能查看此页。You may not see this page.');
          }
          throw error;
        }
      }
      if (!match) {
        if (method === 'GET' || method === 'HEAD') {
          const asset = await options.webAssets?.(url.pathname);
          if (asset) return await sendFile(request, response, asset, options.webHeaders);
          return await serveStatic(options.webRoot, request, url.pathname, response, options.webHeaders);
        }
        return sendError(response, 404, 'not-found', NOT_FOUND);
      }
      let claims: Record<string, unknown> | undefined;
      if (match.route.spec.auth === 'user') {
        // As API Gateway's JWT authorizer: no valid token, no invocation.
        claims = await options.authorize?.(request.headers.authorization);
        if (!claims) return sendError(response, 401, 'unauthenticated', SIGN_IN);
      }
      const body = await readBody(request, MAX_REQUEST_BYTES);
      const event = toEvent(request, url, body, match.route, match.params);
      if (claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: null }, principalId: '', integrationLatency: 0 } });
      // The event (with a base64 body a third larger) must fit Lambda's synchronous payload.
      if (Buffer.byteLength(JSON.stringify(event)) > MAX_LAMBDA_PAYLOAD_BYTES) return sendError(response, 413, 'too-large', TOO_LARGE, 'body');
      const handler = await options.resolveHandler(match.route.spec);
      const result = await handler(event, lambdaContext(match.route.spec));
      writeResult(response, result);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendError(response, 413, 'too-large', TOO_LARGE, 'body');
      console.error(error);
      sendError(response, 500, 'internal', INTERNAL);
    }
  });
}

function findRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.spec.method !== method && route.spec.method !== 'ANY') continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

function toEvent(request: IncomingMessage, url: URL, body: Buffer, route: CompiledRoute, params: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  // A text body that is not UTF-8 is passed on as its bytes (base64), for the handler to refuse.
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'application/json') && isUtf8(body);
  const routeKey = `${route.spec.method} ${route.spec.path}`;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies: request.headers.cookie?.split(';').map((c) => c.trim()),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(params).length > 0 ? params : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? route.spec.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body: body.length > 0 ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function lambdaContext(spec: RouteSpec): Context {
  const deadline = Date.now() + (spec.timeoutSeconds ?? 30) * 1000;
  const name = spec.entry.replace(/^.*\//, '').replace(/\.ts$/, '');
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: String(spec.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Writes a handler result the way API Gateway interprets payload format 2.0. */
function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (Buffer.byteLength(JSON.stringify(result ?? null)) > MAX_LAMBDA_PAYLOAD_BYTES) {
    console.error('A handler answered more than Lambda can return (6 MB)');
    return sendError(response, 500, 'internal', INTERNAL);
  }
  if (typeof result === 'string') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    return void response.end(result);
  }
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    // A bare value: API Gateway answers 200 with it as JSON.
    return send(response, 200, result);
  }
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

// The gateway's own refusals, in the API's error shape. In AWS the HTTP API answers a missing or
// bad token itself, as {"message":"Unauthorized"} (README: Security); the web form treats any 401 alike.
const SIGN_IN = '请先登录。Please sign in.';
const NOT_FOUND = '没有这个地址。No such address.';
const TOO_LARGE = `请求内容过大（最多 ${MAX_REQUEST_BYTES / 1024 / 1024} MB）。The request is too large (at most ${MAX_REQUEST_BYTES / 1024 / 1024} MB).`;
const INTERNAL = '服务器内部错误，请稍后再试。Internal error, please try again later.';

function sendError(response: ServerResponse, status: number, code: string, message: string, field: string | null = null): void {
  send(response, status, { error: { code, message, field } });
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

async function serveStatic(root: string, request: IncomingMessage, pathname: string, response: ServerResponse, webHeaders?: Readonly<Record<string, string>>): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendError(response, 400, 'validation', '请求地址无效。The request address is not valid.');
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, relative === '' || relative.endsWith(sep) ? join(relative, 'index.html') : relative);
  if (!file.startsWith(root + sep)) return sendError(response, 404, 'not-found', NOT_FOUND);
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return sendError(response, 404, 'not-found', NOT_FOUND);
  }
  await sendFile(request, response, { type: MIME[extname(file)] ?? 'application/octet-stream', body: content, cacheControl: 'no-cache' }, webHeaders);
}

/** A file of the web form and how long a browser (or CloudFront) may keep it. */
export interface WebFile {
  readonly type: string;
  readonly body: Uint8Array;
  readonly cacheControl: string;
}

/** CloudFront compresses text of 1,000 bytes and more; so does the gateway. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript)|image\/svg\+xml)/;
const MIN_COMPRESSED_BYTES = 1000;

interface Representations {
  readonly tag: string;
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}
// Off the event loop, so the API is not held up while a large chunk is compressed the first time;
// brotli at 9, not 11: a tenth of the time (0.2 s, not 1.2 s, for the 430 KB zod chunk) for 7 % more bytes.
const brotliOf = (body: Uint8Array) => promisify(brotliCompress)(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.byteLength } });
const gzipOf = (body: Uint8Array) => promisify(gzip)(body, { level: 9 });
/** A file's tag and compressed forms, made once per body (the built files are the same objects each time). */
const representations = new WeakMap<Uint8Array, Representations>();

/**
 * Answers with the file in the best encoding the browser accepts (brotli, else gzip, else as it
 * is), `Vary: Accept-Encoding` so caches keep each apart, and an ETag per encoding: a browser that
 * already has this version gets a 304 with no body.
 */
async function sendFile(request: IncomingMessage, response: ServerResponse, file: WebFile, webHeaders: Readonly<Record<string, string>> = {}): Promise<void> {
  let known = representations.get(file.body);
  if (!known) {
    known = { tag: createHash('sha256').update(file.body).digest('base64url').slice(0, 27) };
    representations.set(file.body, known);
  }
  const compressible = COMPRESSIBLE.test(file.type) && file.body.byteLength >= MIN_COMPRESSED_BYTES;
  const encoding = compressible ? preferredEncoding(request.headers['accept-encoding']) : undefined;
  const etag = `"${known.tag}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string | number> = { ...webHeaders, 'Content-Type': file.type, 'Cache-Control': file.cacheControl, ETag: etag };
  if (compressible) headers.Vary = 'Accept-Encoding';
  if (matches(request.headers['if-none-match'], etag)) {
    response.writeHead(304, headers);
    return void response.end();
  }
  let body: Uint8Array = file.body;
  if (encoding === 'br') body = await (known.br ??= brotliOf(file.body));
  if (encoding === 'gzip') body = await (known.gzip ??= gzipOf(file.body));
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = body.byteLength;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** br over gzip when both are accepted; none that the header refuses with q=0. */
function preferredEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, ...params]) => !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
