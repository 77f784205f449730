/**
 * 可用性 (usability) of one stored file, as DA/T 70-2018 checks it before a record is filed: the
 * file is what it says it is, opens as that type, is not encrypted, and uses no non-public
 * compression. Nothing is rendered: PDFs are parsed page by page, images decoded, OFD packages
 * read from their central directory and the two XML files that say where the pages are.
 *
 * Whatever the bytes, the answer is a `FileProbe`: it throws only when a decoder package is
 * missing from the deployment. pdfjs-dist must be installed beside a Lambda bundle, as for
 * extract-text.ts; pngjs, jpeg-js, utif2 and fflate bundle.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'fflate';
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { sniff } from '../../domain/archive/file-types.ts';
import { tiffDirectories, type Ifd } from './tiff.ts';
import { loadPdfjs } from './pdfjs.ts';

export type ProbedType = 'pdf' | 'ofd' | 'png' | 'jpeg' | 'tiff' | 'unknown';
type KnownType = Exclude<ProbedType, 'unknown'>;

/**
 * Why a file is not usable. `type-mismatch`: the bytes are another type than the one declared
 * (an image uploaded as `application/pdf`).
 */
export type ProbeFailure = 'corrupt' | 'encrypted' | 'unsupported' | 'proprietary-compression' | 'empty' | 'type-mismatch';

export interface FileProbe {
  readonly type: ProbedType;
  /** The file opens as its type (PDF parses, image decodes, OFD is a valid package). */
  readonly opens: boolean;
  /** Pages (PDF page count, TIFF page count, 1 for PNG/JPEG, OFD: number of Page entries in the first document's Document.xml if found). */
  readonly pages?: number;
  readonly encrypted: boolean;
  /** Why it fails, Chinese first then English, e.g. '文件已加密。The file is encrypted.' */
  readonly reason?: string;
  /** Stable machine code for a failure. */
  readonly code?: ProbeFailure;
}

/** Larger images are not decoded (that would take gigabytes); an A1 drawing scanned at 300 dpi is 87 million pixels. */
const MAX_DECODE_PIXELS = 100_000_000;
/**
 * PDF pages past this many are counted but not opened one by one: a page tree can list one page
 * object a million times, and no record of an office has this many pages.
 */
const MAX_CHECKED_PDF_PAGES = 10_000;
/** OFD.xml and Document.xml larger than this are not inflated (Document.xml lists about 60 bytes a page). */
const MAX_OFD_XML_BYTES = 32 * 1024 * 1024;
/** A ZIP with more entries than this is not an OFD a person made (a 200 MB package has a few thousand). */
const MAX_ZIP_ENTRIES = 200_000;

const TYPE_OF_MIME: Readonly<Record<string, KnownType>> = {
  'application/pdf': 'pdf',
  'application/ofd': 'ofd',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/tiff': 'tiff',
};
const MIME_ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'image/tif': 'image/tiff' };
/** Declared types that say nothing about the content: the signature alone decides. */
const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const TYPE_NAME: Readonly<Record<ProbedType, string>> = { pdf: 'PDF', ofd: 'OFD', png: 'PNG', jpeg: 'JPEG', tiff: 'TIFF', unknown: '' };

/** Checks whether `bytes` open as `declaredType` (a MIME type; empty or octet-stream: whatever the bytes are). */
export async function probeFile(bytes: Uint8Array, declaredType: string): Promise<FileProbe> {
  if (bytes.length === 0) return failed('unknown', new Unusable('empty', '文件为空。', 'The file is empty.'));
  const mime = sniff(bytes.subarray(0, 16));
  const type = mime ? TYPE_OF_MIME[mime] : undefined;
  if (!type) {
    return failed('unknown', new Unusable('unsupported', '无法识别文件格式，只接受 PDF、OFD、PNG、JPEG 和 TIFF。', 'The file format is not recognised; only PDF, OFD, PNG, JPEG and TIFF are accepted.'));
  }
  const declared = declaredMime(declaredType);
  if (declared !== undefined && declared !== mime) {
    return failed(
      type,
      new Unusable('type-mismatch', `文件内容是 ${TYPE_NAME[type]}，与声明的类型（${declared}）不符。`, `The file is a ${TYPE_NAME[type]}, not the declared ${declared}.`),
    );
  }
  try {
    const pages = await PROBES[type](bytes);
    return { type, opens: true, pages, encrypted: false };
  } catch (error) {
    if (error instanceof Unusable) return failed(type, error);
    // A decoder missing from the deployment is a fault of ours, not of the file.
    if (/MODULE_NOT_FOUND/.test(String((error as { code?: unknown }).code))) throw error;
    // A decoder's own error on damaged input (a RangeError past the end of a buffer, a bad marker).
    return failed(type, damaged(type));
  }
}

function declaredMime(declaredType: string): string | undefined {
  const mime = declaredType.split(';')[0]!.trim().toLowerCase();
  return UNDECLARED.has(mime) ? undefined : (MIME_ALIASES[mime] ?? mime);
}

/** A reason the file is not usable, raised inside a probe and turned into the probe's answer. */
class Unusable extends Error {
  override name = 'Unusable';
  constructor(
    readonly code: ProbeFailure,
    readonly zh: string,
    readonly en: string,
    /** Pages, when known before the failure (an encrypted PDF that still opens). */
    readonly pages?: number,
  ) {
    super(en);
  }
}

function failed(type: ProbedType, { code, zh, en, pages }: Unusable): FileProbe {
  return { type, opens: false, ...(pages === undefined ? {} : { pages }), encrypted: code === 'encrypted', reason: `${zh}${en}`, code };
}

function damaged(type: ProbedType, detailZh = '', detailEn = ''): Unusable {
  const name = TYPE_NAME[type];
  return new Unusable('corrupt', `${name} 文件已损坏，无法打开${detailZh}。`, `The ${name} file is damaged and cannot be opened${detailEn}.`);
}

/** Each opens the file as its type and gives its pages, or throws `Unusable` (or a decoder's own error). */
const PROBES: Readonly<Record<KnownType, (bytes: Uint8Array) => Promise<number>>> = {
  pdf: probePdf,
  ofd: async (bytes) => probeOfd(bytes),
  png: probePng,
  jpeg: probeJpeg,
  tiff: probeTiff,
};

// ---------------------------------------------------------------------------------------------
// PDF: parsed by pdfjs as extract-text.ts loads it (in this thread, everything from node_modules).

async function probePdf(bytes: Uint8Array): Promise<number> {
  const pdfjs = await loadPdfjs();
  const pdfjsDir = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), '/');
  const task = pdfjs.getDocument({
    // A copy: pdfjs takes ownership of (transfers) the buffer it is given, and the caller keeps its bytes.
    data: new Uint8Array(bytes),
    cMapUrl: `${pdfjsDir}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${pdfjsDir}standard_fonts/`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    let doc: Pdfjs.PDFDocumentProxy;
    try {
      doc = await task.promise;
    } catch (error) {
      // A password pdfjs cannot open with the empty one; or a security handler it does not know
      // (certificate security, /Filter /Adobe.PubSec), which names /Encrypt in the trailer.
      if ((error as { name?: string }).name === 'PasswordException' || namesEncrypt(bytes)) throw encrypted();
      throw damaged('pdf');
    }
    const pages = doc.numPages;
    // DA/T 70: a filed record is not encrypted, even when it opens without a password (owner-only restrictions).
    const { info } = await doc.getMetadata();
    if ((info as { EncryptFilterName?: string | null }).EncryptFilterName) throw encrypted(pages);
    if (pages < 1) throw damaged('pdf', '（没有页面）', ' (it has no pages)');
    for (let n = 1; n <= Math.min(pages, MAX_CHECKED_PDF_PAGES); n++) {
      try {
        await doc.getPage(n);
      } catch {
        throw damaged('pdf', `（第 ${n} 页无法读取）`, ` (page ${n} cannot be read)`);
      }
    }
    return pages;
  } finally {
    await task.destroy().catch(() => {});
  }
}

function encrypted(pages?: number): Unusable {
  return new Unusable('encrypted', '文件已加密，归档文件不得加密。', 'The file is encrypted; filed records must not be.', pages);
}

/** Whether the trailer (the last 64 KB, where the trailer or the cross-reference stream is) names an /Encrypt dictionary. */
function namesEncrypt(bytes: Uint8Array): boolean {
  const tail = new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.length - 65_536)));
  return /\/Encrypt\b/.test(tail);
}

// ---------------------------------------------------------------------------------------------
// PNG and JPEG: decoded in JavaScript (pngjs, jpeg-js), as extract-text.ts does and for the same
// reason: the native decoder of @napi-rs/canvas crashes the process on some damaged PNGs.

async function probePng(bytes: Uint8Array): Promise<number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw damaged('png');
  checkPixels('png', view.getUint32(16), view.getUint32(20));
  // A PNG cut short can still decode, as part of a picture: without its closing IEND chunk it is broken.
  if (!new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.length - 64))).includes('IEND')) throw damaged('png');
  const { PNG } = (await import('pngjs')).default;
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!png.width || !png.height) throw damaged('png');
  return 1;
}

async function probeJpeg(bytes: Uint8Array): Promise<number> {
  const jpeg = (await import('jpeg-js')).default;
  try {
    const image = jpeg.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      useTArray: true,
      maxResolutionInMP: MAX_DECODE_PIXELS / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    if (!image.width || !image.height) throw damaged('jpeg');
    return 1;
  } catch (error) {
    // jpeg-js's refusals over its limits read "maxResolutionInMP limit exceeded by …".
    if (error instanceof Error && /limit exceeded/.test(error.message)) throw tooLarge('jpeg');
    throw error;
  }
}

function checkPixels(type: ProbedType, width: number, height: number): void {
  if (!width || !height) throw damaged(type);
  if (width * height > MAX_DECODE_PIXELS) throw tooLarge(type, width, height);
}

function tooLarge(type: ProbedType, width?: number, height?: number): Unusable {
  const size = width && height ? `（${width}×${height}）` : '';
  const sizeEn = width && height ? ` (${width}×${height})` : '';
  return new Unusable(
    'unsupported',
    `${TYPE_NAME[type]} 图像过大${size}，超过 ${MAX_DECODE_PIXELS / 1e6} 百万像素，无法检查。`,
    `The ${TYPE_NAME[type]} image is too large to check${sizeEn}: more than ${MAX_DECODE_PIXELS / 1e6} megapixels.`,
  );
}

// ---------------------------------------------------------------------------------------------
// TIFF: directories are listed by a careful reader (utif2's follows any offset, however broken,
// and can loop); utif2 then decodes each page.

/** A TIFF directory in the shape utif2 decodes: `t<tag>` → values. */

/**
 * The compressions of TIFF 6.0 that any reader has: none (1), CCITT modified Huffman, T.4 and T.6
 * (2, 3, 4: G3, G4), LZW (5), JPEG (6 old-style, 7), Deflate (8, and 32946 as first registered)
 * and PackBits (32773). Anything else (JPEG 2000, JBIG, LZMA, Zstandard, vendors' own) is a
 * compression DA/T 70 does not accept in a record.
 */
const STANDARD_TIFF_COMPRESSION = new Set([1, 2, 3, 4, 5, 6, 7, 8, 32773, 32946]);

async function probeTiff(bytes: Uint8Array): Promise<number> {
  // Pages are the full-resolution images; reduced-resolution ones (NewSubfileType bit 0) are previews.
  const pages = tiffDirectories(bytes, () => damaged('tiff')).filter((ifd) => !((ifd.t254?.[0] ?? 0) & 1));
  if (pages.length === 0) throw damaged('tiff', '（没有图像）', ' (it holds no image)');
  for (const [i, ifd] of pages.entries()) {
    const compression = ifd.t259?.[0] ?? 1;
    if (!STANDARD_TIFF_COMPRESSION.has(compression)) {
      throw new Unusable(
        'proprietary-compression',
        `TIFF 第 ${i + 1} 页使用了非标准的压缩方式（${compression}），归档文件只可用无压缩、CCITT G3/G4、LZW、PackBits、Deflate 或 JPEG。`,
        `TIFF page ${i + 1} uses a non-standard compression (${compression}); filed records may use only none, CCITT G3/G4, LZW, PackBits, Deflate or JPEG.`,
      );
    }
  }
  const UTIF = (await import('utif2')).default;
  // utif2 reads from an ArrayBuffer of the file alone (offsets are from its start).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const file = (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
  for (const [i, directory] of pages.entries()) {
    checkPixels('tiff', directory.t256?.[0] ?? 0, directory.t257?.[0] ?? 0);
    const pageDamaged = () => damaged('tiff', `（第 ${i + 1} 页无法解码）`, ` (page ${i + 1} cannot be decoded)`);
    // utif2 decodes a strip or tile past the end of the file as blank: each must be within it.
    if (!dataWithin(directory, bytes.length)) throw pageDamaged();
    const ifd = { ...directory } as unknown as import('utif2').IFD;
    try {
      UTIF.decodeImage(file, ifd);
    } catch {
      throw pageDamaged();
    }
    if (!ifd.width || !ifd.height || UTIF.toRGBA8(ifd).length !== ifd.width * ifd.height * 4) throw pageDamaged();
  }
  return pages.length;
}

/** Whether the page's strips (StripOffsets 273, StripByteCounts 279) or tiles (324, 325) are all inside the file. */
function dataWithin(ifd: Ifd, length: number): boolean {
  const offsets = (ifd.t273 ?? ifd.t324) as number[] | undefined;
  const counts = (ifd.t279 ?? ifd.t325) as number[] | undefined;
  if (!offsets?.length || offsets.length !== counts?.length) return false;
  return offsets.every((offset, i) => offset + counts[i]! <= length);
}

// ---------------------------------------------------------------------------------------------
// OFD (GB/T 33190-2016): a ZIP package whose root OFD.xml names, in DocBody/DocRoot, each
// document's Document.xml, which lists its pages. Only the central directory and these two
// entries are read, so a 200 MB package costs what its XML does.

interface ZipEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
}

const OFD_ROOT = /^(?:\ufeff)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?OFD[\s>/]/;
const DOC_BODY = /<(?:[\w.-]+:)?DocBody[\s>][\s\S]*?<\/(?:[\w.-]+:)?DocBody>/;
const DOC_ROOT = /<(?:[\w.-]+:)?DocRoot\s*>\s*([^<]+?)\s*<\/(?:[\w.-]+:)?DocRoot>/;
const DOCUMENT_ROOT = /^(?:\ufeff)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?Document[\s>]/;
const PAGES = /<(?:[\w.-]+:)?Pages\s*>([\s\S]*?)<\/(?:[\w.-]+:)?Pages>/;
const PAGE = /<(?:[\w.-]+:)?Page\b[^>]*>/g;
const BASE_LOC = /\bBaseLoc\s*=\s*"([^"]*)"/;

function probeOfd(bytes: Uint8Array): number {
  const entries = zipEntries(bytes);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  // Bit 0 of the general purpose flags: the entry is encrypted (ZIP's own or WinZip AES).
  // Encryptions.xml at the root: the package was encrypted as GM/T 0099-2020 describes.
  if (entries.some((entry) => entry.flags & 1) || byName.has('Encryptions.xml')) throw encrypted();
  const odd = entries.find((entry) => entry.method !== 0 && entry.method !== 8);
  if (odd) {
    throw new Unusable(
      'proprietary-compression',
      `OFD 包内文件 ${odd.name} 使用了非标准的压缩方式（${odd.method}），只可用 Deflate 或不压缩。`,
      `The OFD entry ${odd.name} uses a non-standard compression (${odd.method}); only Deflate or none is allowed.`,
    );
  }
  const root = byName.get('OFD.xml');
  if (!root) throw damaged('ofd', '（缺少 OFD.xml）', ' (OFD.xml is missing)');
  const ofdXml = readXml(bytes, root);
  const docRoot = OFD_ROOT.test(ofdXml) ? DOC_ROOT.exec(DOC_BODY.exec(ofdXml)?.[0] ?? '')?.[1] : undefined;
  if (!docRoot) throw damaged('ofd', '（OFD.xml 没有指明文档）', ' (OFD.xml names no document)');
  const documentName = resolveLoc('', docRoot);
  const document = byName.get(documentName);
  if (!document) throw damaged('ofd', `（缺少 ${documentName}）`, ` (${documentName} is missing)`);
  const documentXml = readXml(bytes, document);
  const pageTags = DOCUMENT_ROOT.test(documentXml) ? (PAGES.exec(documentXml)?.[1] ?? '').match(PAGE) ?? [] : [];
  if (pageTags.length === 0) throw damaged('ofd', `（${documentName} 没有页面）`, ` (${documentName} lists no pages)`);
  const folder = documentName.includes('/') ? documentName.slice(0, documentName.lastIndexOf('/')) : '';
  for (const [i, tag] of pageTags.entries()) {
    const loc = BASE_LOC.exec(tag)?.[1];
    // BaseLoc is relative to Document.xml; some writers give it from the package root without the leading slash.
    if (!loc || !(byName.has(resolveLoc(folder, loc)) || byName.has(resolveLoc('', loc)))) {
      throw damaged('ofd', `（第 ${i + 1} 页的内容缺失）`, ` (the content of page ${i + 1} is missing)`);
    }
  }
  return pageTags.length;
}

/** A package path (ST_Loc): absolute from the package root when it starts with '/', else relative to `folder`. */
function resolveLoc(folder: string, loc: string): string {
  const path = loc.replace(/\\/g, '/');
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${folder}/${path}`).split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

function readXml(bytes: Uint8Array, entry: ZipEntry): string {
  if (entry.size > MAX_OFD_XML_BYTES) throw damaged('ofd', `（${entry.name} 过大）`, ` (${entry.name} is too large)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.offset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) throw damaged('ofd');
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw damaged('ofd');
  const data = bytes.subarray(start, start + entry.compressedSize);
  const raw = entry.method === 0 ? data : inflateSync(data, { out: new Uint8Array(entry.size) });
  if (raw.length !== entry.size) throw damaged('ofd');
  return new TextDecoder().decode(raw);
}

/** The entries of a ZIP's central directory (ZIP64 included), every offset checked against the file's length. */
function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = () => damaged('ofd', '（不是完整的 ZIP 包）', ' (it is not a complete ZIP package)');
  // The end-of-central-directory record: 22 bytes and a comment of up to 65,535.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw bad();
  let count = view.getUint16(end + 10, true);
  let directory = view.getUint32(end + 16, true);
  const locator = end - 20;
  if (locator >= 0 && view.getUint32(locator, true) === 0x07064b50) {
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    if (zip64End + 56 > bytes.length || view.getUint32(zip64End, true) !== 0x06064b50) throw bad();
    count = Number(view.getBigUint64(zip64End + 32, true));
    directory = Number(view.getBigUint64(zip64End + 48, true));
  }
  if (count > MAX_ZIP_ENTRIES) throw bad();
  const entries: ZipEntry[] = [];
  for (let at = directory, i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw bad();
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const next = at + 46 + nameLength + extraLength + view.getUint16(at + 32, true);
    if (next > bytes.length) throw bad();
    const sizes = { compressedSize: view.getUint32(at + 20, true), size: view.getUint32(at + 24, true), offset: view.getUint32(at + 42, true) };
    zip64Sizes(view, at + 46 + nameLength, extraLength, sizes);
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)).replace(/^\/+/, ''),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      ...sizes,
    });
    at = next;
  }
  return entries;
}

/** Sizes and offset that do not fit 32 bits are in the ZIP64 extra field (id 1), in this order, only those that are 0xFFFFFFFF. */
function zip64Sizes(view: DataView, extra: number, length: number, sizes: { compressedSize: number; size: number; offset: number }): void {
  const FULL = 0xffffffff;
  for (let at = extra; at + 4 <= extra + length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 1) continue;
    let field = at + 4;
    const take = () => {
      const value = field + 8 <= extra + length ? Number(view.getBigUint64(field, true)) : FULL;
      field += 8;
      return value;
    };
    if (sizes.size === FULL) sizes.size = take();
    if (sizes.compressedSize === FULL) sizes.compressedSize = take();
    if (sizes.offset === FULL) sizes.offset = take();
    return;
  }
}
