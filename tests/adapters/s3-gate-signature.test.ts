import { describe, expect, it } from 'vitest';
import { S3Error } from '../../local/s3-error.ts';
import { authenticate, type ReceivedRequest } from '../../local/s3-signature.ts';

/** The worked examples of AWS's Signature V4 pages for S3 (sig-v4-header-based-auth, sigv4-query-string-auth). */
const AWS_EXAMPLE = new Map([['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']]);
const SIGNED_AT = new Date('2013-05-24T00:00:00Z');
const HOST = 'examplebucket.s3.amazonaws.com';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const header = (signedHeaders: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`;

const getObject: ReceivedRequest = {
  method: 'GET',
  url: '/test.txt',
  headers: {
    host: HOST,
    range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY,
    'x-amz-date': '20130524T000000Z',
    authorization: header('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
  },
};
const presigned = (query: string): ReceivedRequest => ({ method: 'GET', url: `/test.txt?${query}`, headers: { host: HOST } });
const PRESIGNED_QUERY =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z' +
  '&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

/** The S3Error a request is refused with (code and status), or 'accepted'. */
const outcome = (request: ReceivedRequest, now = SIGNED_AT) =>
  authenticate(request, AWS_EXAMPLE, now).then(
    () => 'accepted',
    (error: unknown) => {
      if (!(error instanceof S3Error)) throw error;
      return `${error.status} ${error.code}${error.code === 'AccessDenied' ? `: ${error.message}` : ''}`;
    },
  );

describe('Signature V4 as S3 checks it, on AWS’s own worked examples', () => {
  it('accepts the header-signed GET, PUT (with a $ in the key, sent encoded or not) and bucket listing', async () => {
    expect(await outcome(getObject)).toBe('accepted');
    const put = (url: string): ReceivedRequest => ({
      method: 'PUT',
      url,
      headers: {
        host: HOST,
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        authorization: header('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
      },
    });
    expect(await outcome(put('/test%24file.text'))).toBe('accepted');
    expect(await outcome(put('/test$file.text'))).toBe('accepted');
    expect(await outcome(put('/test$file.txt'))).toBe('403 SignatureDoesNotMatch');
    const list: ReceivedRequest = {
      method: 'GET',
      url: '/?max-keys=2&prefix=J',
      headers: {
        host: HOST,
        'x-amz-content-sha256': EMPTY,
        'x-amz-date': '20130524T000000Z',
        authorization: header('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
      },
    };
    expect(await outcome(list)).toBe('accepted');
    expect(await outcome({ ...list, url: '/?max-keys=1000&prefix=J' })).toBe('403 SignatureDoesNotMatch');
  });

  it('refuses the header-signed GET with any signed part changed, or 15 minutes away from its time', async () => {
    expect(await outcome({ ...getObject, url: '/test.txt2' })).toBe('403 SignatureDoesNotMatch');
    expect(await outcome({ ...getObject, method: 'DELETE' })).toBe('403 SignatureDoesNotMatch');
    expect(await outcome({ ...getObject, headers: { ...getObject.headers, range: 'bytes=0-99' } })).toBe('403 SignatureDoesNotMatch');
    expect(await outcome({ ...getObject, headers: { ...getObject.headers, host: 'otherbucket.s3.amazonaws.com' } })).toBe('403 SignatureDoesNotMatch');
    expect(await outcome(getObject, new Date(SIGNED_AT.getTime() + 14 * 60_000))).toBe('accepted');
    expect(await outcome(getObject, new Date(SIGNED_AT.getTime() + 16 * 60_000))).toBe('403 RequestTimeTooSkewed');
    expect(await outcome(getObject, new Date(SIGNED_AT.getTime() - 16 * 60_000))).toBe('403 RequestTimeTooSkewed');
  });

  it('refuses x-amz-* headers that were not signed, an unknown key, a scope for another service or day, and a missing payload hash', async () => {
    expect(await outcome({ ...getObject, headers: { ...getObject.headers, 'x-amz-copy-source': 'examplebucket/secret' } })).toBe(
      '403 AccessDenied: There were headers present in the request which were not signed',
    );
    const withAuthorization = (authorization: string) => ({ ...getObject, headers: { ...getObject.headers, authorization } });
    expect(await outcome(withAuthorization(getObject.headers.authorization!.replace('AKIAIOSFODNN7EXAMPLE', 'AKIAOTHER')))).toBe('403 InvalidAccessKeyId');
    expect(await outcome(withAuthorization(getObject.headers.authorization!.replace('/s3/', '/iam/')))).toBe('400 AuthorizationHeaderMalformed');
    expect(await outcome(withAuthorization(getObject.headers.authorization!.replace('20130524/', '20130525/')))).toBe('400 AuthorizationHeaderMalformed');
    expect(await outcome(withAuthorization('AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg='))).toBe('400 InvalidRequest');
    expect(await outcome(withAuthorization('Bearer token'))).toBe('400 InvalidArgument');
    const { 'x-amz-content-sha256': _, ...withoutHash } = getObject.headers;
    expect(await outcome({ ...getObject, headers: withoutHash })).toBe('400 InvalidRequest');
    const streaming = { ...getObject, headers: { ...getObject.headers, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } };
    expect(await outcome(streaming)).toBe('501 NotImplemented');
  });

  it('accepts the presigned GET within its day, and refuses it before, after, or with any parameter changed', async () => {
    expect(await outcome(presigned(PRESIGNED_QUERY), new Date(SIGNED_AT.getTime() + 3_600_000))).toBe('accepted');
    expect(await outcome(presigned(PRESIGNED_QUERY), new Date(SIGNED_AT.getTime() + 86_401_000))).toBe('403 AccessDenied: Request has expired');
    expect(await outcome(presigned(PRESIGNED_QUERY), new Date(SIGNED_AT.getTime() - 16 * 60_000))).toBe('403 AccessDenied: Request is not valid yet');
    expect(await outcome(presigned(PRESIGNED_QUERY.replace('X-Amz-Expires=86400', 'X-Amz-Expires=86401')))).toBe('403 SignatureDoesNotMatch');
    expect(await outcome(presigned(PRESIGNED_QUERY.replace('X-Amz-Expires=86400', 'X-Amz-Expires=604801')))).toBe('400 AuthorizationQueryParametersError');
    expect(await outcome(presigned(`${PRESIGNED_QUERY}&x-id=PutObject`))).toBe('403 SignatureDoesNotMatch');
    expect(await outcome({ ...presigned(PRESIGNED_QUERY), method: 'PUT' })).toBe('403 SignatureDoesNotMatch');
    expect(await outcome(presigned(PRESIGNED_QUERY.replace(/&X-Amz-Date=[^&]*/, '')))).toBe('400 AuthorizationQueryParametersError');
    expect(await outcome({ ...presigned(PRESIGNED_QUERY), headers: { host: HOST, authorization: getObject.headers.authorization! } })).toBe('400 InvalidArgument');
  });

  it('refuses a request with no signature as an anonymous one: AccessDenied', async () => {
    expect(await outcome({ method: 'GET', url: '/test.txt', headers: { host: HOST } })).toBe('403 AccessDenied: Access Denied');
    expect(await outcome({ method: 'GET', url: '/?list-type=2', headers: { host: HOST } })).toBe('403 AccessDenied: Access Denied');
  });
});
