/**
 * The one wrapper every HTTP handler goes through: parse and validate at the edge (zod), call one
 * use case, shape the JSON response, and turn errors into `{ "error": { code, message, field } }`
 * with the status from one table. 5xx bodies never carry internals.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';

/** Error name → HTTP status; anything not listed is a 500. */
const statusByErrorName: Readonly<Record<string, number>> = {
  ValidationError: 400,
  UnauthenticatedError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  PayloadTooLargeError: 413,
  UnprocessableError: 422,
  NotReadyError: 503,
};

export interface HttpResult {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** A file to download instead of JSON (exports); sent base64-encoded, as API Gateway wants binary. */
  readonly file?: { readonly fileName: string; readonly contentType: string; readonly bytes: Buffer };
}

export interface HttpSchemas<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  readonly body?: B;
  readonly query?: Q;
  readonly path?: P;
  /** false for public routes (health, dev login); every other route needs a signed-in caller. */
  readonly auth?: false;
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

/** The caller from the claims API Gateway's JWT authorizer verified; public routes have none. */
function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  const claims = (event as JwtEvent).requestContext.authorizer?.jwt?.claims;
  const personId = claims?.['custom:person_id'] ?? claims?.sub;
  if (typeof personId !== 'string' || personId === '') return undefined;
  // API Gateway passes array claims as "[a b]" strings.
  const raw = claims?.['cognito:groups'];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[ ,]+/).filter(Boolean) : [];
  return { personId, groups };
}

/** For handlers of routes that need a signed-in person. */
export function requireCaller(input: { caller?: Caller }): Caller {
  if (!input.caller) throw new UnauthenticatedError();
  return input.caller;
}

const internalError = JSON.stringify({
  error: { code: 'internal', message: '服务器内部错误，请稍后再试。Internal error, please try again later.' },
});

export function httpHandler<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUnknown,
>(
  schemas: HttpSchemas<B, Q, P>,
  run: (input: HttpInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<HttpResult>,
) {
  const base = async (event: APIGatewayProxyEventV2, _context: Context) => {
    const caller = callerOf(event);
    if (schemas.auth !== false && !caller) throw new UnauthenticatedError();
    const input = {
      body: parse(schemas.body, readBody(event), 'body'),
      query: parse(schemas.query, event.queryStringParameters ?? {}, 'query'),
      path: parse(schemas.path, event.pathParameters ?? {}, 'path'),
      event,
      caller: caller as Caller,
      idempotencyKey: event.headers?.['idempotency-key'],
    };
    const result = await run(input);
    return toResponse(result);
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(base)
    .use(
      httpErrorHandler({
        fallbackMessage: internalError,
        logger: (error: unknown) => {
          if (!(error instanceof DomainError)) console.error(error);
        },
      }),
    )
    .use({ onError: mapDomainError });
}

function readBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('请求内容不是有效的 JSON。The request body is not valid JSON.', 'body');
  }
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.infer<S> {
  if (!schema) return value as z.infer<S>;
  const result = schema.safeParse(value);
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
  const body = { error: { code: domain?.code ?? error.name, message: error.message, field: domain?.field } };
  Object.assign(error, { statusCode, expose: true, message: JSON.stringify(body) });
}
