/**
 * CopyObject's source preconditions (x-amz-copy-source-if-match and its three siblings), which
 * s3rver ignores: it copies whatever the source holds. The gate reads the source's ETag and date
 * from s3rver and refuses as S3 does (412 PreconditionFailed) — holding the source's key lock so no
 * write through the gate can slip between that read and the copy (docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
 */
import { S3Error } from './s3-error.ts';

export const COPY_CONDITIONS = [
  'x-amz-copy-source-if-match',
  'x-amz-copy-source-if-none-match',
  'x-amz-copy-source-if-unmodified-since',
  'x-amz-copy-source-if-modified-since',
] as const;

export interface CopySource {
  /** `bucket/key`, decoded: the name the gate locks. */
  readonly name: string;
  /** The source as a path s3rver reads (`/bucket/key`, encoding kept, no versionId). */
  readonly path: string;
}

/** The source of a CopyObject (the x-amz-copy-source header, `bucket/key[?versionId=…]`, URL-encoded), if this is one. */
export function copySourceOf(amz: Readonly<Record<string, string>>): CopySource | undefined {
  const raw = amz['x-amz-copy-source'];
  if (raw === undefined) return undefined;
  const path = `/${raw.replace(/^\//, '').split('?')[0]}`;
  try {
    return { name: decodeURIComponent(path.slice(1)), path };
  } catch {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  }
}

export function hasCopyConditions(amz: Readonly<Record<string, string>>): boolean {
  return COPY_CONDITIONS.some((name) => amz[name] !== undefined);
}

/** Refuses the copy when the source (its ETag and Last-Modified, or undefined when it does not exist) fails a condition. */
export function checkCopyConditions(amz: Readonly<Record<string, string>>, source: { etag: string; lastModified: Date } | undefined): void {
  // A missing source is s3rver's to answer (NoSuchKey), as S3 answers it.
  if (!source) return;
  const failed = (header: (typeof COPY_CONDITIONS)[number]) =>
    new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: header });
  const ifMatch = amz['x-amz-copy-source-if-match'];
  const ifNoneMatch = amz['x-amz-copy-source-if-none-match'];
  const ifUnmodifiedSince = parseDate(amz['x-amz-copy-source-if-unmodified-since']);
  const ifModifiedSince = parseDate(amz['x-amz-copy-source-if-modified-since']);
  const modified = Math.floor(source.lastModified.getTime() / 1000) * 1000;

  if (ifMatch !== undefined && !etagIn(ifMatch, source.etag)) throw failed('x-amz-copy-source-if-match');
  // S3: a matching If-Match wins over a failing If-Unmodified-Since.
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) throw failed('x-amz-copy-source-if-unmodified-since');
  if (ifNoneMatch !== undefined && etagIn(ifNoneMatch, source.etag)) throw failed('x-amz-copy-source-if-none-match');
  // As in HTTP, If-Modified-Since counts only without If-None-Match.
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && modified <= ifModifiedSince) throw failed('x-amz-copy-source-if-modified-since');
}

/**
 * A conditional PutObject (If-None-Match: * to create only; If-Match: an ETag to replace only that
 * version), refused as S3 refuses it: 412 when the condition fails, NoSuchKey for If-Match on
 * nothing. s3rver ignores these headers; the gate checks them under the object's write lock.
 */
export function checkPutConditions(headers: Readonly<Record<string, string | string[] | undefined>>, existing: { etag: string } | undefined): void {
  const ifNoneMatch = headers['if-none-match'];
  const ifMatch = headers['if-match'];
  const failed = (header: string) => new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: header });
  if (typeof ifNoneMatch === 'string' && existing && etagIn(ifNoneMatch, existing.etag)) throw failed('If-None-Match');
  if (typeof ifMatch === 'string') {
    if (!existing) throw new S3Error('NoSuchKey', 'The specified key does not exist.');
    if (!etagIn(ifMatch, existing.etag)) throw failed('If-Match');
  }
}

export function hasPutConditions(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return typeof headers['if-none-match'] === 'string' || typeof headers['if-match'] === 'string';
}

/** A list of ETags (quoted or not) or `*`, as the conditional headers carry them. */
function etagIn(list: string, etag: string): boolean {
  const bare = (value: string) => value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return list.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === bare(etag));
}

/** An HTTP date; an invalid one is ignored, as S3 ignores it. */
function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
