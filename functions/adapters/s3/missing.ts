/** Whether an S3 read failed because the object is not there (NoSuchKey, or a bare 404 from s3rver). */
import { NoSuchKey } from '@aws-sdk/client-s3';

export function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
}
