/**
 * Text of an attached scan for Chinese full-text search: PDF pages are read from their text layer,
 * and pages with none (image-only scans), PNG, JPEG and TIFF pages are rendered and read by
 * tesseract (Simplified Chinese). Works page by page, so memory stays that of one page, and stops
 * at a deadline, telling the caller where to go on.
 *
 * Nothing is fetched at run time: pdfjs reads its CMaps, standard fonts and wasm decoders, and
 * tesseract its core and traineddata, from node_modules. In Lambda these packages must therefore be
 * installed beside the bundle, not bundled: `pdfjs-dist`, `@napi-rs/canvas` (native, one build per
 * architecture), `tesseract.js` and `@tesseract.js-data/chi_sim`.
 */
import { createRequire } from 'node:module';
import { tiffDirectories, type Ifd } from '../files/tiff.ts';
import { loadPdfjs } from '../files/pdfjs.ts';
import { dirname, join } from 'node:path';
import type * as Canvas from '@napi-rs/canvas';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import type Tesseract from 'tesseract.js';

export interface PageText {
  /** 1-based. */
  readonly page: number;
  readonly text: string;
  readonly source: 'text-layer' | 'ocr';
}

export interface ExtractedText {
  readonly pages: PageText[];
  readonly pageCount: number;
  /** First page not yet done when stopped by the deadline. */
  readonly next?: number;
}

export type TextFailure = 'empty' | 'corrupt' | 'encrypted' | 'unsupported' | 'too-large' | 'too-many-pages';

/** Input that cannot give text; the message ("中文。English.") is readable by a clerk. */
export class TextExtractionError extends Error {
  override name = 'TextExtractionError';
  constructor(
    readonly reason: TextFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the text of one page image. */
export interface Ocr {
  /** `image`: the bytes of a greyscale PGM (P5, what extractText hands over), PNG, JPEG or TIFF (first page). */
  recognize(image: Uint8Array): Promise<string>;
  close(): Promise<void>;
  /** The resolution pages read best at: PDF pages are rendered at it and finer scans scaled down to it (default 200). */
  readonly dpi?: number;
}

export interface ExtractOptions {
  /** 1-based page to start from (default 1). */
  readonly fromPage?: number;
  /** Epoch ms: no page is started after it; the result's `next` says where to go on. */
  readonly deadline?: number;
  /** More pages than this is refused before any work (default 500). */
  readonly maxPages?: number;
  /** Reader for pages without a text layer; by default one is created for this call and closed after it. */
  readonly ocr?: Ocr;
}

const DEFAULT_MAX_PAGES = 500;
/** Larger images are refused: decoding one would take gigabytes. */
const MAX_IMAGE_PIXELS = 60_000_000;
/** Pages are handed to OCR at most this large (A4 at 300 dpi is 8.7 million pixels); larger ones are scaled down. */
const MAX_OCR_PIXELS = 12_000_000;
/**
 * The resolution pages are handed to OCR at. Tesseract reads 3号 (16 pt) body text better at 200
 * dpi than at 300 (bench/ocr.ts COMPARE=1: clean A4 pages 0.6 % CER against 2.7 %; 5号 text reads
 * as well), in about half the time.
 */
const OCR_DPI = 200;
/** An A4 page in square inches: the size assumed for a scan that does not say its resolution. */
const A4_SQUARE_INCHES = (210 / 25.4) * (297 / 25.4);
/** A page whose text layer has fewer characters than this (a page number, a stamp) is taken for a scan and read by OCR. */
const MIN_TEXT_LAYER_CHARS = 20;
/**
 * A text layer shorter than this on a page that shows an image may be a line an office system
 * stamped over a scan (本文件由…系统生成 第1页): the page is read by OCR as well, and the longer reading kept.
 */
const SHORT_TEXT_LAYER_CHARS = 200;

const PDF = 'application/pdf';
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/tiff', 'image/tif']);

/** Turns the bytes of an attachment into text, page by page. */
export async function extractText(bytes: Uint8Array, contentType: string, options: ExtractOptions = {}): Promise<ExtractedText> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== PDF && !IMAGE_TYPES.has(type)) {
    throw new TextExtractionError('unsupported', `不支持读取此类文件（${type || '未知类型'}）的文字。Text cannot be read from this file type (${type || 'unknown'}).`);
  }
  if (bytes.length === 0) throw new TextExtractionError('empty', '文件为空。The file is empty.');
  const ownOcr = options.ocr ? undefined : createOcr();
  const run = { ...options, ocr: options.ocr ?? ownOcr! };
  try {
    const source = type === PDF ? await openPdf(bytes) : await openImage(bytes);
    try {
      return await readPages(source, run);
    } finally {
      await source.close();
    }
  } finally {
    await ownOcr?.close();
  }
}

/** A document opened for reading, one page at a time. */
interface PageSource {
  readonly pageCount: number;
  read(page: number, ocr: Ocr): Promise<PageText>;
  close(): Promise<void>;
}

async function readPages(source: PageSource, options: ExtractOptions & { ocr: Ocr }): Promise<ExtractedText> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const { pageCount } = source;
  if (pageCount > maxPages) {
    throw new TextExtractionError('too-many-pages', `文件共 ${pageCount} 页，超过上限 ${maxPages} 页。The file has ${pageCount} pages, more than the limit of ${maxPages}.`);
  }
  const pages: PageText[] = [];
  for (let page = Math.max(1, Math.floor(options.fromPage ?? 1)); page <= pageCount; page++) {
    if (options.deadline !== undefined && Date.now() >= options.deadline) return { pages, pageCount, next: page };
    pages.push(await source.read(page, options.ocr));
  }
  return { pages, pageCount };
}

// ---------------------------------------------------------------------------------------------
// PDF

/** The folder of an installed package (with a trailing slash, as pdfjs wants its data URLs). */
function packageDir(name: string, ...sub: string[]): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${name}/package.json`)), ...sub) + '/';
}

async function openPdf(bytes: Uint8Array): Promise<PageSource> {
  const pdfjs = await loadPdfjs();
  const pdfjsDir = packageDir('pdfjs-dist');
  const task = pdfjs.getDocument({
    // A copy, as a plain Uint8Array: pdfjs refuses a Buffer and takes ownership of (transfers) what it is given.
    data: new Uint8Array(bytes),
    cMapUrl: `${pdfjsDir}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${pdfjsDir}standard_fonts/`,
    // JBIG2 and JPEG 2000, common in scanned PDFs, are decoded by wasm.
    wasmUrl: `${pdfjsDir}wasm/`,
    iccUrl: `${pdfjsDir}iccs/`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => {});
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new TextExtractionError('encrypted', 'PDF 文件已加密，无法读取文字。The PDF is encrypted.');
    throw corrupt('PDF');
  }
  if (doc.numPages < 1) {
    await task.destroy().catch(() => {});
    throw corrupt('PDF');
  }
  return {
    pageCount: doc.numPages,
    read: (n, ocr) => readPdfPage(doc, n, ocr),
    close: () => task.destroy().catch(() => {}),
  };
}

async function readPdfPage(doc: PDFDocumentProxy, n: number, ocr: Ocr): Promise<PageText> {
  let page: PDFPageProxy;
  try {
    page = await doc.getPage(n);
  } catch {
    // A broken page of an otherwise readable file: the other pages are still worth their text.
    return { page: n, text: '', source: 'text-layer' };
  }
  try {
    const layer = await textLayer(page);
    const chars = visibleLength(layer);
    if (chars >= MIN_TEXT_LAYER_CHARS && (chars >= SHORT_TEXT_LAYER_CHARS || !(await showsImage(page)))) return { page: n, text: layer, source: 'text-layer' };
    const image = await renderPage(page, ocr.dpi ?? OCR_DPI);
    if (!image) return { page: n, text: layer, source: 'text-layer' };
    const read = await readImage(ocr, image);
    // A page with real text beside a picture (a logo, a signature) keeps its own text unless the
    // reading found clearly more (the scan under a stamped line).
    return chars === 0 || visibleLength(read) > chars * 1.2 ? { page: n, text: read, source: 'ocr' } : { page: n, text: layer, source: 'text-layer' };
  } finally {
    page.cleanup();
  }
}

/** Whether the page paints an image (not an image mask: those are stamps and glyphs). */
async function showsImage(page: PDFPageProxy): Promise<boolean> {
  const { OPS } = await loadPdfjs();
  const painting = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageXObjectRepeat, OPS.paintInlineImageXObjectGroup]);
  try {
    return (await page.getOperatorList()).fnArray.some((op) => painting.has(op));
  } catch {
    return false;
  }
}

async function textLayer(page: PDFPageProxy): Promise<string> {
  let content;
  try {
    content = await page.getTextContent();
  } catch {
    return '';
  }
  return cleanText(joinTextItems(content.items.filter((item): item is TextItem => 'str' in item)));
}

/**
 * Joins pdfjs text items into lines: a new line where the baseline moves by more than half the
 * font size, a space where items of one line stand apart (unless both sides are Chinese, which is
 * written without spaces).
 */
export function joinTextItems(items: readonly Pick<TextItem, 'str' | 'transform' | 'width' | 'height' | 'hasEOL'>[]): string {
  let out = '';
  let last: { x: number; y: number; size: number } | undefined;
  for (const item of items) {
    const [, , c, d, x, y] = item.transform as number[];
    const size = Math.hypot(c ?? 0, d ?? 0) || item.height || 1;
    if (last && item.str) {
      if (Math.abs((y ?? 0) - last.y) > Math.max(size, last.size) / 2) {
        if (!out.endsWith('\n')) out += '\n';
      } else if ((x ?? 0) - last.x > Math.min(size, last.size) * 0.2 && !/\s$/.test(out) && !/^\s/.test(item.str) && !(isCjk(out.at(-1)) && isCjk(item.str[0]))) {
        out += ' ';
      }
    }
    out += item.str;
    if (item.str) last = { x: (x ?? 0) + item.width, y: y ?? 0, size };
    if (item.hasEOL && !out.endsWith('\n')) out += '\n';
  }
  return out;
}

/** Renders a page at `dpi` (less for very large pages) on white. */
async function renderPage(page: PDFPageProxy, dpi: number): Promise<Grey | undefined> {
  const { createCanvas } = await loadCanvas();
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(dpi / 72, Math.sqrt(MAX_OCR_PIXELS / Math.max(1, base.width * base.height)));
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const canvas = createCanvas(width, height);
  try {
    await page.render({ canvas: canvas as unknown as RenderCanvas, viewport }).promise;
  } catch {
    return undefined;
  }
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
  return toOcrImage(new Uint8Array(data.buffer, data.byteOffset, data.length), width, height, 1);
}

/** pdfjs types its canvas as the DOM's; @napi-rs/canvas provides what it uses of it. */
type RenderCanvas = Parameters<PDFPageProxy['render']>[0]['canvas'];

// ---------------------------------------------------------------------------------------------
// Images

let canvasLoaded: Promise<typeof Canvas> | undefined;

function loadCanvas(): Promise<typeof Canvas> {
  canvasLoaded ??= import('@napi-rs/canvas');
  return canvasLoaded;
}

async function openImage(bytes: Uint8Array): Promise<PageSource> {
  if (isTiff(bytes)) return openTiff(bytes);
  const info = imageInfo(bytes);
  if (!info) throw corrupt('图像', 'image');
  checkPixels(info.width, info.height);
  return {
    pageCount: 1,
    read: async (n, ocr) => {
      const { width, height, data } = await decodeImage(bytes);
      const scale = ocrScale(width, height, info.dpi, ocr.dpi ?? OCR_DPI);
      return { page: n, text: await readImage(ocr, toOcrImage(data, width, height, scale, info.orientation)), source: 'ocr' };
    },
    close: async () => {},
  };
}

/**
 * PNG and JPEG pixels, decoded in JavaScript: @napi-rs/canvas's native decoder crashes the process
 * (a segmentation fault) on some damaged PNGs, which no try/catch survives.
 */
async function decodeImage(bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8Array }> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (bytes[0] === 0x89) {
      const { PNG } = (await import('pngjs')).default;
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, data: png.data };
    }
    const jpeg = (await import('jpeg-js')).default;
    return jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 2048 });
  } catch {
    throw corrupt('图像', 'image');
  }
}

/**
 * How much to scale a scan down for OCR: to `target` dpi when the file says its resolution (below
 * 100 dpi it is a camera's or an editor's default, not a scan's), else to an A4 page at `target`.
 */
function ocrScale(width: number, height: number, dpi: number | undefined, target: number): number {
  const scale = dpi !== undefined && dpi >= 100 ? target / dpi : Math.sqrt((A4_SQUARE_INCHES * target * target) / (width * height));
  return Math.min(1, scale, Math.sqrt(MAX_OCR_PIXELS / (width * height)));
}

/**
 * RGBA pixels as the page OCR reads: grey (tesseract reads grey; a red 发文机关标志 stays dark),
 * flattened onto white (transparent pixels would read as black), scaled by `scale`, turned upright
 * as the camera's EXIF orientation says (3, 6, 8).
 */
function toOcrImage(rgba: Uint8Array, width: number, height: number, scale: number, orientation = 1): Grey {
  if (rgba.length !== width * height * 4) throw corrupt('图像', 'image');
  return orient(shrink({ width, height, data: grey(rgba) }, scale), orientation);
}

/** Below this share of dark pixels (about two characters of body text on A4) a page is blank: a separator sheet, a back side. */
const MIN_INK = 0.0002;

/** The text of a page image, or none for a blank page, which is not worth a second of OCR. */
async function readImage(ocr: Ocr, page: Grey): Promise<string> {
  let ink = 0;
  for (let i = 0; i < page.data.length; i++) if (page.data[i]! < 128) ink++;
  if (ink < page.data.length * MIN_INK) return '';
  return cleanOcrText(await ocr.recognize(pgm(page)));
}

/** 8-bit grey pixels, row by row. */
interface Grey {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Rec. 601 luma over a white background. */
function grey(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    const luma = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
    const alpha = rgba[i + 3]!;
    out[j] = alpha === 255 ? luma : (luma * alpha + 255 * (255 - alpha)) / 255;
  }
  return out;
}

/** Scales down by averaging the area each new pixel covers (thin strokes do not alias away), rows then columns. */
function shrink(image: Grey, scale: number): Grey {
  if (scale >= 1) return image;
  const { width: inWidth, height: inHeight, data: pixels } = image;
  const width = Math.max(1, Math.round(inWidth * scale));
  const height = Math.max(1, Math.round(inHeight * scale));
  const columns = coverage(inWidth, width);
  const across = new Float32Array(width * inHeight);
  for (let y = 0; y < inHeight; y++) addRow(across, y * width, pixels, y * inWidth, columns);
  const rows = coverage(inHeight, height);
  const down = new Float32Array(width * height);
  for (let c = 0; c < rows.weight.length; c++) {
    const from = rows.source[c]! * width;
    const to = rows.target[c]! * width;
    const weight = rows.weight[c]!;
    for (let x = 0; x < width; x++) down[to + x] = down[to + x]! + across[from + x]! * weight;
  }
  // A clamped array rounds as it converts (Uint8Array.from with a mapping function is 40 times slower).
  const data = new Uint8ClampedArray(down.length);
  data.set(down);
  return { width, height, data: new Uint8Array(data.buffer) };
}

function addRow(out: Float32Array, to: number, pixels: Uint8Array, from: number, { target, source, weight }: Coverage): void {
  for (let c = 0; c < weight.length; c++) out[to + target[c]!] = out[to + target[c]!]! + pixels[from + source[c]!]! * weight[c]!;
}

interface Coverage {
  readonly target: Int32Array;
  readonly source: Int32Array;
  readonly weight: Float32Array;
}

/** Which input pixels cover part of which output pixel, and by how much (the weights of one output sum to 1). */
function coverage(from: number, to: number): Coverage {
  const step = from / to;
  const target: number[] = [];
  const source: number[] = [];
  const weight: number[] = [];
  for (let o = 0; o < to; o++) {
    const start = o * step;
    const end = start + step;
    for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
      const covered = Math.min(end, i + 1) - Math.max(start, i);
      if (covered <= 0) continue;
      target.push(o);
      source.push(i);
      weight.push(covered / step);
    }
  }
  return { target: Int32Array.from(target), source: Int32Array.from(source), weight: Float32Array.from(weight) };
}

/** EXIF orientation 3: half a turn; 6: a quarter turn clockwise; 8: a quarter turn anticlockwise. */
function orient(image: Grey, orientation: number): Grey {
  if (orientation !== 3 && orientation !== 6 && orientation !== 8) return image;
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = orientation === 3 ? (height - 1 - y) * width + (width - 1 - x) : orientation === 6 ? x * height + (height - 1 - y) : (width - 1 - x) * height + y;
      out[at] = data[y * width + x]!;
    }
  }
  return orientation === 3 ? { width, height, data: out } : { width: height, height: width, data: out };
}

/** Binary PGM (P5): a short header and the grey bytes; tesseract's Leptonica reads it as is. */
function pgm({ width, height, data }: Grey): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    const mp = Math.round((width * height) / 1e6);
    throw new TextExtractionError('too-large', `图像过大（${width}×${height}，约 ${mp} 百万像素，上限 60 百万像素）。The image is too large: ${width}×${height}, about ${mp} megapixels, more than 60.`);
  }
}

/**
 * Width, height, and when the file says them the resolution and (JPEG, EXIF) the orientation, from
 * a PNG or JPEG header, without decoding the pixels.
 */
function imageInfo(bytes: Uint8Array): { width: number; height: number; dpi?: number; orientation?: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 24 && png.every((b, i) => bytes[i] === b)) {
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    if (!width || !height) return undefined;
    // A PNG cut short still decodes, as a partial picture: without its closing IEND chunk it is broken.
    if (!String.fromCharCode(...bytes.subarray(Math.max(0, bytes.length - 64))).includes('IEND')) return undefined;
    // pHYs (pixels per metre when its unit is 1) comes before the first IDAT.
    for (let at = 8; at + 12 <= bytes.length; ) {
      const length = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      if (type === 'IDAT' || type === 'IEND') break;
      if (type === 'pHYs' && length >= 9 && at + 17 <= bytes.length && bytes[at + 16] === 1) return { width, height, dpi: view.getUint32(at + 8) * 0.0254 };
      at += 12 + length;
    }
    return { width, height };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let dpi: number | undefined;
    let orientation: number | undefined;
    let at = 2;
    while (at + 4 <= bytes.length) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1]!;
      // Fill bytes, and markers with no length (RST, TEM).
      if (marker === 0xff) {
        at += 1;
        continue;
      }
      if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        at += 2;
        continue;
      }
      const length = view.getUint16(at + 2);
      if (length < 2) return undefined;
      // JFIF: units 1 = per inch, 2 = per centimetre.
      if (marker === 0xe0 && length >= 14 && at + 16 <= bytes.length && String.fromCharCode(...bytes.subarray(at + 4, at + 9)) === 'JFIF\0') {
        const units = bytes[at + 11];
        const density = view.getUint16(at + 12);
        if (units === 1) dpi = density;
        if (units === 2) dpi = density * 2.54;
      }
      if (marker === 0xe1 && at + 4 + length <= bytes.length && String.fromCharCode(...bytes.subarray(at + 4, at + 10)) === 'Exif\0\0') {
        orientation = exifOrientation(bytes.subarray(at + 10, at + 2 + length));
      }
      // SOF0..SOF15, less DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (at + 9 > bytes.length) return undefined;
        const height = view.getUint16(at + 5);
        const width = view.getUint16(at + 7);
        return width && height ? { width, height, ...(dpi ? { dpi } : {}), ...(orientation ? { orientation } : {}) } : undefined;
      }
      at += 2 + length;
    }
  }
  return undefined;
}

/** Orientation (tag 0x0112) from the first directory of an EXIF block (itself laid out as a TIFF). */
function exifOrientation(exif: Uint8Array): number | undefined {
  if (!isTiff(exif)) return undefined;
  const view = new DataView(exif.buffer, exif.byteOffset, exif.byteLength);
  const le = exif[0] === 0x49;
  const ifd = view.getUint32(4, le);
  if (ifd + 2 > exif.length) return undefined;
  const count = view.getUint16(ifd, le);
  for (let i = 0; i < count && ifd + 2 + i * 12 + 10 <= exif.length; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, le) === 0x0112) return view.getUint16(entry + 8, le);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// TIFF: pages are listed by a careful reader of our own (utif2's follows any offset, however
// broken, and can loop); utif2 then decodes the one page at hand.

function isTiff(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42));
}

async function openTiff(bytes: Uint8Array): Promise<PageSource> {
  // Pages are the full-resolution images; reduced-resolution ones (NewSubfileType bit 0) are previews.
  const pages = tiffDirectories(bytes, () => corrupt('TIFF 图像', 'TIFF image')).filter((ifd) => ifd.t256?.[0] && ifd.t257?.[0] && !((ifd.t254?.[0] ?? 0) & 1));
  if (pages.length === 0) throw corrupt('TIFF 图像', 'TIFF image');
  for (const ifd of pages) checkPixels(ifd.t256![0]!, ifd.t257![0]!);
  // utif2 reads from an ArrayBuffer of the file alone (offsets are from its start).
  let file: ArrayBuffer | undefined;
  return {
    pageCount: pages.length,
    read: async (n, ocr) => {
      const UTIF = (await import('utif2')).default;
      // utif2 reads the directory's fields; it decodes into `data`, `width` and `height`.
      const ifd = { ...pages[n - 1]! } as unknown as import('utif2').IFD;
      let rgba: Uint8Array;
      try {
        file ??= bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        UTIF.decodeImage(file, ifd);
        rgba = UTIF.toRGBA8(ifd);
      } catch {
        throw corrupt('TIFF 图像', 'TIFF image');
      }
      const { width, height } = ifd;
      if (!width || !height || rgba.length !== width * height * 4) throw corrupt('TIFF 图像', 'TIFF image');
      const scale = ocrScale(width, height, tiffDpi(pages[n - 1]!), ocr.dpi ?? OCR_DPI);
      return { page: n, text: await readImage(ocr, toOcrImage(rgba, width, height, scale)), source: 'ocr' };
    },
    close: async () => {},
  };
}

/** XResolution in ResolutionUnit (2 = inch, the default; 3 = centimetre). */
function tiffDpi(ifd: Ifd): number | undefined {
  const [num, den] = (ifd.t282 as number[][] | undefined)?.[0] ?? [];
  if (!num || !den) return undefined;
  const unit = (ifd.t296 as number[] | undefined)?.[0] ?? 2;
  return unit === 2 ? num / den : unit === 3 ? (num / den) * 2.54 : undefined;
}

function corrupt(zh: string, en = zh): TextExtractionError {
  return new TextExtractionError('corrupt', `${zh}文件已损坏，无法读取。The ${en} file is damaged and cannot be read.`);
}

// ---------------------------------------------------------------------------------------------
// Text clean-up

/** Han, CJK punctuation (、。〔〕《》「」…), full-width forms, kana, Hangul. */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf\u3040-\u30ff\uac00-\ud7af]/u;
/** Punctuation used inside Chinese text: “”‘’—…· stick to the Chinese beside them. */
const CJK_JOINING = /[\u2018\u2019\u201c\u201d\u2014\u2026\u00b7]/;

function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK.test(ch);
}

/**
 * Characters that carry text: not spaces, nor what a font without a Unicode map gives (U+FFFD,
 * private-use code points, control characters), so a text layer of such mojibake counts as none.
 */
function visibleLength(text: string): number {
  return text.replace(/[\s\ufffd\ue000-\uf8ff\p{Cc}]/gu, '').length;
}

/**
 * Normalises line ends and spaces: no spaces between two Chinese characters, single spaces
 * elsewhere, trimmed lines, at most one blank line in a row.
 */
function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f\v \u00a0\u3000]+/g, ' ')
    .replace(/(?<=[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf\u3040-\u30ff\uac00-\ud7af]) (?=[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf\u3040-\u30ff\uac00-\ud7af])/gu, '')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const FULL_WIDTH: Record<string, string> = { ',': '，', ':': '：', ';': '；', '?': '？', '!': '！', '(': '（', ')': '）' };

/**
 * 发文字号 as tesseract misreads it: the year's 六角括号 (GB/T 9704 7.2.4: 示财〔2026〕45号) come out
 * as ( [ 【 or a stray j; the number is written back with 〔〕, as it is searched for.
 */
const DOCUMENT_NUMBER = /(\p{Script=Han})[〔（(\[【［{]\s*((?:19|20)\d\d)\s*[〕）)\]】］}jJlI|]{1,2}\s*(\d{1,5})号/gu;

/**
 * Tesseract's chi_sim output has a space between every two characters. Chinese is written without
 * them, also next to digits and Latin letters (2026年, 第3页), so in OCR text only spaces between two
 * Latin words or numbers are kept. Half-width , : ; ? ! ( ) touching Chinese become the full-width
 * marks Chinese is set in, and 发文字号 get their 〔〕 back.
 */
export function cleanOcrText(text: string): string {
  const joins = (ch: string | undefined) => isCjk(ch) || (ch !== undefined && CJK_JOINING.test(ch));
  const unspace = (line: string) => line.replace(/ (?=(\S))/g, (space, after: string, at: number) => (joins(line[at - 1]) || joins(after) ? '' : space));
  return cleanText(text)
    .split('\n')
    .map((line) =>
      unspace(unspace(line).replace(/[,:;?!()]/g, (mark, at: number, all: string) => (isCjk(all[at - 1]) || isCjk(all[at + 1]) ? FULL_WIDTH[mark]! : mark)))
        .replace(DOCUMENT_NUMBER, '$1〔$2〕$3号'),
    )
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// OCR

/** What can be tuned in the OCR (bench/ocr.ts measures the choices); the defaults are the best measured. */
export interface OcrTuning {
  /** The resolution pages are handed over at (see OCR_DPI). */
  readonly dpi?: number;
  /** Traineddata folder of @tesseract.js-data/chi_sim: `4.0.0_best_int` (LSTM only, 1.7 MB) or `4.0.0` (20 MB). */
  readonly data?: '4.0.0_best_int' | '4.0.0';
  /** Tesseract page segmentation mode: 3 (automatic), 4 (one column), 6 (one block, tesseract.js's default). */
  readonly psm?: '3' | '4' | '6';
  /** Let tesseract straighten slightly skewed pages before reading them. */
  readonly deskew?: boolean;
}

const DEFAULT_TUNING: Required<OcrTuning> = { dpi: OCR_DPI, data: '4.0.0_best_int', psm: '3', deskew: true };

/**
 * One tesseract worker (a worker thread with the wasm core), created on first use (about a second)
 * and reused page after page; `close()` ends it. Create one per Lambda container and keep it: the
 * worker takes some 75 MB at start and, reading A4 pages, the process settles near 550–750 MB.
 * Simplified Chinese; the data is read from node_modules.
 */
export function createOcr(tuning: OcrTuning = {}): Ocr {
  const settings = { ...DEFAULT_TUNING, ...tuning };
  let worker: Promise<Tesseract.Worker> | undefined;
  /** Rejects the job in flight if the worker thread dies (a wasm abort, out of memory). */
  let died: ((error: Error) => void) | undefined;

  const start = async (): Promise<Tesseract.Worker> => {
    const { createWorker, OEM } = (await import('tesseract.js')).default;
    // chi_sim alone: adding eng changed no character of the bench's pages nor of a Latin-heavy line
    // (ISO 9001, v2.3, www.example.gov.cn), and made tesseract log a failed load of a garbled name.
    const created = await createWorker('chi_sim', OEM.LSTM_ONLY, {
      langPath: packageDir('@tesseract.js-data/chi_sim', settings.data),
      cacheMethod: 'none',
      gzip: true,
      logger: () => {},
      // Without a handler tesseract.js throws a failed job's error out of its message listener,
      // which would end the process; the job's own promise rejects anyway.
      errorHandler: () => {},
    });
    await created.setParameters({
      tessedit_pageseg_mode: settings.psm as Tesseract.PSM,
      // Pages come at this resolution (extractText sees to it); PNGs rarely say theirs, and tesseract would guess 70.
      user_defined_dpi: String(settings.dpi),
      // Tesseract's own notes ("Detected 9 diacritics") would go to the function's log.
      debug_file: '/dev/null',
    });
    return created;
  };

  const launch = (): Promise<Tesseract.Worker> => {
    const launched: Promise<Tesseract.Worker> = start().then(
      (created) => {
        const thread = (created as unknown as { worker: import('node:worker_threads').Worker }).worker;
        const lost = (error: Error) => {
          if (worker === launched) worker = undefined;
          died?.(error);
        };
        thread.on('error', lost);
        thread.on('exit', (code) => lost(new Error(`The OCR worker stopped (exit code ${code}).`)));
        return created;
      },
      (error: unknown) => {
        // A worker that failed to start is tried again on the next page.
        if (worker === launched) worker = undefined;
        throw error;
      },
    );
    return launched;
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    dpi: settings.dpi,
    recognize(image) {
      const job = queue.then(async () => {
        worker ??= launch();
        const ready = await worker;
        const failed = new Promise<never>((_, reject) => (died = reject));
        try {
          const result = await Promise.race([ready.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), { rotateAuto: settings.deskew }), failed]);
          return result.data.text;
        } finally {
          died = undefined;
        }
      });
      queue = job.catch(() => {});
      return job;
    },
    async close() {
      const current = worker;
      worker = undefined;
      if (current) await (await current.catch(() => undefined))?.terminate();
    },
  };
}
