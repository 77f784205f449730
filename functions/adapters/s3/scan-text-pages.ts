/** The text read from a scan, kept beside it in S3 (archive.ts: textKeyOf), so destroying the scan destroys it too. */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ScanTextStore } from '../../domain/ports.ts';
import { textKeyOf } from '../../domain/archive/archive.ts';
import { isMissing } from './missing.ts';

export class S3ScanTextPages implements Pick<ScanTextStore, 'pages' | 'keepPages'> {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async pages(fileKey: string): Promise<string[] | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: textKeyOf(fileKey) }));
      const stored = JSON.parse(await object.Body!.transformToString('utf8')) as { pages?: unknown };
      return Array.isArray(stored.pages) ? stored.pages.map(String) : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async keepPages(fileKey: string, pages: readonly string[]): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: textKeyOf(fileKey), Body: JSON.stringify({ pages }), ContentType: 'application/json; charset=utf-8' }),
    );
  }
}
