/** Then: what the local S3 holds, read straight from s3rver (not through the API). */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export function bucketReader(endpoint: string, bucket = 'bangong-archive') {
  const s3 = new S3Client({ endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  return {
    /** The keys under a prefix. */
    objects: async (prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key),
  };
}
