/**
 * A request body is checked before anything is stored, as S3 does: it is written to a spool file
 * while it is hashed (a 200 MB scan never sits in memory), compared with what the request declared
 * (the signed x-amz-content-sha256, an x-amz-checksum-*, Content-MD5, the signed Content-Length),
 * and only then handed on. A body that does not match is refused and its file removed.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { S3Error } from './s3-error.ts';
import { UNSIGNED_PAYLOAD, type Authenticated } from './s3-signature.ts';

/** S3's limit for one PUT. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

/** What the request says its body is: read (and refused if malformed) before the body, checked after its last byte. */
export interface BodyClaims {
  /** Hex SHA-256 the signature covers (x-amz-content-sha256), unless UNSIGNED-PAYLOAD. */
  readonly sha256Hex?: string;
  /** x-amz-checksum-<algorithm> (base64), header or presigned query parameter. */
  readonly checksum?: { readonly algorithm: 'sha256' | 'sha1' | 'crc32'; readonly base64: string };
  /** Content-MD5 (base64). */
  readonly md5?: string;
  /** Content-Length when it is signed: what arrives must be exactly this. */
  readonly signedLength?: number;
}

const CHECKSUM_BYTES = { sha256: 32, sha1: 20, crc32: 4 } as const;
/** Algorithms S3 accepts that node cannot compute natively; refused rather than stored unchecked. */
const UNCHECKED_ALGORITHMS = ['crc32c', 'crc64nvme'];

/**
 * Reads the claims of a request from its headers, and from `amz` — the headers with the x-amz-*
 * query parameters of a presigned URL over them, as s3rver reads them — refusing malformed ones as S3 does.
 */
export function bodyClaims(
  method: string,
  headers: Readonly<Record<string, string>>,
  amz: Readonly<Record<string, string>>,
  auth: Authenticated,
): BodyClaims {
  const declared = headers['content-length'];
  if (method === 'PUT' && declared === undefined) {
    throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  if (declared !== undefined && Number(declared) > MAX_SINGLE_PUT) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: declared, MaxSizeAllowed: String(MAX_SINGLE_PUT) });
  }

  const claims: BodyClaims = {
    sha256Hex: auth.payloadHash === UNSIGNED_PAYLOAD ? undefined : auth.payloadHash,
    signedLength: auth.signedHeaders.includes('content-length') && declared !== undefined ? Number(declared) : undefined,
  };
  // Only an upload's body is declared by checksums (a GET's x-amz-checksum-mode asks for them back).
  if (method !== 'PUT' && method !== 'POST') return claims;

  const checksums = new Map<string, string>();
  for (const source of [headers, amz]) {
    for (const [name, value] of Object.entries(source)) {
      const m = /^x-amz-checksum-([a-z0-9]+)$/.exec(name);
      if (!m || m[1] === 'mode' || m[1] === 'type' || m[1] === 'algorithm') continue;
      if (checksums.has(m[1]!) && checksums.get(m[1]!) !== value) {
        throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${m[1]} header is invalid.`);
      }
      checksums.set(m[1]!, value);
    }
  }
  if (checksums.size > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  let checksum: BodyClaims['checksum'];
  for (const [algorithm, value] of checksums) {
    if (UNCHECKED_ALGORITHMS.includes(algorithm)) {
      throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: `x-amz-checksum-${algorithm}` });
    }
    if (!(algorithm in CHECKSUM_BYTES)) throw new S3Error('InvalidRequest', `The x-amz-checksum-${algorithm} header is not supported.`);
    const size = CHECKSUM_BYTES[algorithm as keyof typeof CHECKSUM_BYTES];
    if (!isBase64Of(value, size)) throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${algorithm} header is invalid.`);
    checksum = { algorithm: algorithm as keyof typeof CHECKSUM_BYTES, base64: value };
  }

  const md5 = headers['content-md5'];
  if (md5 !== undefined && !isBase64Of(md5, 16)) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': md5 });

  return { ...claims, checksum, md5 };
}

/** The digests a body's claims need, computed as its bytes go by. */
export class BodyDigest {
  size = 0;
  private readonly sha256?: Hash;
  private readonly sha1?: Hash;
  private readonly md5?: Hash;
  private crc: number | undefined;

  constructor(private readonly claims: BodyClaims) {
    if (claims.sha256Hex !== undefined || claims.checksum?.algorithm === 'sha256') this.sha256 = createHash('sha256');
    if (claims.checksum?.algorithm === 'sha1') this.sha1 = createHash('sha1');
    if (claims.md5 !== undefined) this.md5 = createHash('md5');
    if (claims.checksum?.algorithm === 'crc32') this.crc = 0;
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.sha256?.update(chunk);
    this.sha1?.update(chunk);
    this.md5?.update(chunk);
    if (this.crc !== undefined) this.crc = crc32(chunk, this.crc);
  }

  /** Throws the S3Error for the first claim the body does not meet; call once, after the last byte. */
  check(): void {
    const { claims, size } = this;
    if (claims.signedLength !== undefined && claims.signedLength !== size) {
      throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', {
        NumberBytesExpected: String(claims.signedLength),
        NumberBytesProvided: String(size),
      });
    }
    const sha256 = this.sha256?.digest();
    if (claims.sha256Hex !== undefined && claims.sha256Hex !== sha256?.toString('hex')) {
      throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: claims.sha256Hex,
        S3ComputedContentSHA256: sha256?.toString('hex') ?? '',
      });
    }
    const md5 = this.md5?.digest('base64');
    if (claims.md5 !== undefined && claims.md5 !== md5) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: claims.md5, CalculatedDigest: md5 ?? '' });
    }
    if (claims.checksum) {
      const computed = { sha256, sha1: this.sha1?.digest(), crc32: this.crc === undefined ? undefined : crcBytes(this.crc) }[claims.checksum.algorithm];
      if (claims.checksum.base64 !== computed?.toString('base64')) {
        throw new S3Error('BadDigest', `The ${claims.checksum.algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
  }
}

/** Writes the body to `file` (created afresh, owner-only) while digesting it; the file is removed if the body does not arrive whole. */
export async function spoolBody(request: IncomingMessage, file: string, digest: BodyDigest): Promise<void> {
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(request, measure, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

function crcBytes(crc: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc >>> 0);
  return bytes;
}

function isBase64Of(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes && Buffer.from(value, 'base64').toString('base64') === value;
}
