/**
 * When: API Gateway (HTTP API, payload 2.0) invokes a handler, as it does behind the JWT
 * authorizer: the event with the verified ID token's claims, and Lambda's context.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export interface EventOptions {
  /** The signed-in person (`cognito:username` of an ID token); none for an anonymous request. */
  readonly as?: string;
  readonly groups?: readonly string[];
  /** Claims as given, instead of an ID token's (an access token, a forged username). */
  readonly claims?: Record<string, unknown>;
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** An object is sent as JSON; a string or bytes as they are (bytes base64-encoded, as API Gateway does). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

let requests = 0;

/** An event for `routeKey` (`POST /api/cases/{id}/actions`), its path filled from `path`. */
export function httpEvent(routeKey: string, options: EventOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method, template] = routeKey.split(' ') as [string, string];
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.path?.[name] ?? `{${name}}`));
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  const binary = options.body instanceof Uint8Array;
  const body = options.body === undefined ? undefined : binary ? Buffer.from(options.body as Uint8Array).toString('base64') : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const claims = options.claims ?? (options.as ? idTokenClaims(options.as, options.groups ?? []) : undefined);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    // API Gateway lower-cases header names in payload 2.0.
    headers: Object.fromEntries(Object.entries({ 'content-type': 'application/json', ...options.headers }).map(([k, v]) => [k.toLowerCase(), v])),
    queryStringParameters: options.query,
    pathParameters: options.path,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: `request-${++requests}`,
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      // Without claims the route is one the authorizer let through unsigned (tests of the handler's own check).
      authorizer: claims ? { principalId: '', integrationLatency: 0, jwt: { claims: claims as Record<string, string>, scopes: [] } } : (undefined as never),
    },
    body,
    isBase64Encoded: binary,
  };
}

/** The claims of a Cognito ID token as the authorizer passes them: groups as "[a b]". */
export function idTokenClaims(personId: string, groups: readonly string[] = []): Record<string, unknown> {
  return {
    token_use: 'id',
    'cognito:username': personId,
    'cognito:groups': `[${groups.join(' ')}]`,
    sub: `00000000-0000-4000-8000-${personId.length.toString().padStart(12, '0')}`,
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test',
    aud: 'client',
  };
}

/** Lambda's context for one invocation. */
export function lambdaContext(functionName = 'handler-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `aws-${++requests}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface HandlerResponse<T = any> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: T;
}

type Handler = (event: never, context: Context) => Promise<unknown>;

/** Invokes a handler as Lambda would and reads its response (JSON bodies parsed). */
export async function invoke<T = any>(handler: Handler, event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<HandlerResponse<T>> {
  const result = (await handler(event as never, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const text = result.body ?? '';
  const json = /json/.test(headers['Content-Type'] ?? headers['content-type'] ?? '') || text.startsWith('{');
  return { status: result.statusCode ?? 200, headers, body: (json && text ? JSON.parse(text) : text) as T };
}
