/**
 * The errors the local S3 gate answers with, in S3's own shape: the status S3 uses for the code and
 * the XML body (`<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`) that
 * the SDK parses into a named exception and a browser shows as is.
 */
import { randomBytes } from 'node:crypto';

/** The status S3 answers each code with (docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  EntityTooLarge: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidDigest: 400,
  InvalidRequest: 400,
  InvalidURI: 400,
  MissingContentLength: 411,
  NoSuchKey: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
};

export class S3Error extends Error {
  readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    /** Extra elements S3 puts in the body for this code (`HeadersNotSigned`, `ServerTime`, …), in order. */
    readonly detail: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = STATUS[code] ?? 400;
  }

  /** The status, headers and XML body of the answer (node sends no body to a HEAD request, nor does S3). */
  toResponse(): { status: number; headers: Record<string, string>; body: string } {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const hostId = randomBytes(48).toString('base64');
    const fields = { Code: this.code, Message: this.message, ...this.detail, RequestId: requestId, HostId: hostId };
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries(fields)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('')}</Error>`;
    return {
      status: this.status,
      headers: { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)), 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
      body,
    };
  }
}

/** No signature at all: S3 answers anonymous requests to a private bucket this way. */
export const accessDenied = () => new S3Error('AccessDenied', 'Access Denied');

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
