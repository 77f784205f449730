import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import UTIF from 'utif2';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  cleanOcrText,
  createOcr,
  extractText,
  joinTextItems,
  TextExtractionError,
  type Ocr,
  type TextFailure,
} from '../../functions/adapters/text/extract-text.ts';

// Fixtures are made here, not committed: text drawn in Noto CJK (fonts-noto-cjk), PDFs written by
// pdf-lib or by hand where pdf-lib cannot (a CJK text layer, encryption).
GlobalFonts.registerFromPath('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
const FONT = '"Noto Sans CJK SC"';

/** One tesseract worker for the whole file: OCR is read on two small images only. */
const ocr = createOcr();
afterAll(() => ocr.close());

/** Lines of text, black on white, 40 px high (about 3号 at 200 dpi, the resolution pages are read at). */
function textImage(lines: string[], format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const canvas = createCanvas(720, 60 + lines.length * 70);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = `40px ${FONT}`;
  lines.forEach((line, i) => ctx.fillText(line, 30, 80 + i * 70));
  return format === 'png' ? canvas.encode('png') : canvas.encode('jpeg', 90);
}

/** An OCR double: says which page image it was given (its size), and counts the calls. */
function sizeReader(onRead: () => void = () => {}): Ocr & { calls: number } {
  const reader = {
    calls: 0,
    async recognize(image: Uint8Array) {
      reader.calls++;
      onRead();
      // extractText hands pages over as PGM: "P5 <width> <height> 255", then the grey bytes.
      const [, width, height] = /^P5\s+(\d+)\s+(\d+)/.exec(new TextDecoder().decode(image.subarray(0, 32)))!;
      return `${width}x${height}`;
    },
    async close() {},
  };
  return reader;
}

const noOcr: Ocr = {
  recognize: () => Promise.reject(new Error('OCR was not expected')),
  close: async () => {},
};

/** PDF pages with an image each (at 200 dpi) and no text layer, as a scanner writes them. */
async function imagePdf(images: Buffer[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const bytes of images) {
    const image = await doc.embedJpg(bytes);
    const size = image.scale(72 / 200);
    doc.addPage([size.width, size.height]).drawImage(image, { x: 0, y: 0, ...size });
  }
  return doc.save();
}

async function latinPdf(pages: string[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 72, y: 760 - i * 24, size: 14, font }));
  }
  return doc.save();
}

/** A PDF written object by object, with a correct cross-reference table. */
function handWrittenPdf(objects: string[], trailer = ''): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const ucs2 = (text: string) => `<${[...text].map((ch) => ch.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}>`;

/**
 * One page of Chinese text in the non-embedded Adobe font STSong-Light, encoded UniGB-UCS2-H: the
 * text layer can only be read through pdfjs's CMaps. `runs`: [x, y, text].
 */
function chinesePdf(runs: [number, number, string][], trailer = '', extra: string[] = []): Uint8Array {
  const content = runs.map(([x, y, text]) => `BT /F1 24 Tf ${x} ${y} Td ${ucs2(text)} Tj ET`).join('\n');
  return handWrittenPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
      '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>',
      '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
      ...extra,
    ],
    trailer,
  );
}

/** Standard security handler, RC4 40-bit, with a user password: /U does not match the empty one. */
function encryptedPdf(): Uint8Array {
  const hex32 = (seed: number) => `<${Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 17) & 0xff).toString(16).padStart(2, '0')).join('')}>`;
  return chinesePdf([[72, 760, '机密文件，请输入密码后阅读全文内容。']], '/Encrypt 8 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]', [
    `<< /Filter /Standard /V 1 /R 2 /Length 40 /O ${hex32(7)} /U ${hex32(11)} /P -44 >>`,
  ]);
}

/** A TIFF with one uncompressed RGBA page per size, white with a black top quarter (utif2 writes the directories). */
function multiPageTiff(sizes: [number, number][]): Uint8Array {
  const START = 4096;
  let offset = START;
  const pages: [number, number][] = [];
  const ifds = sizes.map(([w, h]) => {
    const ifd = { t256: [w], t257: [h], t258: [8, 8, 8, 8], t259: [1], t262: [2], t273: [offset], t277: [4], t278: [h], t279: [w * h * 4], t284: [1], t338: [1] };
    pages.push([offset, w * h]);
    offset += w * h * 4;
    return ifd;
  });
  const bytes = new Uint8Array(offset).fill(255);
  // The first quarter of each page's bytes (its top quarter) black: a page with ink on it, which is read.
  for (const [at, pixels] of pages) for (let i = at; i < at + pixels; i += 4) bytes.fill(0, i, i + 3);
  bytes.set(new Uint8Array(UTIF.encode(ifds as never)));
  return bytes;
}

/** A TIFF directory claiming a size, with no pixels behind it. */
function tiffHeader(width: number, height: number): Uint8Array {
  return new Uint8Array(UTIF.encode([{ t256: [width], t257: [height], t258: [8], t259: [1], t262: [1], t273: [0], t277: [1], t278: [height], t279: [0] }] as never));
}

/** A PNG header claiming a size, with no pixels behind it (IHDR, then IEND). */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(45);
  bytes.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], 33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytes;
}

async function failure(promise: Promise<unknown>): Promise<TextExtractionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TextExtractionError);
  return error as TextExtractionError;
}

async function expectFailure(promise: Promise<unknown>, reason: TextFailure): Promise<void> {
  const error = await failure(promise);
  expect(error.reason).toBe(reason);
  expect(error.name).toBe('TextExtractionError');
  // A message a clerk can read, in Chinese and in English.
  expect(error.message).toMatch(/\p{Script=Han}.*。.*[A-Za-z]/u);
}

describe('extractText: OCR of scans (tesseract, chi_sim)', () => {
  it('reads a Chinese title and a 发文字号 from a PNG scan', async () => {
    const png = await textImage(['关于开展安全生产检查的通知', '示财〔2026〕45号']);

    const result = await extractText(png, 'image/png', { ocr });

    expect(result.pageCount).toBe(1);
    expect(result.next).toBeUndefined();
    const [page] = result.pages;
    expect(page).toMatchObject({ page: 1, source: 'ocr' });
    expect(page!.text).toContain('安全生产');
    expect(page!.text).toContain('45号');
    // No spaces between Chinese characters, one line per line.
    expect(page!.text).not.toMatch(/\p{Script=Han} \p{Script=Han}/u);
    expect(page!.text.split('\n')).toHaveLength(2);
  });

  it('reads an image-only PDF page (a JPEG scan, no text layer) by OCR', async () => {
    const pdf = await imagePdf([await textImage(['机关档案数字化工作规范'], 'jpeg')]);

    const result = await extractText(pdf, 'application/pdf', { ocr });

    expect(result.pages).toHaveLength(1);
    expect(result.pages[0]!.source).toBe('ocr');
    expect(result.pages[0]!.text).toContain('档案数字化');
  });
});

describe('extractText: PDF text layers', () => {
  it('reads Chinese text through the CMaps without OCR: one run per line joined without spaces, a new line per baseline', async () => {
    const pdf = chinesePdf([
      [72, 760, '关于开展'],
      [72 + 4 * 24, 760, '安全生产检查的通知'],
      [72, 720, '示财〔2026〕45号'],
      [72, 680, '各区县财政局：'],
    ]);

    const result = await extractText(pdf, 'application/pdf', { ocr: noOcr });

    expect(result).toEqual({ pageCount: 1, pages: [{ page: 1, source: 'text-layer', text: '关于开展安全生产检查的通知\n示财〔2026〕45号\n各区县财政局：' }] });
  });

  it('reads by OCR a scan under a short line an office system stamped on it, and keeps the longer reading', async () => {
    const doc = await PDFDocument.load(await imagePdf([await textImage(['扫描件'], 'jpeg')]));
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.getPage(0).drawText('Generated by OA 2026-11-27 09:00 page 1/1', { x: 4, y: 4, size: 6, font });
    const reader: Ocr = { recognize: async () => 'Generated by OA 2026-11-27 09:00 page 1/1\n关于开展安全生产大检查的通知，请各单位认真组织自查并按时报送自查报告。', close: async () => {} };

    const result = await extractText(await doc.save(), 'application/pdf', { ocr: reader });

    expect(result.pages[0]).toMatchObject({ source: 'ocr', text: expect.stringContaining('安全生产大检查') });
  });

  it('keeps the spaces between Latin words, page by page', async () => {
    const pdf = await latinPdf([
      ['Annual safety inspection report', 'Finance Bureau, 27 November 2026'],
      ['Second page of the annual report'],
    ]);

    const result = await extractText(pdf, 'application/pdf', { ocr: noOcr });

    expect(result.pageCount).toBe(2);
    expect(result.pages).toEqual([
      { page: 1, source: 'text-layer', text: 'Annual safety inspection report\nFinance Bureau, 27 November 2026' },
      { page: 2, source: 'text-layer', text: 'Second page of the annual report' },
    ]);
  });
});

describe('extractText: pages, deadlines and limits', () => {
  it('reads each page of a multi-page TIFF as its own page', async () => {
    const reader = sizeReader();

    const result = await extractText(multiPageTiff([[120, 80], [90, 60]]), 'image/tiff', { ocr: reader });

    expect(result.pageCount).toBe(2);
    expect(result.pages).toEqual([
      { page: 1, source: 'ocr', text: '120x80' },
      { page: 2, source: 'ocr', text: '90x60' },
    ]);
  });

  it('turns a camera JPEG upright as its EXIF orientation says before reading it', async () => {
    const canvas = createCanvas(120, 80);
    canvas.getContext('2d').fillRect(0, 0, 120, 20);
    const jpeg = await canvas.encode('jpeg', 90);
    // APP1 "Exif": a big-endian TIFF directory with one entry, Orientation (0x0112) = 6, a quarter turn clockwise.
    const exif = [0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
    const turned = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, exif.length + 2, ...exif, ...jpeg.subarray(2)]);

    const result = await extractText(turned, 'image/jpeg', { ocr: sizeReader() });

    expect(result.pages[0]!.text).toBe('80x120');
  });

  it('does not spend OCR on a blank scanned page', async () => {
    const canvas = createCanvas(600, 800);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 600, 800);
    const pdf = await imagePdf([await canvas.encode('jpeg', 90)]);

    const result = await extractText(pdf, 'application/pdf', { ocr: noOcr });

    expect(result.pages).toEqual([{ page: 1, source: 'ocr', text: '' }]);
  });

  it('starts no page after the deadline and says which page comes next; a later call goes on from there', async () => {
    const scans = await Promise.all([1, 2, 3].map((n) => textImage([`第${n}页`], 'jpeg')));
    const pdf = await imagePdf(scans);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-27T09:00:00+08:00'));
      const deadline = Date.now() + 1000;
      // Each page takes 600 ms: page 2 starts at +600, page 3 would start at +1200.
      const slow = sizeReader(() => vi.setSystemTime(Date.now() + 600));

      const first = await extractText(pdf, 'application/pdf', { ocr: slow, deadline });
      expect(first.pages.map((p) => p.page)).toEqual([1, 2]);
      expect(first).toMatchObject({ pageCount: 3, next: 3 });

      const rest = await extractText(pdf, 'application/pdf', { ocr: slow, fromPage: first.next, deadline: Date.now() + 1000 });
      expect(rest.pages.map((p) => p.page)).toEqual([3]);
      expect(rest.next).toBeUndefined();

      const late = await extractText(pdf, 'application/pdf', { ocr: slow, deadline: Date.now() - 1 });
      expect(late).toEqual({ pages: [], pageCount: 3, next: 1 });
      expect(slow.calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses more pages than maxPages before reading any', async () => {
    const reader = sizeReader();
    await expectFailure(extractText(await latinPdf([['one'], ['two'], ['three']]), 'application/pdf', { ocr: reader, maxPages: 2 }), 'too-many-pages');
    await expectFailure(extractText(multiPageTiff([[8, 8], [8, 8], [8, 8]]), 'image/tiff', { ocr: reader, maxPages: 2 }), 'too-many-pages');
    expect(reader.calls).toBe(0);
  });

  it('refuses an image over 60 megapixels without decoding it', async () => {
    await expectFailure(extractText(pngHeader(10_000, 8_000), 'image/png', { ocr: noOcr }), 'too-large');
    await expectFailure(extractText(tiffHeader(10_000, 8_000), 'image/tiff', { ocr: noOcr }), 'too-large');
  });
});

describe('extractText: input that has no text to give', () => {
  it('says a file of 0 bytes is empty', async () => {
    await expectFailure(extractText(new Uint8Array(0), 'application/pdf', { ocr: noOcr }), 'empty');
    await expectFailure(extractText(new Uint8Array(0), 'image/png', { ocr: noOcr }), 'empty');
  });

  it('says garbage and truncated files are corrupt', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff);
    const png = await textImage(['截断']);
    await expectFailure(extractText(garbage, 'application/pdf', { ocr: noOcr }), 'corrupt');
    await expectFailure(extractText(garbage, 'image/png', { ocr: noOcr }), 'corrupt');
    await expectFailure(extractText(garbage, 'image/jpeg', { ocr: noOcr }), 'corrupt');
    await expectFailure(extractText(png.subarray(0, 200), 'image/png', { ocr: noOcr }), 'corrupt');
    await expectFailure(extractText(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog'), 'application/pdf', { ocr: noOcr }), 'corrupt');
    await expectFailure(extractText(multiPageTiff([[8, 8]]).subarray(0, 64), 'image/tiff', { ocr: noOcr }), 'corrupt');
  });

  it('says a TIFF whose directories point in a circle is corrupt, rather than following them for ever', async () => {
    const loop = new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0, 8, 0, 0, 0]);
    await expectFailure(extractText(loop, 'image/tiff', { ocr: noOcr }), 'corrupt');
  });

  it('says a password-protected PDF is encrypted', async () => {
    await expectFailure(extractText(encryptedPdf(), 'application/pdf', { ocr: noOcr }), 'encrypted');
  });

  it('refuses other types (Word, HTML) as unsupported, whatever the bytes', async () => {
    await expectFailure(extractText(new Uint8Array([1, 2, 3]), 'application/msword', { ocr: noOcr }), 'unsupported');
    await expectFailure(extractText(new Uint8Array([1, 2, 3]), 'text/html; charset=utf-8', { ocr: noOcr }), 'unsupported');
  });
});

describe('text clean-up', () => {
  it('takes the spaces tesseract puts between Chinese characters out, and keeps those between Latin words', () => {
    expect(cleanOcrText('关 于 开 展 安 全 生 产 检 查 的 通 知\r\n请 于 2026 年 12 月 15 日 前 登录 www.example.gov.cn 提交\r\nISO 9001 audit')).toBe(
      '关于开展安全生产检查的通知\n请于2026年12月15日前登录www.example.gov.cn提交\nISO 9001 audit',
    );
  });

  it('sets half-width punctuation after Chinese full-width and gives 发文字号 their 〔〕 back', () => {
    expect(cleanOcrText('各 区 县 财 政 局 , 局 机 关 各 处 室 :')).toBe('各区县财政局，局机关各处室：');
    expect(cleanOcrText('电 话 : 0371-65432100 , 时间 9:30')).toBe('电话：0371-65432100，时间9:30');
    expect(cleanOcrText('示 财 【2026]j 45 号')).toBe('示财〔2026〕45号');
    expect(cleanOcrText('示政办 (2026] 118 号')).toBe('示政办〔2026〕118号');
  });

  it('joins text-layer items: a space between apart Latin items, none between Chinese ones, a new line per baseline', () => {
    const item = (str: string, x: number, y: number, width: number) => ({ str, transform: [12, 0, 0, 12, x, y], width, height: 12, hasEOL: false });
    expect(joinTextItems([item('Annual', 72, 700, 40), item('report', 116, 700, 36), item('关于', 72, 680, 24), item('通知', 100, 680, 24), item('第二行', 72, 660, 36)])).toBe(
      'Annual report\n关于通知\n第二行',
    );
  });
});
