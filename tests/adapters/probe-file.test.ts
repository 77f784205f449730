import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import pngjs from 'pngjs';
import UTIF from 'utif2';
import { describe, expect, it } from 'vitest';
import { probeFile } from '../../functions/adapters/files/probe-file.ts';

/** Node's own, as this file's process starts (before any PDF is read). */
const NODE_BUILT_INS = { stringify: JSON.stringify, parse: JSON.parse, push: Array.prototype.push };

// Every fixture is made here: PDFs by pdf-lib or by hand (encryption), images by their encoders,
// OFD packages by fflate.

async function pdfWithPages(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= count; i++) doc.addPage().drawText(`Page ${i}`, { x: 72, y: 760, size: 12, font });
  return doc.save();
}

/** A PDF written object by object, with a correct cross-reference table. */
function handPdf(objects: string[], trailer: string): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

const PAGE_TREE = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
const FILE_ID = '0123456789abcdef0123456789abcdef';

/** Standard security handler, revision 2 (40-bit RC4), PDF 1.7 §7.6.3.3–4. */
const PASSWORD_PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

const md5 = (...parts: Uint8Array[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PAD]).subarray(0, 32);

/**
 * Encrypted with an owner password only: it opens without a password (the user password is empty)
 * but restricts printing and copying. It has no strings or streams, so nothing else needs encrypting.
 */
function ownerPasswordPdf(): Uint8Array {
  const permissions = -44;
  const owner = rc4(md5(padded('owner')).subarray(0, 5), padded(''));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(padded(''), owner, p, Buffer.from(FILE_ID, 'hex')).subarray(0, 5);
  const user = rc4(key, PASSWORD_PAD);
  return handPdf(
    [...PAGE_TREE, `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P ${permissions} >>`],
    `/Encrypt 4 0 R /ID [<${FILE_ID}> <${FILE_ID}>]`,
  );
}

/** An /Encrypt dictionary whose user key matches no password: a reader asks for one. */
function userPasswordPdf(): Uint8Array {
  const bytes32 = (seed: number) => Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 17) & 0xff).toString(16).padStart(2, '0')).join('');
  return handPdf([...PAGE_TREE, `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${bytes32(7)}> /U <${bytes32(11)}> /P -44 >>`], `/Encrypt 4 0 R /ID [<${FILE_ID}> <${FILE_ID}>]`);
}

/** RGBA pixels of a small gradient. */
function pixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.fill((i / 4) % 256, i, i + 3).writeUInt8(255, i + 3);
  return data;
}

function png(width = 40, height = 30): Uint8Array {
  const image = new pngjs.PNG({ width, height });
  pixels(width, height).copy(image.data);
  return pngjs.PNG.sync.write(image);
}

function jpegImage(width = 40, height = 30): Uint8Array {
  return jpeg.encode({ width, height, data: pixels(width, height) }, 80).data;
}

/** An uncompressed RGBA TIFF with one page per size (utif2 writes the directories). */
function tiff(sizes: [number, number][]): Uint8Array {
  const START = 4096;
  let offset = START;
  const ifds = sizes.map(([w, h]) => {
    const ifd = { t256: [w], t257: [h], t258: [8, 8, 8, 8], t259: [1], t262: [2], t273: [offset], t277: [4], t278: [h], t279: [w * h * 4], t284: [1], t338: [1] };
    offset += w * h * 4;
    return ifd;
  });
  const bytes = new Uint8Array(offset).fill(200);
  bytes.set(new Uint8Array(UTIF.encode(ifds as never)));
  return bytes;
}

/** The TIFF with the Compression tag (259) of its first directory set to `value`. */
function withCompression(file: Uint8Array, value: number): Uint8Array {
  const out = file.slice();
  const view = new DataView(out.buffer);
  const le = out[0] === 0x49;
  const ifd = view.getUint32(4, le);
  for (let i = 0, count = view.getUint16(ifd, le); i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, le) === 259) {
      view.setUint16(entry + 8, value, le);
      return out;
    }
  }
  throw new Error('no Compression tag');
}

const OFD_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo><ofd:DocID>6a1f2c0e8b3d4e5f</ofd:DocID><ofd:Title>关于开展安全生产检查的通知</ofd:Title></ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
  </ofd:DocBody>
</ofd:OFD>`;

const documentXml = (pages: number) => `<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016">
  <ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>
  <ofd:Pages>
${Array.from({ length: pages }, (_, i) => `    <ofd:Page ID="${i + 1}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('\n')}
  </ofd:Pages>
</ofd:Document>`;

const CONTENT_XML = '<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content/></ofd:Page>';

function ofdFiles(pages = 2): Record<string, string> {
  const files: Record<string, string> = { 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': documentXml(pages) };
  for (let i = 0; i < pages; i++) files[`Doc_0/Pages/Page_${i}/Content.xml`] = CONTENT_XML;
  return files;
}

function ofd(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

/** The package with the encryption bit (general purpose flag bit 0) set on one entry, as a zip tool that encrypts writes it. */
function withEncryptedEntry(zip: Uint8Array, name: string): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const end = out.length - 22;
  let at = view.getUint32(end + 16, true);
  for (let i = 0, count = view.getUint16(end + 10, true); i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(out.subarray(at + 46, at + 46 + nameLength)) === name) {
      const local = view.getUint32(at + 42, true);
      view.setUint16(at + 8, view.getUint16(at + 8, true) | 1, true);
      view.setUint16(local + 6, view.getUint16(local + 6, true) | 1, true);
      return out;
    }
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  throw new Error(`no entry ${name}`);
}

describe('probeFile', () => {
  describe('PDF', () => {
    it('opens a PDF and counts its pages', async () => {
      expect(await probeFile(await pdfWithPages(3), 'application/pdf')).toEqual({ type: 'pdf', opens: true, pages: 3, encrypted: false });
    });

    it('says a PDF that asks for a password is encrypted and does not open', async () => {
      expect(await probeFile(userPasswordPdf(), 'application/pdf')).toMatchObject({ type: 'pdf', opens: false, encrypted: true, code: 'encrypted' });
    });

    it('says a PDF encrypted with an owner password only is encrypted, though it opens without one', async () => {
      const probe = await probeFile(ownerPasswordPdf(), 'application/pdf');
      expect(probe).toMatchObject({ type: 'pdf', opens: false, encrypted: true, code: 'encrypted', pages: 1 });
      expect(probe.reason).toMatch(/^文件已加密.*。The file is encrypted/);
    });

    it('opens the same hand-written PDF without the /Encrypt dictionary (the check above is about encryption)', async () => {
      expect(await probeFile(handPdf(PAGE_TREE, ''), 'application/pdf')).toEqual({ type: 'pdf', opens: true, pages: 1, encrypted: false });
    });

    it('says a PDF cut short is corrupt', async () => {
      const whole = await pdfWithPages(3);
      expect(await probeFile(whole.subarray(0, Math.floor(whole.length * 0.7)), 'application/pdf')).toMatchObject({ type: 'pdf', opens: false, encrypted: false, code: 'corrupt' });
    });

    it('says random bytes behind a PDF header are corrupt, without throwing', async () => {
      let seed = 42;
      const garbage = Uint8Array.from({ length: 50_000 }, () => (seed = (seed * 1_103_515_245 + 12_345) >>> 0) >>> 24);
      garbage.set(new TextEncoder().encode('%PDF-1.7\n'));
      expect(await probeFile(garbage, 'application/pdf')).toMatchObject({ type: 'pdf', opens: false, code: 'corrupt' });
    });

    it('leaves the caller’s bytes as they were', async () => {
      const bytes = await pdfWithPages(2);
      const before = createHash('sha256').update(bytes).digest('hex');
      await probeFile(bytes, 'application/pdf');
      expect(bytes.byteLength).toBeGreaterThan(0);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(before);
    });
  });

  describe('images', () => {
    it('decodes a PNG as one page', async () => {
      expect(await probeFile(png(), 'image/png')).toEqual({ type: 'png', opens: true, pages: 1, encrypted: false });
    });

    it('says a PNG cut short is corrupt', async () => {
      const whole = png(200, 150);
      expect(await probeFile(whole.subarray(0, whole.length - 200), 'image/png')).toMatchObject({ type: 'png', opens: false, code: 'corrupt' });
    });

    it('decodes a JPEG as one page, declared image/jpg too', async () => {
      expect(await probeFile(jpegImage(), 'image/jpeg')).toEqual({ type: 'jpeg', opens: true, pages: 1, encrypted: false });
      expect(await probeFile(jpegImage(), 'image/jpg')).toMatchObject({ opens: true });
    });

    it('says a JPEG cut short is corrupt', async () => {
      const whole = jpegImage(200, 150);
      expect(await probeFile(whole.subarray(0, Math.floor(whole.length / 2)), 'image/jpeg')).toMatchObject({ type: 'jpeg', opens: false, code: 'corrupt' });
    });

    it('decodes a TIFF written by utif2', async () => {
      const single = new Uint8Array(UTIF.encodeImage(pixels(40, 30), 40, 30));
      expect(await probeFile(single, 'image/tiff')).toEqual({ type: 'tiff', opens: true, pages: 1, encrypted: false });
    });

    it('counts the pages of a multi-page TIFF', async () => {
      expect(await probeFile(tiff([[30, 20], [20, 30], [10, 10]]), 'image/tiff')).toEqual({ type: 'tiff', opens: true, pages: 3, encrypted: false });
    });

    it('refuses a TIFF compressed other than by a standard scheme (here JPEG 2000)', async () => {
      const probe = await probeFile(withCompression(tiff([[30, 20]]), 34712), 'image/tiff');
      expect(probe).toMatchObject({ type: 'tiff', opens: false, encrypted: false, code: 'proprietary-compression' });
      expect(probe.reason).toContain('34712');
    });

    it('says a TIFF whose pixels are missing is corrupt', async () => {
      const whole = tiff([[30, 20]]);
      expect(await probeFile(whole.subarray(0, 4096 + 100), 'image/tiff')).toMatchObject({ type: 'tiff', opens: false, code: 'corrupt' });
    });
  });

  describe('OFD', () => {
    it('opens a package whose OFD.xml names a Document.xml, and counts its pages', async () => {
      expect(await probeFile(ofd(ofdFiles(2)), 'application/ofd')).toEqual({ type: 'ofd', opens: true, pages: 2, encrypted: false });
    });

    it('says a ZIP without OFD.xml is not a valid OFD', async () => {
      const { 'OFD.xml': _, ...rest } = ofdFiles(2);
      const probe = await probeFile(ofd(rest), 'application/ofd');
      expect(probe).toMatchObject({ type: 'ofd', opens: false, code: 'corrupt' });
      expect(probe.reason).toContain('OFD.xml');
    });

    it('says an OFD whose DocRoot names a missing entry is corrupt', async () => {
      const { 'Doc_0/Document.xml': _, ...rest } = ofdFiles(2);
      expect(await probeFile(ofd(rest), 'application/ofd')).toMatchObject({ opens: false, code: 'corrupt', reason: expect.stringContaining('Doc_0/Document.xml') });
    });

    it('says an OFD whose page content is missing is corrupt', async () => {
      const { 'Doc_0/Pages/Page_1/Content.xml': _, ...rest } = ofdFiles(2);
      expect(await probeFile(ofd(rest), 'application/ofd')).toMatchObject({ opens: false, code: 'corrupt', reason: expect.stringContaining('page 2') });
    });

    it('says a package with an encrypted ZIP entry is encrypted', async () => {
      const probe = await probeFile(withEncryptedEntry(ofd(ofdFiles(2)), 'Doc_0/Pages/Page_0/Content.xml'), 'application/ofd');
      expect(probe).toMatchObject({ type: 'ofd', opens: false, encrypted: true, code: 'encrypted' });
    });

    it('says a package encrypted as GM/T 0099 describes (Encryptions.xml at the root) is encrypted', async () => {
      const files = { ...ofdFiles(1), 'Encryptions.xml': '<?xml version="1.0" encoding="UTF-8"?><Encryptions/>' };
      expect(await probeFile(ofd(files), 'application/ofd')).toMatchObject({ opens: false, encrypted: true, code: 'encrypted' });
    });

    it('says a package cut short is corrupt', async () => {
      const whole = ofd(ofdFiles(2));
      expect(await probeFile(whole.subarray(0, whole.length - 30), 'application/ofd')).toMatchObject({ type: 'ofd', opens: false, code: 'corrupt' });
    });
  });

  describe('any type', () => {
    it('says an empty file is empty', async () => {
      expect(await probeFile(new Uint8Array(), 'application/pdf')).toMatchObject({ type: 'unknown', opens: false, encrypted: false, code: 'empty' });
    });

    it('refuses bytes of one type declared as another, naming both', async () => {
      const probe = await probeFile(png(), 'application/pdf');
      expect(probe).toMatchObject({ type: 'png', opens: false, encrypted: false, code: 'type-mismatch' });
      expect(probe.reason).toMatch(/PNG.*application\/pdf/);
    });

    it('goes by the bytes when the declared type says nothing (octet-stream)', async () => {
      expect(await probeFile(await pdfWithPages(1), 'application/octet-stream')).toMatchObject({ type: 'pdf', opens: true, pages: 1 });
    });

    it('refuses a format it does not know (an executable)', async () => {
      expect(await probeFile(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'application/pdf')).toMatchObject({ type: 'unknown', opens: false, code: 'unsupported' });
    });
  });
});

describe('pdfjs in the process', () => {
  it('leaves JSON and arrays as Node made them after reading a PDF (on Node 20 its legacy build’s core-js replaced JSON.stringify with a far slower one, for every later response)', async () => {
    expect((await probeFile(await pdfWithPages(1), 'application/pdf')).pages).toBe(1);
    expect(JSON.stringify).toBe(NODE_BUILT_INS.stringify);
    expect(JSON.parse).toBe(NODE_BUILT_INS.parse);
    expect(Array.prototype.push).toBe(NODE_BUILT_INS.push);
  });
});
