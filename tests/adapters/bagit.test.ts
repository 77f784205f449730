/**
 * The handover package (移交包): BagIt (RFC 8493) in a tar, written and verified as a stream.
 * Bags are checked by our verifier and, after GNU tar extracts them, by `sha256sum -c`: an
 * implementation that shares no code with ours.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import tar, { type Header } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBag, writeBag, type BagEntry } from '../../functions/adapters/files/bag-writer.ts';
import {
  bagPathProblem,
  decodeManifestPath,
  manifestLine,
  parseManifest,
  parseTagFile,
  renderBagInfo,
} from '../../functions/domain/archive/bagit.ts';
import { measureBagMemory } from '../../bench/bag-memory.ts';

const MiB = 1024 * 1024;
const ROOT = 'Z123-2026-移交';
const INFO = {
  'Source-Organization': '某某市人民政府办公室',
  'External-Identifier': 'Z123-2026',
  'Bag-Count': '1 of 1',
  'Internal-Sender-Description': '2026 年度文书档案移交，共 5 件。 The yearly handover of filed documents from the general office to the city archive.',
  'Bagging-Date': '2026-06-30',
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function entry(path: string, body: Buffer, declared: Partial<Pick<BagEntry, 'size' | 'sha256'>> = {}): BagEntry {
  return { path, size: declared.size ?? body.length, sha256: declared.sha256, open: () => each([body]) };
}

/** 1.5 MiB of a pattern, made 64 KiB at a time as an S3 body delivers it. */
const BIG_SIZE = 1.5 * MiB;
function bigBody(): Buffer {
  const bytes = Buffer.alloc(BIG_SIZE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 12)) & 0xff;
  return bytes;
}
function streamedEntry(path: string, bytes: Buffer): BagEntry {
  return {
    path,
    size: bytes.length,
    sha256: sha256(bytes),
    open: async function* () {
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) yield Buffer.from(bytes.subarray(offset, offset + 64 * 1024));
    },
  };
}

// 120 characters, ASCII: past ustar's 100-byte name field, so the tar needs a pax record for it.
const LONG_PATH = `Z123-2026-D30-BGS-0005/files/${'long-scan-name-'.repeat(5)}${'y'.repeat(12)}.pdf`;
const SIGNED = Buffer.from('%PDF-1.7 发文稿 signed copy UNIQUE-MARKER-SIGNED\n');

function yearEntries(): BagEntry[] {
  return [
    entry('Z123-2026-D30-BGS-0003/files/发文稿.pdf', SIGNED, { sha256: sha256(SIGNED) }),
    entry('Z123-2026-D30-BGS-0003/files/签发单 (定稿).pdf', Buffer.from('签发单 UNIQUE-MARKER-FORM\n')),
    entry('Z123-2026-D30-BGS-0004/files/空白页.txt', Buffer.alloc(0)),
    streamedEntry('Z123-2026-D30-BGS-0004/files/扫描件.tif', bigBody()),
    entry(LONG_PATH, Buffer.from('long name UNIQUE-MARKER-LONG\n')),
  ];
}

async function* each<T>(items: Iterable<T>): AsyncIterable<T> {
  yield* items;
}

/** Writes a bag into memory (small test bags only). */
async function bagBytes(entries: BagEntry[], info: Record<string, string> = INFO) {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const summary = await writeBag(sink, ROOT, each(entries), info);
  return { summary, tar: Buffer.concat(chunks) };
}

/** A sink that drops what it is given and keeps the error it is destroyed with, as an upload would see it. */
function discardingSink(): PassThrough & { failure?: unknown } {
  const sink: PassThrough & { failure?: unknown } = new PassThrough();
  sink.on('error', (error) => (sink.failure = error));
  return sink.resume();
}

/** A readable of the bytes in chunks that split tar blocks, as a network body would. */
async function* chunked(bytes: Buffer, size = 7000): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function run(command: string, args: string[], cwd?: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Extracts the tar with GNU tar into a new directory; the bag's directory. */
function extracted(tarBytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'bangong-bag-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'bag.tar'), tarBytes);
  const untar = run('tar', ['-xf', 'bag.tar'], dir);
  expect(untar.status, untar.stderr).toBe(0);
  unlinkSync(join(dir, 'bag.tar'));
  return join(dir, ROOT);
}

/** The extracted bag tarred again by GNU tar (POSIX format): another writer's tar of the same bag. */
function retarred(bagDir: string): Buffer {
  const result = spawnSync('tar', ['--format=posix', '-cf', '-', ROOT], { cwd: join(bagDir, '..'), maxBuffer: 64 * MiB });
  expect(result.status, String(result.stderr)).toBe(0);
  return result.stdout;
}

describe('writeBag and verifyBag', () => {
  it('a year with Chinese names, an empty file, a streamed 1.5 MiB scan and a 120-character path verifies as valid', async () => {
    const { summary, tar: bytes } = await bagBytes(yearEntries());

    const payloadBytes = SIGNED.length + Buffer.byteLength('签发单 UNIQUE-MARKER-FORM\n') + BIG_SIZE + Buffer.byteLength('long name UNIQUE-MARKER-LONG\n');
    expect(summary).toMatchObject({ files: 5, bytes: payloadBytes, oxum: `${payloadBytes}.5` });
    expect(await verifyBag(chunked(bytes))).toEqual({ valid: true, files: 5, problems: [] });

    // The long name went into a pax record, the tar's standard place for it.
    const paxPaths: string[] = [];
    for await (const item of entriesOf(bytes)) {
      const pax = item.header.pax as { path?: string } | null | undefined;
      if (pax?.path) paxPaths.push(pax.path);
      for await (const _ of item);
    }
    expect(LONG_PATH).toHaveLength(120);
    expect(paxPaths).toContain(`${ROOT}/data/${LONG_PATH}`);
  });

  it('GNU tar extracts it and sha256sum -c accepts its manifest and tag manifest; a changed file fails sha256sum', async () => {
    const { summary, tar: bytes } = await bagBytes(yearEntries());
    const bag = extracted(bytes);

    expect(readFileSync(join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const info = readFileSync(join(bag, 'bag-info.txt'), 'utf8');
    expect(info).toContain(`Payload-Oxum: ${summary.oxum}\n`);
    expect(info).toContain('Source-Organization: 某某市人民政府办公室\n');
    expect(info).toContain('Bagging-Date: 2026-06-30\n');
    expect(info.split('\n').every((line) => line.length <= 79)).toBe(true);
    expect(sha256(readFileSync(join(bag, 'manifest-sha256.txt')))).toBe(summary.manifestSha256);

    const payload = run('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], bag);
    expect(payload.status, payload.stdout + payload.stderr).toBe(0);
    expect(payload.stdout.trim().split('\n')).toHaveLength(5);
    expect(payload.stdout).toContain(`data/${LONG_PATH}: OK`);
    expect(payload.stdout).toContain('data/Z123-2026-D30-BGS-0003/files/签发单 (定稿).pdf: OK');
    const tagFiles = run('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], bag);
    expect(tagFiles.status, tagFiles.stdout + tagFiles.stderr).toBe(0);
    expect(tagFiles.stdout).toBe('bagit.txt: OK\nmanifest-sha256.txt: OK\nbag-info.txt: OK\n');

    writeFileSync(join(bag, 'data/Z123-2026-D30-BGS-0003/files/发文稿.pdf'), 'altered');
    const altered = run('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], bag);
    expect(altered.status).not.toBe(0);
    expect(altered.stdout).toContain('data/Z123-2026-D30-BGS-0003/files/发文稿.pdf: FAILED');
  });

  it('one byte flipped inside a payload file in the tar makes the bag invalid, naming that file', async () => {
    const { tar: bytes } = await bagBytes(yearEntries());
    const at = bytes.indexOf('UNIQUE-MARKER-SIGNED');
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf('UNIQUE-MARKER-SIGNED', at + 1)).toBe(-1);
    bytes[at] = bytes[at]! ^ 0x01;

    expect(await verifyBag(chunked(bytes))).toEqual({
      valid: false,
      files: 5,
      problems: ['校验值不符：data/Z123-2026-D30-BGS-0003/files/发文稿.pdf。Checksum mismatch.'],
    });
  });

  it('a manifest line removed makes the bag invalid: the file is unlisted and the tag manifest no longer matches', async () => {
    const bag = extracted((await bagBytes(yearEntries())).tar);
    const manifestPath = join(bag, 'manifest-sha256.txt');
    const lines = readFileSync(manifestPath, 'utf8').split('\n');
    writeFileSync(manifestPath, lines.filter((line) => !line.includes('空白页.txt')).join('\n'));

    const check = await verifyBag(chunked(retarred(bag)));
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual([
      '清单未列出的文件：data/Z123-2026-D30-BGS-0004/files/空白页.txt。Not in manifest-sha256.txt.',
      '校验值不符：manifest-sha256.txt。Checksum mismatch.',
    ]);
  });

  it('a payload file missing and a changed Payload-Oxum are each reported; GNU tar’s own tar of an intact bag verifies', async () => {
    const bag = extracted((await bagBytes(yearEntries())).tar);
    expect(await verifyBag(chunked(retarred(bag)))).toMatchObject({ valid: true, files: 5 });

    unlinkSync(join(bag, 'data', LONG_PATH));
    const check = await verifyBag(chunked(retarred(bag)));
    expect(check).toMatchObject({ valid: false, files: 4 });
    expect(check.problems).toEqual([
      `缺少文件：data/${LONG_PATH}。File missing (listed in manifest-sha256.txt).`,
      expect.stringMatching(/^Payload-Oxum 不符：声明 \d+\.5，实际 \d+\.4。Payload-Oxum mismatch\.$/),
    ]);
  });

  it('a tar cut short is invalid, not a crash', async () => {
    const { tar: bytes } = await bagBytes(yearEntries());
    const check = await verifyBag(chunked(bytes.subarray(0, Math.floor(bytes.length / 2))));
    expect(check.valid).toBe(false);
    expect(check.problems[0]).toMatch(/^无法读取 tar 包：.*Unreadable tar\.$/);
  });

  it('names with %, CR and LF are percent-encoded in the manifest and verify', async () => {
    const odd = ['进度 100%.pdf', 'two\nlines.txt', 'carriage\rreturn.txt'];
    const { tar: bytes } = await bagBytes(odd.map((path, i) => entry(`Z123-2026-D10-BGS-0001/${path}`, Buffer.from(`body ${i}`))));
    expect(await verifyBag(chunked(bytes))).toEqual({ valid: true, files: 3, problems: [] });

    const manifest = await fileInTar(bytes, `${ROOT}/manifest-sha256.txt`);
    expect(manifest).toContain('  data/Z123-2026-D10-BGS-0001/进度 100%25.pdf\n');
    expect(manifest).toContain('  data/Z123-2026-D10-BGS-0001/two%0Alines.txt\n');
    expect(manifest).toContain('  data/Z123-2026-D10-BGS-0001/carriage%0Dreturn.txt\n');
  });

  it('a body whose SHA-256 differs from the declared one fails the export naming the path, and the sink is destroyed with that error', async () => {
    const sink = discardingSink();
    const entries = [entry('Z123-2026-D30-BGS-0003/files/发文稿.pdf', SIGNED, { sha256: sha256(Buffer.from('another file')) })];
    const failure = writeBag(sink, ROOT, each(entries), INFO);
    await expect(failure).rejects.toThrow(/^校验值不符：data\/Z123-2026-D30-BGS-0003\/files\/发文稿\.pdf（/);
    await expect(failure).rejects.toMatchObject({ name: 'UnprocessableError', code: 'bag-checksum' });
    // An upload reading the sink must abort, not store a partial tar as the package.
    expect(sink.destroyed).toBe(true);
    expect(sink.failure).toBe(await failure.catch((error: unknown) => error));
  });

  it.each([
    ['shorter', SIGNED.length + 1, `实际 ${SIGNED.length}`],
    ['longer', SIGNED.length - 1, `实际 超过 ${SIGNED.length - 1}`],
  ])('a body %s than its declared size fails the export naming the path', async (_, size, actual) => {
    const entries = [entry('Z123-2026-D30-BGS-0003/files/发文稿.pdf', SIGNED, { size })];
    const failure = writeBag(discardingSink(), ROOT, each(entries), INFO);
    await expect(failure).rejects.toThrow(`文件大小不符：data/Z123-2026-D30-BGS-0003/files/发文稿.pdf（应为 ${size} 字节，${actual}）。Size mismatch.`);
    await expect(failure).rejects.toMatchObject({ name: 'UnprocessableError', code: 'bag-size' });
  });

  it.each([
    ['../escape.pdf', '路径含空段、“.”或“..”：../escape.pdf'],
    ['/etc/passwd', '路径不能是绝对路径：/etc/passwd'],
    ['Z123\\files\\a.pdf', '路径不能含反斜杠'],
    ['a\0b.pdf', '路径不能含空字符：a\\u0000b.pdf'],
    ['Z123//a.pdf', '路径含空段'],
  ])('the unsafe path %j is refused before anything is opened', async (path, message) => {
    let opened = false;
    const unsafe: BagEntry = { path, size: 1, open: () => ((opened = true), each([Buffer.from('x')])) };
    await expect(writeBag(discardingSink(), ROOT, each([unsafe]), INFO)).rejects.toThrow(message);
    expect(opened).toBe(false);
  });

  it('a bag name that is not one plain directory name is refused, and the sink destroyed so no upload completes', async () => {
    const sink = discardingSink();
    await expect(writeBag(sink, '2026/移交', each(yearEntries()), INFO)).rejects.toThrow('包名不能含“/”：2026/移交');
    expect(sink.destroyed).toBe(true);
    await expect(writeBag(discardingSink(), '..', each(yearEntries()), INFO)).rejects.toThrow('路径含空段');
  });

  it('two paths that one case-insensitive file system would merge are refused', async () => {
    const entries = [entry('Z123/Scan.pdf', Buffer.from('a')), entry('Z123/scan.PDF', Buffer.from('b'))];
    await expect(writeBag(discardingSink(), ROOT, each(entries), INFO)).rejects.toThrow('路径重复（不区分大小写）：Z123/scan.PDF 与 Z123/Scan.pdf');
  });

  it('an empty year is still a bag: bagit.txt, an empty data/ directory and an empty manifest', async () => {
    const { summary, tar: bytes } = await bagBytes([]);
    expect(summary).toMatchObject({ files: 0, bytes: 0, oxum: '0.0' });
    expect(await verifyBag(chunked(bytes))).toEqual({ valid: true, files: 0, problems: [] });
    const bag = extracted(bytes);
    expect(run('test', ['-d', join(bag, 'data')]).status).toBe(0);
  });

  it('streams a 300 MiB bag from writeBag into verifyBag with resident memory rising by less than 64 MiB', async () => {
    // The largest scan is 128 MiB: holding any one file whole would break the limit on its own.
    const result = await measureBagMemory(300 * MiB);
    expect(result).toMatchObject({ payloadBytes: 300 * MiB, valid: true, problems: [] });
    expect(result.peakRssIncrease).toBeLessThan(64 * MiB);
  });
});

describe('BagIt tag files (RFC 8493)', () => {
  it('bag-info folds a long value before a space, keeps Chinese unbroken, and parses back to the same values', () => {
    const fields = [
      ['Source-Organization', '某某市人民政府办公室'],
      ['Internal-Sender-Description', 'The yearly handover of filed documents from the general office to the city archive, 2026.'],
      ['Internal-Sender-Identifier', '移交'.repeat(50)],
      ['Contact-Name', 'line one\nline two'],
    ] as const;
    const text = renderBagInfo(fields);
    expect(text).toBe(
      'Source-Organization: 某某市人民政府办公室\n' +
        'Internal-Sender-Description: The yearly handover of filed documents from the\n' +
        ' general office to the city archive, 2026.\n' +
        `Internal-Sender-Identifier: ${'移交'.repeat(50)}\n` +
        'Contact-Name: line one line two\n',
    );
    expect(parseTagFile(text)).toEqual({
      tags: [...fields.slice(0, 3), ['Contact-Name', 'line one line two']],
      malformedLines: [],
    });
    expect(() => renderBagInfo([['Bad: label', 'x']])).toThrow(TypeError);
  });

  it('manifest lines are sha256sum-compatible and percent-encode CR, LF and % only', () => {
    const line = manifestLine('AB'.repeat(32), 'data/a%b\r\n发文稿.pdf');
    expect(line).toBe(`${'ab'.repeat(32)}  data/a%25b%0D%0A发文稿.pdf\n`);
    expect(decodeManifestPath('a%25b%0d%0A%20')).toBe('a%b\r\n%20');
    expect(parseManifest(`${line}not a manifest line\n`)).toEqual({
      entries: [{ sha256: 'ab'.repeat(32), path: 'data/a%b\r\n发文稿.pdf' }],
      malformedLines: [2],
    });
  });

  it('paths: relative and UTF-8 are fine; absolute, .., backslash, NUL and empty segments are not', () => {
    expect(bagPathProblem('Z123-2026-D30-BGS-0003/files/发文稿.pdf')).toBeUndefined();
    expect(bagPathProblem('a/..b/c..')).toBeUndefined();
    for (const bad of ['', '/a', 'C:/a', 'a/../b', './a', 'a\\b', 'a\0b', 'a//b', 'a/', '\ud800x']) {
      expect(bagPathProblem(bad), JSON.stringify(bad)).toBeDefined();
    }
  });
});

async function fileInTar(bytes: Buffer, name: string): Promise<string> {
  for await (const item of entriesOf(bytes)) {
    const chunks: Buffer[] = [];
    for await (const chunk of item) chunks.push(chunk);
    if (item.header.name === name) return Buffer.concat(chunks).toString('utf8');
  }
  throw new Error(`${name} not in the tar`);
}

function entriesOf(bytes: Buffer): AsyncIterable<AsyncIterable<Buffer> & { header: Header }> {
  return tar.extract().end(bytes) as unknown as AsyncIterable<AsyncIterable<Buffer> & { header: Header }>;
}
