import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/http-util.ts';
import { startS3Local, type S3Local } from '../../local/s3-local.ts';

const BUCKET = 'bangong-archive';
const sha256 = (bytes: Uint8Array, encoding: 'hex' | 'base64') => createHash('sha256').update(bytes).digest(encoding);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const scan = Buffer.concat([Buffer.from('%PDF-1.7\n% 机密扫描件\n'), Buffer.alloc(100_000, 9)]);

describe('the local S3 refuses what S3 refuses: unsigned, tampered, expired and mismatched requests', () => {
  let s3: S3Local;
  let directory: string;
  let client: S3Client;
  /** A client built as functions/adapters/aws.ts builds its own, with the local credentials unless told otherwise. */
  const clientWith = (config: Partial<S3ClientConfig> = {}) =>
    new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      ...config,
    });

  /** Given: an object in the bucket, put with the SDK. */
  const givenObject = (key: string, body: Uint8Array | string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  /** Then: the object's bytes, or undefined when there is none. */
  const stored = async (key: string): Promise<Buffer | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  };
  const errorOf = async (response: Response) => {
    const body = await response.text();
    return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1], body };
  };
  const sdkError = (promise: Promise<unknown>) =>
    promise.then(
      () => ({ name: 'no error', status: 0 }),
      (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, status: error.$metadata?.httpStatusCode }),
    );

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'bangong-s3-gate-'));
    s3 = await startS3Local({ host: '127.0.0.1', port: await freePort(), directory, buckets: [BUCKET] });
    client = clientWith();
  });
  afterAll(async () => {
    await s3?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lets SDK calls signed with the local credentials put, get, head, copy, list and delete', async () => {
    const key = 'uploads/case-1/病历 (1)!.pdf';
    const put = await givenObject(key, scan);
    // s3rver's ETag is the MD5 of the body, on PUT, GET and HEAD alike.
    expect(put.ETag).toBe(`"${md5(scan)}"`);
    expect((await stored(key))?.equals(scan)).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head).toMatchObject({ ContentLength: scan.length, ETag: `"${md5(scan)}"` });
    await client.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-1/scan.pdf', CopySource: `${BUCKET}/${encodeURIComponent(key).replace(/%2F/g, '/')}` }));
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'attachments/case-1/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['attachments/case-1/scan.pdf']);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await stored(key)).toBeUndefined();
    expect((await stored('attachments/case-1/scan.pdf'))?.equals(scan)).toBe(true);
    // DeleteObjects carries the CRC32 of its body, which the gate checks.
    await givenObject('uploads/case-1/left-over', 'x');
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'uploads/case-1/left-over' }] } }));
    expect(await stored('uploads/case-1/left-over')).toBeUndefined();
  });

  it('copies only the version of the source a condition names (s3rver alone ignores x-amz-copy-source-if-match)', async () => {
    const read = await givenObject('uploads/case-14/scan', scan);
    await givenObject('uploads/case-14/scan', 'replaced after it was read');
    const copy = (ifMatch: string, to: string) =>
      client.send(new CopyObjectCommand({ Bucket: BUCKET, Key: to, CopySource: `${BUCKET}/uploads/case-14/scan`, CopySourceIfMatch: ifMatch }));
    expect(await sdkError(copy(read.ETag!, 'attachments/case-14/stale'))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await stored('attachments/case-14/stale')).toBeUndefined();
    const current = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-14/scan' }));
    await copy(current.ETag!, 'attachments/case-14/current');
    expect((await stored('attachments/case-14/current'))?.toString()).toBe('replaced after it was read');
    const ifNoneMatch = client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-14/other', CopySource: `${BUCKET}/uploads/case-14/scan`, CopySourceIfNoneMatch: current.ETag }),
    );
    expect(await sdkError(ifNoneMatch)).toEqual({ name: 'PreconditionFailed', status: 412 });
  });

  it('puts on a condition as S3 does (s3rver alone ignores If-None-Match and If-Match): create once, replace only the version read', async () => {
    const put = (body: string, condition: { IfNoneMatch?: string; IfMatch?: string }) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'trail-digests/2026/11/2026-11-23.json', Body: body, ...condition }));
    const first = await put('第一份摘要', { IfNoneMatch: '*' });
    // Both at once: exactly one lands.
    const racing = await Promise.all([put('抢先', { IfNoneMatch: '*' }), put('后到', { IfNoneMatch: '*' })].map((p) => sdkError(p)));
    expect(racing).toEqual([
      { name: 'PreconditionFailed', status: 412 },
      { name: 'PreconditionFailed', status: 412 },
    ]);
    expect((await stored('trail-digests/2026/11/2026-11-23.json'))?.toString()).toBe('第一份摘要');
    expect(await sdkError(put('改写', { IfMatch: '"0123456789abcdef0123456789abcdef"' }))).toEqual({ name: 'PreconditionFailed', status: 412 });
    await put('替换', { IfMatch: first.ETag! });
    expect((await stored('trail-digests/2026/11/2026-11-23.json'))?.toString()).toBe('替换');
    expect(await sdkError(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'search/none.json', Body: 'x', IfMatch: first.ETag! })))).toEqual({ name: 'NoSuchKey', status: 404 });
    const once = await Promise.all([1, 2, 3].map((n) => sdkError(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'archive/once.json', Body: `第${n}份`, IfNoneMatch: '*' })))));
    expect(once.filter((r) => r.status === 0)).toHaveLength(1);
  });

  it('serves a presigned download, and refuses the same link with its key edited without a byte of either object', async () => {
    await givenObject('attachments/case-2/confidential.pdf', scan);
    await givenObject('attachments/case-2/public.pdf', 'public');
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-2/public.pdf', ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent('公开.pdf')}` }),
      { expiresIn: 300 },
    );
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('公开.pdf')}`);
    expect(await ok.text()).toBe('public');

    const edited = await errorOf(await fetch(url.replace('public.pdf', 'confidential.pdf')));
    expect(edited).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(edited.body).not.toContain('%PDF');
  });

  it('signs a key as S3 does: encoded once, whether a character comes percent-encoded or not', async () => {
    await givenObject('attachments/case-3/扫描 (1).pdf', 'bytes');
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-3/扫描 (1).pdf' }), { expiresIn: 300 });
    expect(url).toContain('%281%29');
    // curl and some browsers leave parentheses as they are; the key, and so the signature, is the same.
    expect((await fetch(url.replace('%28', '(').replace('%29', ')'))).status).toBe(200);
  });

  it('refuses an edited X-Amz-Expires: within a week the signature no longer matches; beyond a week it is not a valid parameter', async () => {
    await givenObject('attachments/case-4/scan.pdf', scan);
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-4/scan.pdf' }), { expiresIn: 300 });
    expect(url).toContain('X-Amz-Expires=300&');
    expect(await errorOf(await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=604800')))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await errorOf(await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=9999999')))).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
    expect(await errorOf(await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=0')))).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
  });

  it('refuses an expired presigned URL as S3 does: AccessDenied, "Request has expired"', async () => {
    await givenObject('attachments/case-5/scan.pdf', scan);
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-5/scan.pdf' }), {
      expiresIn: 300,
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    const expired = await errorOf(await fetch(url));
    expect(expired).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired' });
    expect(expired.body).toContain('<X-Amz-Expires>300</X-Amz-Expires>');
    expect(expired.body).not.toContain('%PDF');
  });

  it('refuses unsigned requests: an object, a bucket listing, the bucket list, an upload', async () => {
    await givenObject('attachments/case-6/scan.pdf', scan);
    for (const path of [`/${BUCKET}/attachments/case-6/scan.pdf`, `/${BUCKET}?list-type=2`, `/${BUCKET}/`, '/']) {
      const refused = await errorOf(await fetch(`${s3.endpoint}${path}`));
      expect(refused, path).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(refused.body).not.toContain('%PDF');
      expect(refused.body).not.toContain('attachments/');
    }
    expect((await fetch(`${s3.endpoint}/${BUCKET}/attachments/case-6/scan.pdf`, { method: 'HEAD' })).status).toBe(403);
    const put = await fetch(`${s3.endpoint}/${BUCKET}/attachments/case-6/scan.pdf`, { method: 'PUT', body: 'overwritten' });
    expect((await errorOf(put)).code).toBe('AccessDenied');
    expect((await stored('attachments/case-6/scan.pdf'))?.equals(scan)).toBe(true);
  });

  it('refuses an upload URL aimed at another key, and one carrying an unsigned x-amz-copy-source; the other object is unchanged', async () => {
    await givenObject('attachments/case-7/b.pdf', scan);
    const body = Buffer.from('%PDF-1.7 forged');
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-7/a', ContentType: 'application/pdf', ContentLength: body.length }), {
      expiresIn: 300,
    });
    const redirected = await fetch(url.replace('uploads/case-7/a', 'attachments/case-7/b.pdf'), { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body });
    expect(await errorOf(redirected)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });

    const copying = await errorOf(
      await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-amz-copy-source': `${BUCKET}/attachments/case-7/b.pdf` }, body }),
    );
    expect(copying).toMatchObject({ status: 403, code: 'AccessDenied', message: 'There were headers present in the request which were not signed' });
    expect(copying.body).toContain('<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>');

    expect((await stored('attachments/case-7/b.pdf'))?.equals(scan)).toBe(true);
    expect(await stored('uploads/case-7/a')).toBeUndefined();
    // The URL itself still works for what it was signed for.
    expect((await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body })).status).toBe(200);
    expect((await stored('uploads/case-7/a'))?.equals(body)).toBe(true);
  });

  it('refuses a presigned upload whose body is not the length that was signed', async () => {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-8/a', ContentType: 'application/pdf', ContentLength: scan.length }), {
      expiresIn: 300,
    });
    expect(url).toContain('X-Amz-SignedHeaders=content-length%3Bhost&');
    const short = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: scan.subarray(0, 1000) });
    expect(await errorOf(short)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await stored('uploads/case-8/a')).toBeUndefined();
  });

  describe('a presigned upload that signs the SHA-256 of the file', () => {
    const presignWithChecksum = (key: string, bytes: Buffer) =>
      getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: 'application/pdf', ContentLength: bytes.length, ChecksumSHA256: sha256(bytes, 'base64') }),
        { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
      );

    it('needs Content-Length and x-amz-checksum-sha256 sent as headers (Content-Type is not signed)', async () => {
      const url = new URL(await presignWithChecksum('uploads/case-9/a', scan));
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host;x-amz-checksum-sha256');
      expect(url.searchParams.get('x-amz-checksum-sha256')).toBeNull();
      const withoutChecksum = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: scan });
      expect(await errorOf(withoutChecksum)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    });

    it('refuses other bytes with BadDigest and stores nothing', async () => {
      const url = await presignWithChecksum('uploads/case-10/a', scan);
      const tampered = Buffer.from(scan);
      tampered[5000] = 0;
      const refused = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': sha256(scan, 'base64') }, body: tampered });
      expect(await errorOf(refused)).toMatchObject({ status: 400, code: 'BadDigest' });
      expect(await sdkError(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-10/a' })))).toEqual({ name: 'NotFound', status: 404 });
    });

    it('stores the file whose bytes match', async () => {
      const url = await presignWithChecksum('uploads/case-11/a', scan);
      const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': sha256(scan, 'base64') }, body: scan });
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe(`"${md5(scan)}"`);
      expect((await stored('uploads/case-11/a'))?.equals(scan)).toBe(true);
    });
  });

  it('refuses header-signed requests with a wrong secret, an unknown key, a skewed clock, a body other than signed or a wrong checksum', async () => {
    await givenObject('attachments/case-12/scan.pdf', scan);
    const get = new GetObjectCommand({ Bucket: BUCKET, Key: 'attachments/case-12/scan.pdf' });
    expect(await sdkError(clientWith({ credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guess' }, maxAttempts: 1 }).send(get))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
    expect(await sdkError(clientWith({ credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'S3RVER' }, maxAttempts: 1 }).send(get))).toEqual({
      name: 'InvalidAccessKeyId',
      status: 403,
    });
    expect(await sdkError(clientWith({ systemClockOffset: -20 * 60_000, maxAttempts: 1 }).send(get))).toEqual({ name: 'RequestTimeTooSkewed', status: 403 });

    // The SDK signs the SHA-256 of a buffer body; bytes swapped after signing must not be stored.
    const swapping = clientWith({ maxAttempts: 1 });
    type Args = { request: { body?: unknown } };
    const swapBody = (next: (args: Args) => Promise<unknown>) => async (args: Args) => {
      if (Buffer.isBuffer(args.request.body)) args.request.body = Buffer.from(args.request.body).fill(0x41, 0, 10);
      return next(args);
    };
    swapping.middlewareStack.addRelativeTo(swapBody as unknown as Parameters<typeof swapping.middlewareStack.addRelativeTo>[0], {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'swapBodyAfterSigning',
    });
    expect(await sdkError(swapping.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-12/swapped', Body: scan })))).toEqual({
      name: 'XAmzContentSHA256Mismatch',
      status: 400,
    });
    expect(await stored('uploads/case-12/swapped')).toBeUndefined();

    const wrongChecksum = client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-12/checked', Body: scan, ChecksumSHA256: sha256(Buffer.from('other'), 'base64') }));
    expect(await sdkError(wrongChecksum)).toEqual({ name: 'BadDigest', status: 400 });
    const wrongMd5 = client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-12/checked', Body: scan, ContentMD5: createHash('md5').update('other').digest('base64') }));
    expect(await sdkError(wrongMd5)).toEqual({ name: 'BadDigest', status: 400 });
    expect(await stored('uploads/case-12/checked')).toBeUndefined();
  });

  it('answers the CORS preflight of the web form’s upload from its loopback origin alone, and adds CORS headers to answers and refusals alike', async () => {
    const origin = 'http://127.0.0.1:3000';
    const elsewhere = await fetch(`${s3.endpoint}/${BUCKET}/uploads/case-13/a`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(elsewhere.status).toBe(403);
    const preflight = await fetch(`${s3.endpoint}/${BUCKET}/uploads/case-13/a`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-checksum-sha256' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-checksum-sha256');
    const notAllowed = await fetch(`${s3.endpoint}/${BUCKET}/uploads/case-13/a`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-amz-copy-source' },
    });
    expect(notAllowed.status).toBe(403);

    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-13/a', ContentType: 'application/pdf', ContentLength: scan.length, ChecksumSHA256: sha256(scan, 'base64') }),
      { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
    );
    const put = await fetch(url, { method: 'PUT', headers: { origin, 'content-type': 'application/pdf', 'x-amz-checksum-sha256': sha256(scan, 'base64') }, body: scan });
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe(origin);
    expect(put.headers.get('access-control-expose-headers')).toBe('ETag');

    const refused = await fetch(`${s3.endpoint}/${BUCKET}/uploads/case-13/a`, { headers: { origin } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('leaves a folder in place when its last object is deleted, so a put landing beside it never finds it gone', async () => {
    // s3rver removed a folder a delete left empty, which a put had just made for its own file: the
    // put's file then opened in no folder, and the error was thrown out of the process (seen once
    // in the upload race). The folder stays; listings still show only objects.
    await givenObject('uploads/case-race/first', 'a');
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-race/first' }));
    expect(existsSync(join(directory, BUCKET, 'uploads', 'case-race'))).toBe(true);
    expect(await stored('uploads/case-race/first')).toBeUndefined();
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/case-race', Delimiter: '/' }));
    expect([...(listed.Contents ?? []), ...(listed.CommonPrefixes ?? [])]).toEqual([]);
  });
});
