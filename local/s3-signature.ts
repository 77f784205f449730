/**
 * Checks an S3 request's Signature Version 4 as S3 does: in the Authorization header (SDK calls)
 * or in the query string (presigned URLs). The signature is recomputed with the SDK's own signer
 * (`@smithy/signature-v4`) from the request as received — its method, path, query, the headers it
 * names as signed and its credential scope — and compared in constant time. Anything else is
 * refused with the error S3 gives (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html,
 * …/sigv4-query-string-auth.html).
 */
import { createHash, createHmac, timingSafeEqual, type BinaryLike, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import { S3Error, accessDenied } from './s3-error.ts';

/** The SHA-256 the signer needs (a hash, or an HMAC when given a key), on node's crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): BinaryLike {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** The SDK's signer, used only to rebuild the canonical request and sign it with the scope the client claimed. */
class Verifier extends SignatureV4 {
  constructor(accessKeyId: string, secretAccessKey: string) {
    // The path is S3's canonical one (canonicalPath below), taken as is: S3 encodes a key once and normalises no dot segments.
    super({ credentials: { accessKeyId, secretAccessKey }, region: 'us-east-1', service: 's3', sha256: NodeSha256, uriEscapePath: false });
  }

  async signatureOf(request: SignableRequest, signedHeaders: readonly string[], payloadHash: string, longDate: string, scope: Scope) {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(longDate, scope.text, canonicalRequest, ALGORITHM);
    const signature = await this.sign(stringToSign, { signingDate: parseLongDate(longDate)!, signingRegion: scope.region, signingService: scope.service });
    return { canonicalRequest, stringToSign, signature };
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3's limits: a presigned URL lives at most a week; a header-signed request is refused 15 minutes away from now. */
const MAX_EXPIRES_SECONDS = 604_800;
const MAX_SKEW_MS = 15 * 60_000;
const QUERY_AUTH_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'] as const;

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A request as it arrived: the header values of a repeated header joined by commas, names lower-case. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target exactly as sent (path and query, percent-encoding untouched). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Authenticated {
  readonly accessKeyId: string;
  /** What the body was signed as: a hex SHA-256 it must match, or UNSIGNED-PAYLOAD. */
  readonly payloadHash: string;
  readonly signedHeaders: readonly string[];
}

interface Scope {
  readonly text: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** Access key → secret. Locally one pair, S3RVER/S3RVER (s3rver's own, set by local/system.ts for the handlers). */
export type Credentials = ReadonlyMap<string, string>;

/**
 * Who signed this request, or the S3Error S3 would answer. `now` is wall-clock time: the SDK signs
 * with Date.now(), whatever clock the application runs on.
 */
export async function authenticate(request: ReceivedRequest, credentials: Credentials, now: Date): Promise<Authenticated> {
  const { path, query } = splitTarget(request.url);
  const has = (name: string) => query.some(([key]) => key === name);
  const byHeader = request.headers.authorization !== undefined;
  const byQueryV4 = has('X-Amz-Algorithm') || has('X-Amz-Credential') || has('X-Amz-Signature');
  const byQueryV2 = has('Signature') || has('AWSAccessKeyId');
  if ([byHeader, byQueryV4, byQueryV2].filter(Boolean).length > 1) {
    throw new S3Error(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      { ArgumentName: 'Authorization', ArgumentValue: request.headers.authorization ?? '' },
    );
  }
  if (byQueryV2 || (byHeader && /^AWS /.test(request.headers.authorization!))) {
    throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  }
  if (!byHeader && !byQueryV4) throw accessDenied();
  const parsed = byHeader ? parseHeaderAuth(request, now) : parseQueryAuth(query, now);

  const secret = credentials.get(parsed.accessKeyId);
  if (secret === undefined) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: parsed.accessKeyId });
  }
  parsed.checkTime();

  // Every x-amz-* header sent must be signed (and so must host): otherwise a presigned PUT could
  // carry an x-amz-copy-source of the sender's choosing.
  const unsigned = Object.keys(request.headers).filter((name) => name.startsWith('x-amz-') && !parsed.signedHeaders.includes(name));
  if (!parsed.signedHeaders.includes('host')) unsigned.unshift('host');
  if (unsigned.length) {
    throw new S3Error('AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
  }

  const signable: SignableRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: request.headers.host ?? '',
    path: canonicalPath(path),
    query: queryObject(query),
    // A signed header that was not sent is signed as empty; the signature then tells.
    headers: Object.fromEntries(parsed.signedHeaders.map((name) => [name, request.headers[name] ?? ''])),
  };
  const expected = await new Verifier(parsed.accessKeyId, secret).signatureOf(signable, parsed.signedHeaders, parsed.payloadHash, parsed.longDate, parsed.scope);
  if (!sameSignature(expected.signature, parsed.signature)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: parsed.accessKeyId,
      StringToSign: expected.stringToSign,
      SignatureProvided: parsed.signature,
      StringToSignBytes: hexBytes(expected.stringToSign),
      CanonicalRequest: expected.canonicalRequest,
      CanonicalRequestBytes: hexBytes(expected.canonicalRequest),
    });
  }
  return { accessKeyId: parsed.accessKeyId, payloadHash: parsed.payloadHash, signedHeaders: parsed.signedHeaders };
}

interface ParsedAuth {
  readonly accessKeyId: string;
  readonly scope: Scope;
  readonly longDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly payloadHash: string;
  /** Refuses a request outside its validity window; run once the access key is known, as S3 does. */
  checkTime(): void;
}

function parseHeaderAuth(request: ReceivedRequest, now: Date): ParsedAuth {
  const authorization = request.headers.authorization!;
  const malformed = (why: string) => new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${why}`);
  const [algorithm, ...rest] = authorization.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    throw new S3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: authorization });
  }
  const components = new Map(
    rest
      .join('')
      .split(',')
      .filter(Boolean)
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const),
  );
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!components.get(name)) throw malformed(`missing ${name}.`);
  }
  if (components.size !== 3) throw malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  const { accessKeyId, scope } = parseCredential(components.get('Credential')!, (why) => malformed(why));

  const longDate = request.headers['x-amz-date'];
  const requestTime = longDate === undefined ? undefined : parseLongDate(longDate);
  if (longDate === undefined || requestTime === undefined) {
    // S3 also takes an RFC 1123 Date header; every AWS SDK and curl --aws-sigv4 send x-amz-date.
    throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  }
  if (scope.date !== longDate.slice(0, 8)) throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');

  const payloadHash = request.headers['x-amz-content-sha256'];
  if (payloadHash === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  checkPayloadHash(payloadHash, 'x-amz-content-sha256');

  return {
    accessKeyId,
    scope,
    longDate,
    signedHeaders: components.get('SignedHeaders')!.split(';'),
    signature: components.get('Signature')!,
    payloadHash,
    checkTime() {
      if (Math.abs(now.getTime() - requestTime.getTime()) > MAX_SKEW_MS) {
        throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
          RequestTime: longDate,
          ServerTime: isoSeconds(now),
          MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
        });
      }
    },
  };
}

function parseQueryAuth(query: readonly (readonly [string, string])[], now: Date): ParsedAuth {
  const param = (name: string) => query.find(([key]) => key === name)?.[1];
  const invalid = (message: string) => new S3Error('AuthorizationQueryParametersError', message);
  if (QUERY_AUTH_PARAMS.some((name) => param(name) === undefined)) {
    throw invalid(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (param('X-Amz-Algorithm') !== ALGORITHM) throw invalid('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const { accessKeyId, scope } = parseCredential(param('X-Amz-Credential')!, (why) => invalid(`Error parsing the X-Amz-Credential parameter; ${why}`));

  const longDate = param('X-Amz-Date')!;
  const signedAt = parseLongDate(longDate);
  if (!signedAt) throw invalid('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const expiresText = param('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresText)) throw invalid('X-Amz-Expires should be a number');
  const expires = Number(expiresText);
  if (expires < 0) throw invalid('X-Amz-Expires must be non-negative');
  if (expires > MAX_EXPIRES_SECONDS) throw invalid('X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds');
  if (expires === 0) throw invalid('X-Amz-Expires must be at least 1 second');
  if (scope.date !== longDate.slice(0, 8)) throw invalid('Invalid date (should be the same as X-Amz-Date). The credential scope date must match X-Amz-Date.');

  // The SDK's presigner puts the payload hash in the query (always UNSIGNED-PAYLOAD from it).
  const payloadHash = param('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  checkPayloadHash(payloadHash, 'X-Amz-Content-Sha256');

  return {
    accessKeyId,
    scope,
    longDate,
    signedHeaders: param('X-Amz-SignedHeaders')!.split(';'),
    signature: param('X-Amz-Signature')!,
    payloadHash,
    checkTime() {
      const expiresAt = new Date(signedAt.getTime() + expires * 1000);
      if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not valid yet');
      if (now.getTime() > expiresAt.getTime()) {
        throw new S3Error('AccessDenied', 'Request has expired', { 'X-Amz-Expires': expiresText, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) });
      }
    },
  };
}

function parseCredential(credential: string, malformed: (why: string) => S3Error): { accessKeyId: string; scope: Scope } {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !/^\d{8}$/.test(date) || !region || !service || !terminator) {
    throw malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (service !== 's3') throw malformed(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (terminator !== 'aws4_request') throw malformed(`incorrect terminal "${terminator}". This endpoint uses "aws4_request".`);
  return { accessKeyId, scope: { text: parts.slice(1).join('/'), date, region, service } };
}

/** UNSIGNED-PAYLOAD or a hex SHA-256. Streaming (aws-chunked) bodies are not accepted: s3rver would store their chunk framing. */
function checkPayloadHash(value: string, name: string): void {
  if (value === UNSIGNED_PAYLOAD || /^[0-9a-f]{64}$/.test(value)) return;
  if (value.startsWith('STREAMING-')) {
    throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: name });
  }
  throw new S3Error('InvalidArgument', `${name} must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.`, {
    ArgumentName: name,
    ArgumentValue: value,
  });
}

/** Path and decoded query pairs; the path keeps its encoding. */
export function splitTarget(url: string): { path: string; query: (readonly [string, string])[] } {
  // An absolute-form target (a proxy-style request line) signs only its path and query.
  const target = /^https?:\/\//i.test(url) ? url.replace(/^https?:\/\/[^/?]*/i, '') || '/' : url;
  const at = target.indexOf('?');
  const path = at === -1 ? target : target.slice(0, at);
  const search = at === -1 ? '' : target.slice(at + 1);
  const query = search
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return [decode(eq === -1 ? pair : pair.slice(0, eq)), eq === -1 ? '' : decode(pair.slice(eq + 1))] as const;
    });
  return { path, query };
}

function queryObject(query: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of query) {
    const seen = object[key];
    object[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return object;
}

/**
 * S3's canonical URI: each segment of the path URI-encoded once (RFC 3986 unreserved characters
 * kept). Decoding first makes `(` and `%28` sign the same, as both name the same key; the SDK
 * sends its keys already in this form, so for SDK requests and presigned URLs this is the path as sent.
 */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(decode(segment)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", { URI: text });
  }
}

/** yyyyMMddTHHmmssZ → Date, or undefined when it is not one. */
function parseLongDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
