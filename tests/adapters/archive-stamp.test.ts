import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { degrees, PDFDict, PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { afterAll, describe, expect, it } from 'vitest';
import { stampFirstPage, StampError, type StampData } from '../../functions/adapters/files/archive-stamp.ts';
import { loadPdfjs } from '../../functions/adapters/files/pdfjs.ts';

// Fixtures are made here by pdf-lib; the stamped copies are read back by pdfjs, the reader the
// archive's text extraction uses, so what is checked is what a reader finds.

const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
const STAMP: StampData = { fonds: 'Z123', year: 2026, itemNumber: '0003', organ: '办公室', retention: '30年', pages: 5 };
const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts/');
/** Kept for a person to look at (gitignored); the folder may not exist yet in a fresh clone. */
const ARTIFACT = new URL('../artifacts/archive-stamp.png', import.meta.url);

interface Options {
  readonly rotate?: number;
  /** [x0, y0, x1, y1]. */
  readonly cropBox?: [number, number, number, number];
  /** Both pages use one Resources dictionary, by reference, as many producers write them. */
  readonly sharedResources?: boolean;
  /** false: a classic cross-reference table and trailer. */
  readonly objectStreams?: boolean;
}

/** Two A4 pages with a line of text each, like a filed 件. */
async function twoPages({ rotate = 0, cropBox, sharedResources = false, objectStreams = true }: Options = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const n of [1, 2]) {
    const page = doc.addPage(A4);
    page.drawText(`Notice on the safety inspection, page ${n}`, { x: 72, y: 700, size: 14, font });
    if (n === 1) {
      page.setRotation(degrees(rotate));
      if (cropBox) page.setCropBox(cropBox[0], cropBox[1], cropBox[2] - cropBox[0], cropBox[3] - cropBox[1]);
    }
  }
  if (sharedResources) {
    const [first, second] = doc.getPages();
    const ref = doc.context.register(first!.node.Resources()!);
    first!.node.set(PDFName.of('Resources'), ref);
    second!.node.set(PDFName.of('Resources'), ref);
  }
  return doc.save({ useObjectStreams: objectStreams });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// --- Reading back with pdfjs ------------------------------------------------------------------

let pdfjs: typeof import('pdfjs-dist/legacy/build/pdf.mjs') | undefined;
const opened: { destroy(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(opened.map((task) => task.destroy()));
});

async function open(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  if (!pdfjs) {
    pdfjs = await loadPdfjs();
  }
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: pdfjs.VerbosityLevel.ERRORS });
  opened.push(task);
  return task.promise;
}

/** The page's text items, each with where a reader sees it: x from the left and y from the top of the page as shown, in points. */
async function seenText(page: PDFPageProxy): Promise<{ str: string; x: number; y: number; width: number }[]> {
  const viewport = page.getViewport({ scale: 1 });
  const { items } = await page.getTextContent();
  return items
    .filter((item): item is TextItem => 'str' in item && item.str.trim().length > 0)
    .map((item) => {
      const [, , , , e, f] = item.transform as number[];
      const [x, y] = viewport.convertToViewportPoint(e!, f!);
      return { str: item.str, x: x!, y: y!, width: item.width };
    });
}

async function pageText(page: PDFPageProxy): Promise<string> {
  return (await seenText(page)).map((item) => item.str).join('');
}

describe('stampFirstPage', () => {
  it('writes the six values on page 1, Chinese included, as text a reader extracts (the font carries its Unicode map)', async () => {
    const stamped = await open(await stampFirstPage(await twoPages(), STAMP));
    const text = await pageText(await stamped.getPage(1));
    for (const value of ['Z123', '2026', '0003', '办公室', '30年', '5']) expect(text).toContain(value);
    expect(text).toContain('Notice on the safety inspection, page 1');
  });

  it.each([0, 90, 180, 270])('puts the stamp at the top right of the page as a reader sees it, turned by /Rotate %i, inside an offset crop box', async (rotate) => {
    const cropBox: [number, number, number, number] = [20, 30, 575, 800];
    const stamped = await open(await stampFirstPage(await twoPages({ rotate, cropBox }), STAMP));
    const page = await stamped.getPage(1);
    const { width } = page.getViewport({ scale: 1 });
    expect(width).toBeCloseTo(rotate % 180 === 0 ? 555 : 770, 0);
    const stampItems = (await seenText(page)).filter((item) => !item.str.startsWith('Notice'));
    expect(stampItems.map((item) => item.str).join('')).toBe('Z12320260003办公室30年5');
    // The box: 45 mm × 14 mm, 10 mm from the top and right edges.
    const [left, right, top, bottom] = [width - 55 * MM, width - 10 * MM, 10 * MM, 24 * MM];
    for (const item of stampItems) {
      expect(item.x).toBeGreaterThan(left);
      expect(item.x + item.width).toBeLessThan(right);
      expect(item.y).toBeGreaterThan(top);
      expect(item.y).toBeLessThan(bottom);
    }
    // Row 1 above row 2, and the values of a row left to right.
    const at = (str: string) => stampItems.find((item) => item.str.startsWith(str))!;
    expect(at('Z123').y).toBeLessThan(at('办').y);
    expect(at('Z123').x).toBeLessThan(at('2026').x);
    expect(at('2026').x).toBeLessThan(at('0003').x);
  });

  it('keeps the page count, and page 2 as it was, also when page 2 shares page 1’s resources', async () => {
    const original = await twoPages({ sharedResources: true });
    const output = await stampFirstPage(original, STAMP);
    const [before, after] = [await open(original), await open(output)];
    expect(after.numPages).toBe(2);
    const [pageBefore, pageAfter] = [await before.getPage(2), await after.getPage(2)];
    expect(await pageText(pageAfter)).toBe(await pageText(pageBefore));
    expect((await pageAfter.getOperatorList()).fnArray).toEqual((await pageBefore.getOperatorList()).fnArray);
    // The stamp's fonts went into page 1's own copy of the resources.
    const fontNames = async (bytes: Uint8Array, index: number) => {
      const page = (await PDFDocument.load(bytes)).getPage(index);
      return page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict).keys().map(String);
    };
    expect(await fontNames(output, 1)).toEqual(await fontNames(original, 1));
    expect((await fontNames(output, 0)).length).toBeGreaterThan((await fontNames(original, 0)).length);
  });

  it('leaves the input bytes as they were, and adds little (only the glyphs drawn are embedded)', async () => {
    // Written as the stamped copy is (a classic cross-reference table), so the difference is the stamp's.
    const original = await twoPages({ objectStreams: false });
    const hash = sha256(original);
    const output = await stampFirstPage(original, STAMP);
    expect(sha256(original)).toBe(hash);
    const added = output.length - original.length;
    console.info(`archive stamp: ${original.length} → ${output.length} bytes (+${added})`);
    expect(added).toBeLessThan(60_000);
  });

  it('counts the PDF’s pages when no page count is given', async () => {
    const { pages: _, ...withoutPages } = STAMP;
    const stamped = await open(await stampFirstPage(await twoPages(), withoutPages));
    const stampItems = (await seenText(await stamped.getPage(1))).filter((item) => !item.str.startsWith('Notice'));
    expect(stampItems.map((item) => item.str).join('')).toBe('Z12320260003办公室30年2');
  });

  it('draws a character no font piece holds as "?", and shrinks then cuts a long name to fit its cell', async () => {
    const stamped = await open(await stampFirstPage(await twoPages(), { ...STAMP, fonds: 'Z\u{10fffd}1', organ: '某某市某某区人民政府办公室综合科文书档案室' }));
    const page = await stamped.getPage(1);
    const text = await pageText(page);
    expect(text).toContain('Z?1');
    expect(text).toMatch(/某某市.*…/u);
    expect(text).not.toContain('档案室');
    // The organ's cell: the first of row 2, 15 mm wide.
    const { width } = page.getViewport({ scale: 1 });
    const organ = (await seenText(page)).filter((item) => item.y > 17 * MM && item.x < width - 40 * MM && !item.str.startsWith('Notice'));
    expect(organ.length).toBeGreaterThan(0);
    for (const item of organ) {
      expect(item.x).toBeGreaterThan(width - 55 * MM);
      expect(item.x + item.width).toBeLessThan(width - 40 * MM);
    }
  });

  it('refuses an encrypted PDF', async () => {
    const plain = new TextDecoder('latin1').decode(await twoPages({ objectStreams: false }));
    const encrypted = plain.replace(/trailer\s*<</, (start) => `${start} /Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -44 >>`);
    expect(encrypted).not.toBe(plain);
    await expect(stampFirstPage(Uint8Array.from(encrypted, (ch) => ch.charCodeAt(0)), STAMP)).rejects.toMatchObject({ name: 'StampError', code: 'encrypted' });
  });

  it('refuses bytes that are not a PDF', async () => {
    const error = await stampFirstPage(new TextEncoder().encode('%PDF-1.7\nnot really a PDF at all'), STAMP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StampError);
    expect(error).toMatchObject({ code: 'corrupt' });
  });

  it('shows the stamp in red at the top right when the page is rendered (saved for a person to look at)', async () => {
    const stamped = await open(await stampFirstPage(await twoPages(), STAMP));
    const page = await stamped.getPage(1);
    const viewport = page.getViewport({ scale: 2 });
    const canvas = createCanvas(Math.floor(viewport.width), Math.floor(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as unknown as Parameters<PDFPageProxy['render']>[0]['canvas'], viewport }).promise;
    mkdirSync(dirname(fileURLToPath(ARTIFACT)), { recursive: true });
    writeFileSync(ARTIFACT, await canvas.encode('png'));
    // Red pixels (the stamp) only in its box, and inside each of its six cells (the values, drawn
    // in glyphs: a font embedded without its outlines would leave the cells blank).
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const px = 2 * MM;
    const [boxLeft, boxTop] = [width - 55 * px, 10 * px];
    const cells = [0, 0, 0, 0, 0, 0];
    let outside = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (!(data[i]! > 150 && data[i + 1]! < 100 && data[i + 2]! < 100)) continue;
        const [u, v] = [(x - boxLeft) / px, (y - boxTop) / px];
        if (u < -1 || u > 46 || v < -1 || v > 15) outside++;
        // Inside a cell, 1 mm clear of its lines.
        const [column, row] = [Math.floor(u / 15), Math.floor(v / 7)];
        if (column >= 0 && column < 3 && row >= 0 && row < 2 && u - column * 15 > 1 && u - column * 15 < 14 && v - row * 7 > 1 && v - row * 7 < 6) cells[row * 3 + column]!++;
      }
    }
    for (const count of cells) expect(count).toBeGreaterThan(20);
    expect(outside).toBe(0);
  });
});
