/**
 * A presigned link that downloads an object as a named file: always a download (never a page the
 * browser would render from the bucket's address), of the type given, and kept by no browser or
 * proxy, as the API's answers (handlers/middleware.ts).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export function downloadLink(s3: S3Client, object: { bucket: string; key: string }, file: { name: string; contentType: string }, expiresIn: number): Promise<string> {
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      ResponseContentType: file.contentType,
      ResponseCacheControl: 'no-store',
    }),
    { expiresIn },
  );
}
