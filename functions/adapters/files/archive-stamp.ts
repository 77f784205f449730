/**
 * 归档章: the filing stamp of DA/T 22-2015 §8, drawn on a copy of a filed 件's first page, at its top
 * right. A box of 2 rows × 3 cells, each cell 15 mm × 7 mm:
 *
 *   全宗号 | 年度     | 件号
 *   机构（问题） | 保管期限 | 页数
 *
 * Each cell shows its value only (Z123 | 2026 | 0003 / 办公室 | 30年 | 5), as the standard's stamps
 * do: the place of a value says what it is. Labels were left out, as printed labels that would
 * fit beside the values (about 4 pt, 1.4 mm high) are not legible on a printed page.
 *
 * Chinese is set in Noto Sans SC from `@fontsource/noto-sans-sc`, which ships the font cut into
 * about a hundred pieces by Unicode range: only the pieces holding the stamp's characters are
 * read, and of those only the glyphs used are embedded (a few KB). The WOFF pieces are read, not
 * the smaller WOFF2: fontkit subsets a font by copying its glyf table's bytes, which WOFF2 stores
 * transformed, and the glyphs come out blank. Nothing is fetched at run time; in Lambda the
 * packages in `STAMP_NODE_MODULES` are installed beside the bundle, not bundled (of the font
 * package only `unicode.json` and `files/*-400-normal.woff` are read, 4.7 MB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import {
  concatTransformationMatrix,
  PDFDict,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  scale,
  translate,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import type { StampFields } from '../../domain/archive/check-archive.ts';

/** What the stamp shows (全宗号、年度、件号 / 机构、保管期限、页数), as the 四性检测 hands it over. */
export type StampData = StampFields;

/** The npm packages the stamp reads at run time, to be installed beside the Lambda bundle. */
export const STAMP_NODE_MODULES = ['@fontsource/noto-sans-sc'];

export type StampFailure = 'encrypted' | 'corrupt';

/** A PDF that cannot be stamped; the message ("中文。English.") is readable by a clerk. */
export class StampError extends Error {
  override name = 'StampError';
  constructor(
    readonly code: StampFailure,
    message: string,
  ) {
    super(message);
  }
}

const MM = 72 / 25.4;
/** DA/T 22-2015 §8: each cell about 15 mm × 7 mm. */
const CELL_WIDTH = 15 * MM;
const CELL_HEIGHT = 7 * MM;
const COLUMNS = 3;
const ROWS = 2;
const BOX_WIDTH = COLUMNS * CELL_WIDTH;
const BOX_HEIGHT = ROWS * CELL_HEIGHT;
/**
 * From the top and right edges of the crop box. GB/T 9704 leaves 37 mm above a 公文's text, so the
 * stamp (10–24 mm from the top) sits in blank paper.
 */
const MARGIN = 10 * MM;
const RED = rgb(0.8, 0, 0);
const LINE_WIDTH = 0.5;
/** Values are set at this size, smaller when they would not fit their cell, never below the minimum (then cut with '…'). */
const TEXT_SIZE = 10;
const MIN_TEXT_SIZE = 5;
const CELL_PADDING = 1 * MM;
/** The middle of a CJK ideograph stands about this far above the baseline, in ems: values are centred on it. */
const GLYPH_MIDDLE = 0.36;
const MISSING = '?';
const ELLIPSIS = '…';

/** A new PDF: the original's pages with the stamp drawn on page 1's top right (inside the crop box, respecting /Rotate). The input bytes are not modified. */
export async function stampFirstPage(pdf: Uint8Array, stamp: StampData): Promise<Uint8Array> {
  const { doc, pageCount } = await load(pdf);
  const values = [stamp.fonds, String(stamp.year), stamp.itemNumber, stamp.organ, stamp.retention, String(stamp.pages ?? pageCount)];
  // Read before the PDF is touched: a font package missing from a deployment fails as itself, not as a damaged PDF.
  const pieces = piecesFor(values.join('') + ELLIPSIS + MISSING);
  try {
    const fonts = await embedPieces(doc, pieces);
    drawStamp(doc.getPage(0), fonts, values);
    // A classic cross-reference table: PDF/A-1, which archives keep, allows no object streams.
    return await doc.save({ useObjectStreams: false });
  } catch {
    // pdf-lib meets a page it cannot use (no MediaBox, Resources that are not a dictionary) with errors of its own.
    throw damaged();
  }
}

async function load(pdf: Uint8Array): Promise<{ doc: PDFDocument; pageCount: number }> {
  let doc: PDFDocument;
  let pageCount: number;
  try {
    // pdf-lib reads the bytes without writing to them; the original's metadata is kept as it was.
    // Encryption is asked of the loaded document: pdf-lib's EncryptedPDFError fails `instanceof` (it is compiled to ES5).
    doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
    pageCount = doc.getPageCount();
  } catch {
    throw damaged();
  }
  if (doc.isEncrypted) throw new StampError('encrypted', 'PDF 文件已加密，无法加盖归档章。The PDF is encrypted and cannot be stamped.');
  if (pageCount === 0) throw new StampError('corrupt', 'PDF 文件没有页面，无法加盖归档章。The PDF has no pages to stamp.');
  return { doc, pageCount };
}

function damaged(): StampError {
  return new StampError('corrupt', 'PDF 文件已损坏，无法加盖归档章。The PDF is damaged and cannot be stamped.');
}

function drawStamp(page: PDFPage, fonts: Fonts, values: readonly string[]): void {
  ownResources(page);
  const { matrix, width, height } = uprightFrame(page);
  // A page too small for the stamp and its margins (a receipt) gets all three scaled down.
  const shrink = Math.min(1, width / (BOX_WIDTH + 2 * MARGIN), height / (BOX_HEIGHT + 2 * MARGIN));
  // Drawn in the stamp's own frame: origin at its bottom left, x to the right and y up as a reader sees the page.
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(...matrix),
    translate(width - (MARGIN + BOX_WIDTH) * shrink, height - (MARGIN + BOX_HEIGHT) * shrink),
    scale(shrink, shrink),
  );
  drawGrid(page);
  values.forEach((value, i) => drawCell(page, fonts, value, i % COLUMNS, ROWS - 1 - Math.floor(i / COLUMNS)));
  page.pushOperators(popGraphicsState());
}

/**
 * The first page's own Resources (and Font dictionary), so the stamp's fonts are not added to a
 * dictionary it shares with other pages, which stay as they were.
 */
function ownResources(page: PDFPage): void {
  const { context } = page.doc;
  page.node.normalize();
  const resources = page.node.Resources()!.clone(context);
  const fontDict = resources.lookupMaybe(PDFName.of('Font'), PDFDict);
  resources.set(PDFName.of('Font'), fontDict ? fontDict.clone(context) : context.obj({}));
  page.node.set(PDFName.of('Resources'), resources);
}

/**
 * The matrix from the page as a reader sees it (origin at the bottom left of the crop box, after
 * /Rotate, which turns the page clockwise) to the page's own space, and the seen width and height.
 */
function uprightFrame(page: PDFPage): { matrix: [number, number, number, number, number, number]; width: number; height: number } {
  const crop = page.getCropBox();
  const media = page.getMediaBox();
  // The crop box as corners, clipped to the media box (PDF 32000-1 §14.11.2); a box with no area falls back to the media box.
  const clip = (a: number, b: number, lo: number, hi: number) => [Math.max(Math.min(a, b), lo), Math.min(Math.max(a, b), hi)] as const;
  const [mx0, mx1] = [Math.min(media.x, media.x + media.width), Math.max(media.x, media.x + media.width)];
  const [my0, my1] = [Math.min(media.y, media.y + media.height), Math.max(media.y, media.y + media.height)];
  let [x0, x1] = clip(crop.x, crop.x + crop.width, mx0, mx1);
  let [y0, y1] = clip(crop.y, crop.y + crop.height, my0, my1);
  if (x1 <= x0 || y1 <= y0) [x0, x1, y0, y1] = [mx0, mx1, my0, my1];
  const w = x1 - x0;
  const h = y1 - y0;
  const rotation = (((Math.round(page.getRotation().angle / 90) * 90) % 360) + 360) % 360;
  switch (rotation) {
    case 90:
      return { matrix: [0, 1, -1, 0, x1, y0], width: h, height: w };
    case 180:
      return { matrix: [-1, 0, 0, -1, x1, y1], width: w, height: h };
    case 270:
      return { matrix: [0, -1, 1, 0, x0, y1], width: h, height: w };
    default:
      return { matrix: [1, 0, 0, 1, x0, y0], width: w, height: h };
  }
}

function drawGrid(page: PDFPage): void {
  page.drawRectangle({ x: 0, y: 0, width: BOX_WIDTH, height: BOX_HEIGHT, borderColor: RED, borderWidth: LINE_WIDTH });
  const line = (start: { x: number; y: number }, end: { x: number; y: number }) => page.drawLine({ start, end, thickness: LINE_WIDTH, color: RED });
  line({ x: 0, y: CELL_HEIGHT }, { x: BOX_WIDTH, y: CELL_HEIGHT });
  for (let column = 1; column < COLUMNS; column++) line({ x: column * CELL_WIDTH, y: 0 }, { x: column * CELL_WIDTH, y: BOX_HEIGHT });
}

/** One value, centred in its cell; a run of characters per font piece. */
function drawCell(page: PDFPage, fonts: Fonts, value: string, column: number, row: number): void {
  const room = CELL_WIDTH - 2 * CELL_PADDING;
  let text = [...value.replace(/\s+/g, ' ').trim()].map((ch) => (fonts.has(ch) ? ch : MISSING)).join('');
  let size = Math.min(TEXT_SIZE, room / Math.max(widthAt(fonts, text, 1), 1e-6));
  if (size < MIN_TEXT_SIZE) {
    size = MIN_TEXT_SIZE;
    const chars = [...text];
    while (chars.length > 1 && widthAt(fonts, chars.join('') + ELLIPSIS, size) > room) chars.pop();
    text = chars.join('') + ELLIPSIS;
  }
  let x = column * CELL_WIDTH + (CELL_WIDTH - widthAt(fonts, text, size)) / 2;
  const y = row * CELL_HEIGHT + CELL_HEIGHT / 2 - GLYPH_MIDDLE * size;
  for (const run of runs(fonts, text)) {
    page.drawText(run.text, { x, y, size, font: run.font, color: RED });
    x += run.font.widthOfTextAtSize(run.text, size);
  }
}

function widthAt(fonts: Fonts, text: string, size: number): number {
  return runs(fonts, text).reduce((sum, run) => sum + run.font.widthOfTextAtSize(run.text, size), 0);
}

/** The text cut where the font piece changes. */
function runs(fonts: Fonts, text: string): { text: string; font: PDFFont }[] {
  const out: { text: string; font: PDFFont }[] = [];
  for (const ch of text) {
    const font = fonts.get(ch)!;
    const last = out.at(-1);
    if (last?.font === font) last.text += ch;
    else out.push({ text: ch, font });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fonts: the pieces of Noto Sans SC that hold the stamp's characters.

/** Which embedded font draws each character; characters no piece holds are absent. */
type Fonts = Map<string, PDFFont>;

const FONT_PACKAGE = STAMP_NODE_MODULES[0]!;
const FONT_WEIGHT = 400;

interface FontPiece {
  readonly file: string;
  readonly ranges: readonly (readonly [number, number])[];
}

let pieces: FontPiece[] | undefined;
const pieceBytes = new Map<string, Uint8Array>();

/** The pieces, from the package's unicode.json (`"[116]": "U+4e00-4e8f,U+…"`, `"latin": …`), read once per container. */
function fontPieces(): FontPiece[] {
  if (pieces) return pieces;
  const require = createRequire(import.meta.url);
  const table = JSON.parse(readFileSync(require.resolve(`${FONT_PACKAGE}/unicode.json`), 'utf8')) as Record<string, string>;
  pieces = Object.entries(table).map(([key, ranges]) => ({
    file: `${FONT_PACKAGE}/files/noto-sans-sc-${key.replace(/^\[(.*)\]$/, '$1')}-${FONT_WEIGHT}-normal.woff`,
    ranges: ranges.split(',').map((range) => {
      const [from, to] = range.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(from!, 16), parseInt(to ?? from!, 16)] as const;
    }),
  }));
  return pieces;
}

function readPiece(file: string): Uint8Array {
  let bytes = pieceBytes.get(file);
  if (!bytes) {
    bytes = readFileSync(createRequire(import.meta.url).resolve(file));
    pieceBytes.set(file, bytes);
  }
  return bytes;
}

/**
 * For each character, the piece to draw it with: as few pieces as cover the text (those holding
 * most of its characters first; digits and Latin letters are in several). Characters no piece
 * holds are left out.
 */
function piecesFor(text: string): Map<string, FontPiece> {
  const holders = new Map<string, FontPiece[]>();
  for (const ch of new Set(text)) {
    const code = ch.codePointAt(0)!;
    const found = fontPieces().filter((piece) => piece.ranges.some(([from, to]) => code >= from && code <= to));
    if (found.length > 0) holders.set(ch, found);
  }
  const chosen = new Map<string, FontPiece>();
  while (chosen.size < holders.size) {
    const counts = new Map<FontPiece, number>();
    for (const [ch, found] of holders) if (!chosen.has(ch)) for (const piece of found) counts.set(piece, (counts.get(piece) ?? 0) + 1);
    const [best] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
    for (const [ch, found] of holders) if (!chosen.has(ch) && found.includes(best)) chosen.set(ch, best);
  }
  for (const piece of new Set(chosen.values())) readPiece(piece.file);
  return chosen;
}

/** Embeds each chosen piece once, cut down to the glyphs drawn. */
async function embedPieces(doc: PDFDocument, chosen: Map<string, FontPiece>): Promise<Fonts> {
  doc.registerFontkit(fontkit);
  const embedded = new Map<FontPiece, PDFFont>();
  const fonts: Fonts = new Map();
  for (const [ch, piece] of chosen) {
    let font = embedded.get(piece);
    if (!font) {
      font = await doc.embedFont(readPiece(piece.file), { subset: true });
      embedded.set(piece, font);
    }
    fonts.set(ch, font);
  }
  return fonts;
}
