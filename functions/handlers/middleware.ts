/**
 * The one wrapper every HTTP handler goes through: parse and validate at the edge (zod), call one
 * use case, shape the JSON response, and turn errors into `{ "error": { code, message, field } }`
 * (`field` null when no one field is at fault) with the status from one table. 5xx bodies never
 * carry internals. A body is refused before it is parsed when it is larger than the route takes,
 * not UTF-8, nested deeper than any request of ours, or names an object's prototype.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DomainError, PayloadTooLargeError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';
import '../domain/validation-messages.ts';
import { admitMember } from './admission.ts';
import { logger, telemetry } from '../adapters/telemetry.ts';
import { httpObservability, rememberError } from './observed.ts';

/** Error name → HTTP status; anything not listed is a 500. */
const statusByErrorName: Readonly<Record<string, number>> = {
  ValidationError: 400,
  UnauthenticatedError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  PayloadTooLargeError: 413,
  UnprocessableError: 422,
  RateLimitedError: 429,
  NotReadyError: 503,
};

/** What a route takes unless it says otherwise: every request of ours is far smaller. */
export const DEFAULT_BODY_BYTES = 256 * 1024;
/** No request of ours nests deeper than a few levels; a deeper body is refused before it is parsed. */
export const MAX_BODY_DEPTH = 32;
/** Keys that would reach an object's prototype if a body were ever merged key by key. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Any zod schema (zod/mini's, or classic's in tests): the middleware only parses with it. */
type Schema = z.core.$ZodType;

/**
 * A schema whose output is the domain's own type, both ways: `matches<Command>()(schema)` stops
 * compiling when the domain gains a case the schema lacks, or the schema lets through what the
 * domain does not take.
 */
export const matches =
  <T>() =>
  <S extends z.core.$ZodType<T>>(schema: S & ([T] extends [z.infer<S>] ? unknown : never)): S =>
    schema;

export interface HttpResult {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** A file to download instead of JSON (exports); sent base64-encoded, as API Gateway wants binary. */
  readonly file?: { readonly fileName: string; readonly contentType: string; readonly bytes: Buffer };
}

export interface HttpSchemas<B extends Schema, Q extends Schema, P extends Schema> {
  readonly body?: B;
  readonly query?: Q;
  readonly path?: P;
  /** false for public routes (health, dev login); every other route needs a signed-in caller. */
  readonly auth?: false;
  /** The largest body the route takes (bytes); larger ones are refused (413) unread. */
  readonly maxBodyBytes?: number;
  /** Whether the signed-in caller may use the API at all; by default, an active person of the org chart. */
  readonly admit?: (caller: Caller) => Promise<void>;
}

export interface HttpInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly path: P;
  readonly event: APIGatewayProxyEventV2;
  /** The signed-in person, from the JWT authorizer's claims (Cognito in AWS, dev login locally). */
  readonly caller: Caller;
  /** The request's Idempotency-Key header, if any. */
  readonly idempotencyKey?: string;
}

type JwtEvent = APIGatewayProxyEventV2 & { requestContext: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } };

/**
 * The caller from the claims API Gateway's JWT authorizer verified; public routes have none. The
 * person is the ID token's `cognito:username`: an admin sets it when creating the account and
 * nobody can change it afterwards (attributes a user may edit are never trusted). Access tokens
 * (`token_use` access) name no person.
 */
function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  return callerOfClaims((event as JwtEvent).requestContext.authorizer?.jwt?.claims);
}

/** The same, from the claims themselves (the local runtime's own pages use it too). */
export function callerOfClaims(claims: Record<string, unknown> | undefined): Caller | undefined {
  if (claims?.token_use !== 'id') return undefined;
  const personId = claims['cognito:username'];
  if (typeof personId !== 'string' || !/^[a-z0-9-]{1,40}$/.test(personId)) return undefined;
  // API Gateway passes array claims as "[a b]" strings.
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[ ,]+/).filter(Boolean) : [];
  return { personId, groups };
}

/** For handlers of routes that need a signed-in person. */
export function requireCaller(input: { caller?: Caller }): Caller {
  if (!input.caller) throw new UnauthenticatedError();
  return input.caller;
}

const internalError = JSON.stringify({
  error: { code: 'internal', message: '服务器内部错误，请稍后再试。Internal error, please try again later.', field: null },
});

export function httpHandler<
  B extends Schema = z.ZodMiniUndefined,
  Q extends Schema = z.ZodMiniUnknown,
  P extends Schema = z.ZodMiniUnknown,
>(
  schemas: HttpSchemas<B, Q, P>,
  run: (input: HttpInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<HttpResult>,
) {
  const base = async (event: APIGatewayProxyEventV2, _context: Context) => {
    const caller = callerOf(event);
    logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey });
    // Only a well-formed id is worth a key: anything else in the path is the caller's to make up.
    const caseId = event.pathParameters?.id;
    telemetry.annotate({ personId: caller?.personId, caseId: caseId && /^[\w-]{1,64}$/.test(caseId) ? caseId : undefined });
    if (schemas.auth !== false) {
      if (!caller) throw new UnauthenticatedError();
      await (schemas.admit ?? admitMember)(caller);
    }
    const input = {
      body: parse(schemas.body, readBody(event, schemas.maxBodyBytes ?? DEFAULT_BODY_BYTES), 'body'),
      query: parse(schemas.query, event.queryStringParameters ?? {}, 'query'),
      path: parse(schemas.path, event.pathParameters ?? {}, 'path'),
      event,
      caller: caller as Caller,
      idempotencyKey: event.headers?.['idempotency-key'],
    };
    const result = await run(input);
    return toResponse(result);
  };
  // Outermost first: the logger's context and the trace wrap everything; the request line is
  // written after the error handlers turned an error into its response.
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(base)
    .use(httpObservability as middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>[])
    .use({ after: logRequest, onError: logRequest })
    .use({ after: withApiHeaders, onError: withApiHeaders })
    .use(
      httpErrorHandler({
        fallbackMessage: internalError,
        logger: (error: unknown) => {
          if (!(error instanceof DomainError)) logger.error('Request failed', { error });
        },
      }),
    )
    .use({ onError: mapDomainError })
    .use(rememberError as middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>);
}

/**
 * On every answer of a handler, a refusal's too: no browser or proxy keeps it (a case, a person's
 * list, an export), and no browser guesses a type other than the one it declares. Last, so that no
 * handler's own headers weaken it. (Files from the archive come from S3, told the same by their
 * presigned links.)
 */
const API_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function withApiHeaders(request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>): void {
  if (request.response) request.response.headers = { ...request.response.headers, ...API_HEADERS };
}

/** One line a request: the route, the status and how long it took (client errors at INFO, server errors were logged above). */
function logRequest(request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>): void {
  const status = request.response?.statusCode ?? 500;
  const started = request.event.requestContext?.timeEpoch;
  logger.info('Request handled', { status, ms: started ? Date.now() - started : undefined });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`请求内容过大（最多 ${Math.floor(maxBytes / 1024)} KB）。The request body is larger than this route takes (${Math.floor(maxBytes / 1024)} KB).`, 'body');
  }
  let text: string;
  try {
    text = event.isBase64Encoded ? utf8.decode(bytes) : event.body;
  } catch {
    throw new ValidationError('请求内容不是有效的 UTF-8 文本。The request body is not valid UTF-8.', 'body');
  }
  if (nestingDepth(text) > MAX_BODY_DEPTH) {
    throw new ValidationError(`请求内容嵌套过深（最多 ${MAX_BODY_DEPTH} 层）。The request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels).`, 'body');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('请求内容不是有效的 JSON。The request body is not valid JSON.', 'body');
  }
  const forbidden = forbiddenKey(value);
  if (forbidden) throw new ValidationError(`不接受的字段名：${forbidden.split('.').at(-1)}。This key is not accepted.`, forbidden);
  return value;
}

/** How deep the JSON text nests, counted without parsing it (a parser would recurse that deep). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** The path of the first key that names a prototype (`__proto__`, `constructor`, `prototype`), if any. */
function forbiddenKey(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return at;
      stack.push({ value: (v as Record<string, unknown>)[key], path: at });
    }
  }
  return undefined;
}

function parse<S extends Schema>(schema: S | undefined, value: unknown, where: string): z.infer<S> {
  if (!schema) return value as z.infer<S>;
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  throw new ValidationError(issue?.message ?? `Invalid ${where}`, field);
}

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  if (result.file) {
    return {
      statusCode: result.statusCode ?? 200,
      headers: {
        'Content-Type': result.file.contentType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(result.file.fileName)}`,
        ...result.headers,
      },
      body: result.file.bytes.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: result.statusCode ?? 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/** Turns a known domain error into an exposed http error for http-error-handler to write. */
async function mapDomainError(request: { error: unknown }): Promise<void> {
  const error = request.error;
  if (!(error instanceof Error)) return;
  const statusCode = statusByErrorName[error.name];
  if (!statusCode) return;
  const domain = error instanceof DomainError ? error : undefined;
  const body = { error: { code: domain?.code ?? error.name, message: error.message, field: domain?.field ?? null } };
  const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  Object.assign(error, { statusCode, expose: true, message: JSON.stringify(body), ...(retryAfter ? { headers: { 'Retry-After': String(retryAfter) } } : {}) });
}
