/**
 * bench/ocr: how well scanned pages read. Renders a 通知 (发文机关标志, 文号, title, body, 落款 and
 * date, laid out after GB/T 9704: 3号 serif body, 28 characters a line) in Noto CJK at 300 dpi on
 * A4, spoils it (clean, light noise, skewed 1° and 2°), saves it as PNG, TIFF and an image-only PDF,
 * reads each through extractText, and prints the character error rate (edit distance over
 * characters, whitespace removed, / expected length), the seconds per page and the processor seconds
 * per page (both threads; the figure to trust on a busy machine), with medians.
 *   npm run bench:ocr
 *   VARIANTS=clean,noise,skew1,skew2 FORMATS=png,tiff,pdf PAGES=1   which pages (PAGES: documents, ≤ 3)
 *   DPI=300                                                       the scans' resolution
 *   OCR_DPI=200 PSM=3 DATA=4.0.0_best_int DESKEW=1                    OCR tuning (functions/adapters/text OcrTuning)
 *   SHOW=1 prints what was read; DUMP=folder saves each page's file
 *   COMPARE=1   instead: each tuning tried on the clean PNG pages (median of the 3 documents) and a 2° one
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts, type Canvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import UTIF from 'utif2';
import { createOcr, extractText, type OcrTuning } from '../functions/adapters/text/extract-text.ts';

const FONTS = '/usr/share/fonts/opentype/noto';
for (const face of ['NotoSerifCJK-Regular.ttc', 'NotoSerifCJK-Bold.ttc', 'NotoSansCJK-Regular.ttc']) GlobalFonts.registerFromPath(`${FONTS}/${face}`);
const SERIF = '"Noto Serif CJK SC"';

const VARIANTS = list('VARIANTS', 'clean,noise,skew1,skew2') as Variant[];
const FORMATS = list('FORMATS', 'png,tiff,pdf') as Format[];
const PAGES = Math.min(3, Number(process.env.PAGES ?? 1));
const TUNING: OcrTuning = {
  ...(process.env.OCR_DPI ? { dpi: Number(process.env.OCR_DPI) } : {}),
  ...(process.env.PSM ? { psm: process.env.PSM as OcrTuning['psm'] } : {}),
  ...(process.env.DATA ? { data: process.env.DATA as OcrTuning['data'] } : {}),
  ...(process.env.DESKEW !== undefined ? { deskew: process.env.DESKEW !== '0' } : {}),
};

type Variant = 'clean' | 'noise' | 'skew1' | 'skew2';
type Format = 'png' | 'tiff' | 'pdf';

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// The documents

interface Notice {
  readonly issuer: string;
  readonly number: string;
  readonly title: string;
  readonly addressee: string;
  readonly body: string;
  readonly signer: string;
  readonly date: string;
}

const NOTICES: readonly Notice[] = [
  {
    issuer: '示范市财政局文件',
    number: '示财〔2026〕45号',
    title: '关于开展2026年度安全生产大检查的通知',
    addressee: '各区县财政局，局机关各处室、直属单位：',
    body:
      '为深入贯彻落实安全生产责任制，切实防范和遏制各类生产安全事故，经研究，决定于12月在全系统开展安全生产大检查。' +
      '检查范围包括办公场所、档案库房、信息机房及公务车辆。各单位要对照检查清单逐项自查，建立问题台账，于12月15日前将自查报告报送局办公室。' +
      '联系人：王明，电话：0371-65432100。',
    signer: '示范市财政局',
    date: '2026年11月27日',
  },
  {
    issuer: '示范市人民政府办公室文件',
    number: '示政办〔2026〕118号',
    title: '关于做好2027年元旦春节期间值班工作的通知',
    addressee: '各县（市、区）人民政府，市政府各部门：',
    body:
      '元旦春节将至，为确保节日期间各项工作正常运转，现就值班工作通知如下：各单位要严格落实领导带班和24小时值班制度，' +
      '值班人员须坚守岗位，保持通讯畅通。遇有重大突发事件，要按规定在30分钟内电话报告、1小时内书面报告市政府总值班室，不得迟报、漏报。',
    signer: '示范市人民政府办公室',
    date: '2026年12月20日',
  },
  {
    issuer: '示范市档案局文件',
    number: '示档〔2026〕7号',
    title: '关于印发《机关档案数字化工作规范》的通知',
    addressee: '各有关单位：',
    body:
      '现将《机关档案数字化工作规范》印发给你们，请结合实际认真贯彻执行。纸质档案扫描分辨率不低于300dpi，' +
      '彩色页面采用24位色彩模式，扫描图像应清晰完整、无缺页漏页。执行中遇到的问题，请及时反馈市档案局业务指导处。',
    signer: '示范市档案局',
    date: '2026年11月27日',
  },
];

/** The text the page shows, in reading order, for the error rate. */
function expectedText(notice: Notice): string {
  return [notice.issuer, notice.number, notice.title, notice.addressee, notice.body, notice.signer, notice.date].join('');
}

const DPI = Number(process.env.DPI ?? 300);
const MM = DPI / 25.4;
const PT = DPI / 72;
const A4 = { width: Math.round(210 * MM), height: Math.round(297 * MM) };

/** GB/T 9704 layout: 版心 156 × 225 mm from 37 mm top, 28 mm left; 3号 (16 pt) body, 22 lines. */
function renderNotice(notice: Notice): Canvas {
  const canvas = createCanvas(A4.width, A4.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, A4.width, A4.height);
  const left = 28 * MM;
  const width = 156 * MM;
  const centre = left + width / 2;
  const body = 16 * PT;
  const lineHeight = (225 * MM) / 22;
  let y = 37 * MM + 25 * MM;

  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'center';
  ctx.fillStyle = '#d01010';
  ctx.font = `bold ${Math.round(width / (notice.issuer.length + 1))}px ${SERIF}`;
  ctx.fillText(notice.issuer, centre, y);
  y += 35 * MM;
  ctx.fillStyle = '#000000';
  ctx.font = `${body}px ${SERIF}`;
  ctx.fillText(notice.number, centre, y);
  y += 4 * MM;
  ctx.fillStyle = '#d01010';
  ctx.fillRect(left, y, width, 1 * MM);
  y += lineHeight * 2;

  ctx.fillStyle = '#000000';
  ctx.font = `bold ${22 * PT}px ${SERIF}`;
  for (const line of wrap(ctx, notice.title, width)) {
    ctx.fillText(line, centre, y);
    y += lineHeight * 1.2;
  }
  y += lineHeight * 0.8;

  ctx.textAlign = 'left';
  ctx.font = `${body}px ${SERIF}`;
  ctx.fillText(notice.addressee, left, y);
  y += lineHeight;
  const indent = body * 2;
  wrap(ctx, notice.body, width, indent).forEach((line, i) => {
    ctx.fillText(line, left + (i === 0 ? indent : 0), y);
    y += lineHeight;
  });
  y += lineHeight * 2;
  ctx.textAlign = 'right';
  ctx.fillText(notice.signer, left + width - body * 4, y);
  y += lineHeight;
  ctx.fillText(notice.date, left + width - body * 4, y);
  return canvas;
}

function wrap(ctx: ReturnType<Canvas['getContext']>, text: string, width: number, firstIndent = 0): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    const room = width - (lines.length === 0 ? firstIndent : 0);
    if (line && ctx.measureText(line + ch).width > room) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Spoiling and saving

/** A small seeded generator, so every run spoils the pages alike. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Light scanner noise: Gaussian grain (σ 12 of 255) and 0.2 % salt-and-pepper specks. */
function addNoise(canvas: Canvas): Canvas {
  const ctx = canvas.getContext('2d');
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const px = image.data;
  const next = random(42);
  for (let i = 0; i < px.length; i += 4) {
    const r = next();
    if (r < 0.001) {
      px[i] = px[i + 1] = px[i + 2] = 0;
      continue;
    }
    if (r < 0.002) {
      px[i] = px[i + 1] = px[i + 2] = 255;
      continue;
    }
    const grain = Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next()) * 12;
    px[i] = px[i]! + grain;
    px[i + 1] = px[i + 1]! + grain;
    px[i + 2] = px[i + 2]! + grain;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function rotate(canvas: Canvas, degrees: number): Canvas {
  const out = createCanvas(canvas.width, canvas.height);
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.translate(out.width / 2, out.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(canvas, -canvas.width / 2, -canvas.height / 2);
  // @napi-rs/canvas applies the transform to putImageData too (browsers do not): leave none behind.
  ctx.resetTransform();
  return out;
}

function spoil(page: Canvas, variant: Variant): Canvas {
  switch (variant) {
    case 'clean':
      return page;
    case 'noise':
      return addNoise(rotate(page, 0));
    case 'skew1':
      return rotate(page, 1);
    case 'skew2':
      return rotate(page, 2);
  }
}

/** The page as the format's file: PNG; uncompressed RGBA TIFF; a PDF page with the scan as a JPEG and no text layer. */
async function save(page: Canvas, format: Format): Promise<{ bytes: Uint8Array; contentType: string }> {
  switch (format) {
    case 'png':
      return { bytes: await page.encode('png'), contentType: 'image/png' };
    case 'tiff': {
      const rgba = page.getContext('2d').getImageData(0, 0, page.width, page.height).data;
      return { bytes: new Uint8Array(UTIF.encodeImage(new Uint8Array(rgba.buffer), page.width, page.height)), contentType: 'image/tiff' };
    }
    case 'pdf': {
      const doc = await PDFDocument.create();
      const jpeg = await doc.embedJpg(await page.encode('jpeg', 90));
      const sheet = doc.addPage([(210 / 25.4) * 72, (297 / 25.4) * 72]);
      sheet.drawImage(jpeg, { x: 0, y: 0, width: sheet.getWidth(), height: sheet.getHeight() });
      return { bytes: await doc.save(), contentType: 'application/pdf' };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Levenshtein distance over code points. */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

function cer(expected: string, read: string, fold = false): number {
  const norm = (s: string) => (fold ? s.normalize('NFKC') : s).replace(/\s/g, '');
  const e = norm(expected);
  return editDistance(e, norm(read)) / [...e].length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`.padStart(8);
const MB = 1024 * 1024;

interface Row {
  variant: string;
  format: string;
  cer: number;
  folded: number;
  seconds: number;
  /** Processor time of this process (both threads: extractText's and the OCR worker's), steady under a busy machine. */
  cpu: number;
  source: string;
}

async function readPage(ocr: ReturnType<typeof createOcr>, notice: Notice, variant: Variant, format: Format): Promise<Row & { text: string }> {
  const file = await save(spoil(renderNotice(notice), variant), format);
  if (process.env.DUMP) writeFileSync(join(process.env.DUMP, `${NOTICES.indexOf(notice) + 1}-${variant}.${format}`), file.bytes);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await extractText(file.bytes, file.contentType, { ocr });
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpuBefore);
  const text = result.pages.map((p) => p.text).join('\n');
  const expected = expectedText(notice);
  return { variant, format, cer: cer(expected, text), folded: cer(expected, text, true), seconds, cpu: (user + system) / 1e6, source: result.pages[0]?.source ?? '-', text };
}

async function bench(): Promise<void> {
  console.log(`OCR bench: ${A4.width}×${A4.height} px (A4, ${DPI} dpi), tuning ${JSON.stringify(TUNING)}; CER = edit distance / expected characters, whitespace removed; "NFKC" also folds full-width/half-width forms`);
  const ocr = createOcr(TUNING);
  const rows: Row[] = [];
  let peak = process.memoryUsage().rss;
  try {
    // The worker's start (wasm core, 1.7 MB traineddata) and the first load of pdfjs, the decoders
    // and the canvas are timed apart, not charged to the first page.
    const warm = performance.now();
    const small = createCanvas(400, 100);
    small.getContext('2d').fillRect(20, 20, 300, 40);
    for (const format of FORMATS) {
      const file = await save(small, format);
      await extractText(file.bytes, file.contentType, { ocr });
    }
    console.log(`worker start and first load: ${((performance.now() - warm) / 1000).toFixed(2)} s, resident ${(process.memoryUsage().rss / MB).toFixed(0)} MB\n`);
    console.log(`${'variant'.padEnd(8)} ${'format'.padEnd(6)} ${'page'.padEnd(4)} ${'CER'.padStart(8)} ${'NFKC'.padStart(8)} ${'s/page'.padStart(7)} ${'cpu s'.padStart(6)}  source`);
    for (let n = 0; n < PAGES; n++) {
      for (const variant of VARIANTS) {
        for (const format of FORMATS) {
          const row = await readPage(ocr, NOTICES[n]!, variant, format);
          peak = Math.max(peak, process.memoryUsage().rss);
          rows.push(row);
          console.log(`${variant.padEnd(8)} ${format.padEnd(6)} ${String(n + 1).padEnd(4)} ${pct(row.cer)} ${pct(row.folded)} ${row.seconds.toFixed(2).padStart(7)} ${row.cpu.toFixed(2).padStart(6)}  ${row.source}`);
          if (process.env.SHOW) console.log(`  ${row.text.replace(/\n/g, '⏎')}`);
        }
      }
    }
  } finally {
    await ocr.close();
  }
  console.log('\nmedians');
  for (const variant of VARIANTS) {
    const of = rows.filter((r) => r.variant === variant);
    console.log(`${variant.padEnd(8)} ${'all'.padEnd(6)} ${''.padEnd(4)} ${pct(median(of.map((r) => r.cer)))} ${pct(median(of.map((r) => r.folded)))} ${median(of.map((r) => r.seconds)).toFixed(2).padStart(7)} ${median(of.map((r) => r.cpu)).toFixed(2).padStart(6)}`);
  }
  console.log(`${'all'.padEnd(8)} ${'all'.padEnd(6)} ${''.padEnd(4)} ${pct(median(rows.map((r) => r.cer)))} ${pct(median(rows.map((r) => r.folded)))} ${median(rows.map((r) => r.seconds)).toFixed(2).padStart(7)} ${median(rows.map((r) => r.cpu)).toFixed(2).padStart(6)}`);
  const clean = rows.filter((r) => r.variant === 'clean');
  if (clean.length) console.log(`\nclean pages: median CER ${pct(median(clean.map((r) => r.cer))).trim()} (goal ≤ 5 %), worst ${pct(Math.max(...clean.map((r) => r.cer))).trim()}`);
  // Under tsx, which also holds pdfjs's transformed source: bundled (as in Lambda) the same pages peak near 570 MB.
  console.log(`peak resident memory of this process (the bench's own canvases, extractText and the OCR worker): ${(peak / MB).toFixed(0)} MB`);
}

/** The clean PNG pages of every document and one 2° page, read under each tuning tried while choosing the defaults. */
async function compare(): Promise<void> {
  const tunings: OcrTuning[] = [
    { dpi: 300, psm: '6', deskew: false },
    { dpi: 300, psm: '3', deskew: true },
    { dpi: 200, psm: '6', deskew: false },
    { dpi: 200, psm: '3', deskew: false },
    { dpi: 200, psm: '3', deskew: true },
    { dpi: 200, psm: '4', deskew: true },
    { dpi: 150, psm: '3', deskew: true },
    { dpi: 200, psm: '3', deskew: true, data: '4.0.0' },
  ];
  console.log(`scans: ${A4.width}×${A4.height} px (A4, ${DPI} dpi) PNG, scaled by extractText to the tuning's dpi`);
  console.log(`${'tuning'.padEnd(60)} ${'clean'.padStart(8)} ${'NFKC'.padStart(8)} ${'skew 2°'.padStart(8)} ${'s/page'.padStart(7)}`);
  for (const tuning of tunings) {
    const ocr = createOcr(tuning);
    try {
      const clean = [];
      for (const notice of NOTICES) clean.push(await readPage(ocr, notice, 'clean', 'png'));
      const skewed = await readPage(ocr, NOTICES[0]!, 'skew2', 'png');
      const seconds = median([...clean, skewed].map((r) => r.seconds));
      console.log(`${JSON.stringify(tuning).padEnd(60)} ${pct(median(clean.map((r) => r.cer)))} ${pct(median(clean.map((r) => r.folded)))} ${pct(skewed.cer)} ${seconds.toFixed(2).padStart(7)}`);
    } finally {
      await ocr.close();
    }
  }
}

await (process.env.COMPARE ? compare() : bench());
