/** The HTTP wrapper every handler goes through: who the caller is, what a body may be, and the one error shape. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ForbiddenError, RateLimitedError } from '../../functions/domain/errors.ts';
import { httpHandler, nestingDepth } from '../../functions/handlers/middleware.ts';

const idToken = { token_use: 'id', 'cognito:username': 'xu-liang', 'cognito:groups': '[admin staff]' };

function event(options: { body?: string | Buffer; claims?: Record<string, unknown>; query?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  const binary = Buffer.isBuffer(options.body);
  return {
    version: '2.0',
    routeKey: 'POST /test',
    rawPath: '/test',
    rawQueryString: '',
    headers: {},
    queryStringParameters: options.query,
    requestContext: { http: { method: 'POST', path: '/test' }, authorizer: options.claims ? { jwt: { claims: options.claims } } : undefined } as never,
    body: options.body === undefined ? undefined : binary ? (options.body as Buffer).toString('base64') : (options.body as string),
    isBase64Encoded: binary,
  };
}

const context = {} as Context;
async function call(handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>, e: APIGatewayProxyEventV2) {
  const result = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(String(result.body)) };
}

/** Everyone signed in is a member here; the org chart's rule has its own tests (tests/security). */
const member = async () => {};
const echo = httpHandler({ body: z.object({ title: z.string(), count: z.number().int().min(1) }).strict(), admit: member }, async ({ body, caller }) => ({ body: { body, caller } }));

describe('the HTTP middleware', () => {
  it('tells browsers and proxies to keep no answer and not to guess its type: data, files and refusals alike, whatever a handler says', async () => {
    const file = httpHandler({ admit: member }, async () => ({ file: { bytes: Buffer.from('%PDF-1.7'), contentType: 'application/pdf', fileName: '病历.pdf' } }));
    const boom = httpHandler({ admit: member }, async () => {
      throw new Error('secret internals');
    });
    const lax = httpHandler({ admit: member }, async () => ({ body: {}, headers: { 'Cache-Control': 'public, max-age=600' } }));
    const answers = [
      await echo(event({ claims: idToken, body: '{"title":"t","count":1}' }), context),
      await echo(event({ claims: idToken, body: '{"count":1}' }), context),
      await echo(event({ body: '{"title":"t","count":1}' }), context),
      await file(event({ claims: idToken }), context),
      await boom(event({ claims: idToken }), context),
      await lax(event({ claims: idToken }), context),
    ] as APIGatewayProxyStructuredResultV2[];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 400, 401, 200, 500, 200]);
    for (const answer of answers) expect(answer.headers).toMatchObject({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    expect(answers[3]!.headers).toMatchObject({ 'Content-Type': 'application/pdf' });
  });

  it('takes the caller from the ID token’s cognito:username, never from an attribute a user may edit', async () => {
    const ok = await call(echo, event({ claims: idToken, body: '{"title":"t","count":1}' }));
    expect(ok.body.caller).toEqual({ personId: 'xu-liang', groups: ['admin', 'staff'] });
    for (const claims of [
      { ...idToken, token_use: 'access' },
      { token_use: 'id', 'custom:person_id': 'chen-zhiqiang', sub: 'chen-zhiqiang' },
      { ...idToken, 'cognito:username': 'Chen Zhiqiang' },
    ]) {
      const refused = await call(echo, event({ claims, body: '{"title":"t","count":1}' }));
      expect([refused.status, refused.body]).toEqual([401, { error: { code: 'unauthenticated', message: expect.stringMatching(/^请先登录/), field: null } }]);
    }
  });

  it('answers every refusal as {"error":{code,message,field}}, field null when no one field is at fault, messages in Chinese first', async () => {
    const missing = await call(echo, event({ claims: idToken, body: '{"count":1}' }));
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'validation', field: 'title', message: '此项必填。This field is required.' } } });
    const wrongType = await call(echo, event({ claims: idToken, body: '{"title":"t","count":"many"}' }));
    expect(wrongType.body.error.field).toBe('count');
    expect(wrongType.body.error.message).toMatch(/^无效输入.*。Invalid input/);
    const unknown = await call(echo, event({ claims: idToken, body: '{"title":"t","count":1,"admin":true}' }));
    expect(unknown.body.error.message).toMatch(/^不接受的字段：admin。Unknown field/);
    const notJson = await call(echo, event({ claims: idToken, body: '{"title":' }));
    expect(notJson.body).toEqual({ error: { code: 'validation', message: expect.stringMatching(/^请求内容不是有效的 JSON/), field: 'body' } });
    expect(Object.keys(notJson.body.error)).toEqual(['code', 'message', 'field']);
  });

  it('refuses a body over the route’s limit (413), nested too deep, not UTF-8, or naming a prototype (400), before parsing it', async () => {
    const large = await call(echo, event({ claims: idToken, body: JSON.stringify({ title: 'x'.repeat(300 * 1024), count: 1 }) }));
    expect([large.status, large.body.error.code, large.body.error.field]).toEqual([413, 'too-large', 'body']);
    const deep = await call(echo, event({ claims: idToken, body: '['.repeat(10_000) + ']'.repeat(10_000) }));
    expect([deep.status, deep.body.error.field, deep.body.error.message]).toEqual([400, 'body', expect.stringMatching(/^请求内容嵌套过深/)]);
    const latin1 = await call(echo, event({ claims: idToken, body: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]) }));
    expect([latin1.status, latin1.body.error.field, latin1.body.error.message]).toEqual([400, 'body', expect.stringMatching(/UTF-8/)]);
    const proto = await call(echo, event({ claims: idToken, body: '{"title":"t","count":1,"nested":{"__proto__":{"admin":true}}}' }));
    expect([proto.status, proto.body.error.field]).toEqual([400, 'nested.__proto__']);
    // A route that takes more says so.
    const roomy = httpHandler({ body: z.object({ title: z.string() }), maxBodyBytes: 1024 * 1024, admit: member }, async () => ({ body: { ok: true } }));
    expect((await call(roomy, event({ claims: idToken, body: JSON.stringify({ title: 'x'.repeat(300 * 1024) }) }))).status).toBe(200);
  });

  it('lets in only those the admission admits, before reading the body', async () => {
    const outsider = httpHandler({ body: z.object({ title: z.string() }), admit: async () => {
      throw new ForbiddenError('您不在本单位组织机构中。Not a member.');
    } }, async () => ({ body: { ok: true } }));
    const refused = await call(outsider, event({ claims: idToken, body: '{"title":' }));
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('counts nesting without being fooled by brackets inside strings or escaped quotes', () => {
    expect(nestingDepth('{"a":[1,{"b":"[[[[\\"{{"}]}')).toBe(3);
    expect(nestingDepth('"[[["')).toBe(0);
  });

  it('answers a rate limit with 429 and Retry-After, and an unexpected failure with a 500 that tells nothing', async () => {
    const busy = httpHandler({ admit: member }, async () => {
      throw new RateLimitedError('操作过于频繁。Too often.', 120, 'comment');
    });
    const limited = await call(busy, event({ claims: idToken }));
    expect([limited.status, limited.headers['Retry-After'], limited.body]).toEqual([429, '120', { error: { code: 'rate-limited', message: '操作过于频繁。Too often.', field: 'comment' } }]);
    const broken = httpHandler({ admit: member }, async () => {
      throw new Error('ConditionalCheckFailed on table bangong key CASE#1');
    });
    const failed = await call(broken, event({ claims: idToken }));
    expect([failed.status, failed.body]).toEqual([500, { error: { code: 'internal', message: expect.stringMatching(/^服务器内部错误/), field: null } }]);
  });
});
