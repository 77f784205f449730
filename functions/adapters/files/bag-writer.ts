/**
 * The handover package (移交包): a BagIt bag (RFC 8493) inside one tar, written and verified as
 * a stream. A year is up to 10,000 items of 1–3 scans, many GB: bytes go from their source
 * (an S3 body) through a SHA-256 to the sink, one file at a time, and never the whole year nor a
 * whole file is held. What is held grows with the number of files (one manifest line each).
 * The tar is POSIX: ustar headers, with a pax record for a name longer than 100 bytes or not
 * ASCII, which GNU tar, bsdtar and Python's tarfile all read.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ExtractEvents, Header, Pack } from 'tar-stream';
import { UnprocessableError } from '../../domain/errors.ts';
import type { Text } from '../../domain/definitions/definition.ts';
import {
  BAG_INFO_FILE,
  DECLARATION_FILE,
  MANIFEST_FILE,
  PAYLOAD_DIR,
  TAG_MANIFEST_FILE,
  bagDeclaration,
  bagPathProblem,
  bagRootProblem,
  baggingDate,
  manifestLine,
  parseManifest,
  parsePayloadOxum,
  parseTagFile,
  pathCollisionKey,
  payloadOxum,
  problemLine,
  renderBagInfo,
  tagValue,
  visiblePath,
} from '../../domain/archive/bagit.ts';

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;
type TarEntry = ExtractEvents['entry'][1];
type EntrySink = ReturnType<Pack['entry']>;

export interface BagEntry {
  /** Path inside the payload (under data/), e.g. 'Z123-2026-D30-BGS-0003/files/发文稿.pdf'. */
  readonly path: string;
  /** Exact size in bytes (tar headers need it before the body); a body of another length fails the export. */
  readonly size: number;
  /** The bytes, streamed (an S3 body, or a Buffer wrapped). Called once, when the entry is written. */
  open(): Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
  /** If known, the SHA-256 the bytes must have (hex); a mismatch fails the export with the path named. */
  readonly sha256?: string;
}

export interface BagSummary {
  readonly files: number;
  readonly bytes: number;
  readonly oxum: string;
  readonly manifestSha256: string;
}

export const BAG_SOFTWARE_AGENT = 'Bangong bag-writer (RFC 8493)';

/**
 * Writes a tar holding `<root>/bagit.txt`, `<root>/data/...`, `<root>/manifest-sha256.txt`,
 * `<root>/bag-info.txt` and `<root>/tagmanifest-sha256.txt`. The tag files that depend on the
 * payload come after it: order inside a tar does not matter once extracted. `info` is written
 * to bag-info.txt in its order, followed by `Bagging-Date` (today in Beijing, unless given),
 * `Payload-Oxum` (always computed) and `Bag-Software-Agent` (unless given).
 *
 * The sink is ended when the tar is complete. On any failure (a bad path, a body of another
 * size or checksum, the sink failing) the sink is destroyed with the error instead, so that an
 * upload reading from it is aborted rather than completed with a partial tar.
 */
export async function writeBag(
  sink: NodeJS.WritableStream,
  root: string,
  entries: AsyncIterable<BagEntry>,
  info: Record<string, string>,
): Promise<BagSummary> {
  const pack = tar.pack();
  // The pack's error is the export's, kept in `failure`; without a listener it would be thrown.
  pack.on('error', () => {});
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    pack.destroy(error as Error);
  };
  // A generator source: pipeline then honours the sink's backpressure and destroys it on error.
  const piping = pipeline(async function* () {
    yield* pack;
  }, sink).catch(fail);

  let summary: BagSummary | undefined;
  try {
    summary = await packBag(pack, root, entries, info);
    pack.finalize();
  } catch (error) {
    fail(error);
  }
  await piping;
  if (failure !== undefined || !summary) throw failure;
  return summary;
}

function bagInfoFields(info: Record<string, string>, now: Date) {
  const given = Object.entries(info);
  const has = (label: string) => given.some(([name]) => name.toLowerCase() === label.toLowerCase());
  if (has('Payload-Oxum')) throw new TypeError('Payload-Oxum is computed from the payload, not passed in');
  return (oxum: string): Array<readonly [string, string]> => [
    ...given,
    ...(has('Bagging-Date') ? [] : [['Bagging-Date', baggingDate(now)] as const]),
    ['Payload-Oxum', oxum],
    ...(has('Bag-Software-Agent') ? [] : [['Bag-Software-Agent', BAG_SOFTWARE_AGENT] as const]),
  ];
}

async function packBag(pack: Pack, root: string, entries: AsyncIterable<BagEntry>, info: Record<string, string>): Promise<BagSummary> {
  const rootProblem = bagRootProblem(root);
  if (rootProblem) throw new UnprocessableError('bag-path', problemLine(rootProblem));
  const now = new Date();
  const bagInfo = bagInfoFields(info, now);
  // A bad label fails now, not after the payload has been streamed.
  renderBagInfo(bagInfo(payloadOxum(0, 0)));

  const tagHashes: string[] = [];
  const addTagFile = async (name: string, text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    await addEntry(pack, header(`${root}/${name}`, bytes.length, now), bytes).written;
    tagHashes.push(manifestLine(sha256Hex(bytes), name));
  };

  await addTagFile(DECLARATION_FILE, bagDeclaration());
  // The payload directory exists even in a bag with no files (RFC 8493 §2.1.2).
  await addEntry(pack, { name: `${root}/${PAYLOAD_DIR}`, type: 'directory', mode: 0o755, mtime: now }).written;

  const manifest: string[] = [];
  const seen = new Map<string, string>();
  let bytes = 0;
  for await (const entry of entries) {
    const path = checkedEntry(entry, seen);
    const body = await entry.open();
    const sha256 = await streamEntry(pack, header(`${root}/${PAYLOAD_DIR}/${path}`, entry.size, now), body, entry);
    manifest.push(manifestLine(sha256, `${PAYLOAD_DIR}/${path}`));
    bytes += entry.size;
  }

  const manifestText = manifest.join('');
  const oxum = payloadOxum(bytes, manifest.length);
  await addTagFile(MANIFEST_FILE, manifestText);
  await addTagFile(BAG_INFO_FILE, renderBagInfo(bagInfo(oxum)));
  const tagManifest = Buffer.from(tagHashes.join(''), 'utf8');
  await addEntry(pack, header(`${root}/${TAG_MANIFEST_FILE}`, tagManifest.length, now), tagManifest).written;
  return { files: manifest.length, bytes, oxum, manifestSha256: sha256Hex(Buffer.from(manifestText, 'utf8')) };
}

function checkedEntry(entry: BagEntry, seen: Map<string, string>): string {
  const { path } = entry;
  const problem = bagPathProblem(path);
  if (problem) throw new UnprocessableError('bag-path', problemLine(problem));
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw new UnprocessableError('bag-size', problemLine({ zh: `文件大小无效：${visiblePath(path)}（${entry.size}）`, en: 'Invalid size' }));
  }
  if (entry.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(entry.sha256)) {
    throw new UnprocessableError('bag-checksum', problemLine({ zh: `SHA-256 格式无效：${visiblePath(path)}`, en: 'Malformed SHA-256' }));
  }
  const key = pathCollisionKey(path);
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    throw new UnprocessableError(
      'bag-path',
      problemLine({ zh: `路径重复（不区分大小写）：${visiblePath(path)} 与 ${visiblePath(earlier)}`, en: 'Duplicate path (ignoring case)' }),
    );
  }
  seen.set(key, path);
  return path;
}

/** Streams one payload file into the tar; its SHA-256 (hex), after checking size and any expected checksum. */
async function streamEntry(pack: Pack, head: EntryHeader, body: AsyncIterable<Uint8Array>, entry: BagEntry): Promise<string> {
  const { stream, written } = addEntry(pack, head);
  const hash = createHash('sha256');
  const shown = `${PAYLOAD_DIR}/${visiblePath(entry.path)}`;
  const wrongSize = (actual: string) =>
    new UnprocessableError('bag-size', problemLine({ zh: `文件大小不符：${shown}（应为 ${entry.size} 字节，实际 ${actual}）`, en: 'Size mismatch' }));
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    // Checked before the chunk is written: bytes past the header's size would corrupt the tar.
    if (size > entry.size) throw wrongSize(`超过 ${entry.size}`);
    hash.update(chunk);
    if (!stream.write(asBuffer(chunk))) await drained(stream);
  }
  if (size !== entry.size) throw wrongSize(String(size));
  const sha256 = hash.digest('hex');
  if (entry.sha256 !== undefined && entry.sha256.toLowerCase() !== sha256) {
    throw new UnprocessableError('bag-checksum', problemLine({ zh: `校验值不符：${shown}（应为 ${entry.sha256.toLowerCase()}，实际 ${sha256}）`, en: 'Checksum mismatch' }));
  }
  stream.end(undefined);
  await written;
  return sha256;
}

function header(name: string, size: number, mtime: Date): EntryHeader {
  // tar-stream writes pax for non-ASCII names by itself; a long ASCII name gets pax too, rather
  // than ustar's prefix split, so every long name is stored the same way. A file of 8 GiB or
  // more does not fit ustar's size field: pax carries it.
  const long = Buffer.byteLength(name) > 100 || /[^\x20-\x7e]/.test(name);
  const huge = size > 0o77777777777;
  const pax = long || huge ? { ...(huge ? { size: String(size) } : {}) } : undefined;
  return { name, size, mode: 0o644, type: 'file', mtime, ...(pax ? { pax } : {}) };
}

/** Adds an entry; `written` settles when the pack has taken all of it (or failed). */
function addEntry(pack: Pack, head: EntryHeader, body?: Buffer): { stream: EntrySink; written: Promise<void> } {
  let stream!: EntrySink;
  const written = new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    stream = body === undefined ? pack.entry(head, done) : pack.entry(head, body, done);
  });
  // An entry fails with the pack: its error reaches `written`, and the export's error is the first one.
  stream.on('error', () => {});
  written.catch(() => {});
  return { stream, written };
}

/** Resolves when a stream that refused a write takes more; rejects if it closes first. */
function drained(stream: EntrySink | ReturnType<typeof tar.extract>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroying || stream.destroyed) return reject(new Error('stream closed'));
    const settle = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('stream closed'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface BagCheck {
  readonly valid: boolean;
  readonly files: number;
  readonly problems: readonly string[];
}

// Tag files read whole to be parsed; a manifest of 30,000 lines is about 5 MB.
const MAX_TAG_TEXT = 64 * 1024 * 1024;
const TEXT_TAG_FILES = new Set([DECLARATION_FILE, BAG_INFO_FILE, MANIFEST_FILE, TAG_MANIFEST_FILE]);

interface ReadFile {
  readonly sha256: string;
  readonly size: number;
  /** For the tag files that are parsed. */
  readonly text?: string;
}

/**
 * Reads a tar stream and verifies it as a bag: the declaration, every manifest entry present
 * with its SHA-256, no payload file missing from the manifest, Payload-Oxum and the tag
 * manifest when bag-info.txt and tagmanifest-sha256.txt are there (both optional in RFC 8493).
 * Only SHA-256 manifests are checked. Streamed: each file is hashed as it passes.
 *
 * A bag that is not valid gives `valid: false` with its problems, a tar that cannot be read
 * included; a source that fails to deliver its bytes rejects.
 */
export async function verifyBag(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): Promise<BagCheck> {
  const problems: Text[] = [];
  const payload = new Map<string, ReadFile>();
  const tags = new Map<string, ReadFile>();
  let root: string | undefined;

  const extract = tar.extract();
  let sourceError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
        if (!extract.write(typeof chunk === 'string' ? Buffer.from(chunk) : asBuffer(chunk))) await drained(extract);
      }
      extract.end(undefined);
    } catch (error) {
      // When the tar failed first, its error is reported by the reader below.
      if (extract.destroying) return;
      sourceError = error;
      extract.destroy(error as Error);
    }
  })();

  try {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      root ??= name.split('/')[0];
      const problem = bagPathProblem(name);
      if (problem || !name.startsWith(`${root}/`)) {
        if (!(entry.header.type === 'directory' && name === root)) {
          problems.push(problem ?? { zh: `包外的条目：${visiblePath(name)}`, en: `Entry outside the bag's directory ${root}` });
        }
        await drain(entry);
        continue;
      }
      const relative = name.slice(root!.length + 1);
      if (entry.header.type === 'directory') {
        await drain(entry);
        continue;
      }
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        problems.push({ zh: `不支持的条目类型（${entry.header.type}）：${visiblePath(relative)}`, en: 'Only regular files are allowed' });
        await drain(entry);
        continue;
      }
      const isPayload = relative.startsWith(`${PAYLOAD_DIR}/`);
      const files = isPayload ? payload : tags;
      if (files.has(relative)) problems.push({ zh: `tar 中重复的文件：${visiblePath(relative)}`, en: 'File appears twice in the tar' });
      files.set(relative, await hashEntry(entry, !isPayload && TEXT_TAG_FILES.has(relative), relative, problems));
    }
  } catch (error) {
    problems.push({ zh: `无法读取 tar 包：${error instanceof Error ? error.message : String(error)}`, en: 'Unreadable tar' });
  }
  await feeding;
  if (sourceError !== undefined) throw sourceError;

  if (root === undefined) problems.push({ zh: 'tar 包中没有文件', en: 'Empty tar' });
  else checkBag(payload, tags, problems);
  return { valid: problems.length === 0, files: payload.size, problems: problems.map(problemLine) };
}

async function hashEntry(entry: TarEntry, keepText: boolean, relative: string, problems: Text[]): Promise<ReadFile> {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.byteLength;
    if (keepText && size <= MAX_TAG_TEXT) kept.push(chunk);
  }
  if (!keepText) return { sha256: hash.digest('hex'), size };
  if (size > MAX_TAG_TEXT) {
    problems.push({ zh: `标签文件过大（超过 ${MAX_TAG_TEXT} 字节），未读取：${relative}`, en: 'Tag file too large to read' });
    return { sha256: hash.digest('hex'), size };
  }
  try {
    return { sha256: hash.digest('hex'), size, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(kept)) };
  } catch {
    problems.push({ zh: `标签文件不是 UTF-8：${relative}`, en: 'Tag file is not UTF-8' });
    return { sha256: hash.digest('hex'), size };
  }
}

async function drain(entry: TarEntry): Promise<void> {
  for await (const _ of entry);
}

function checkBag(payload: ReadonlyMap<string, ReadFile>, tags: ReadonlyMap<string, ReadFile>, problems: Text[]): void {
  checkDeclaration(tags.get(DECLARATION_FILE), problems);

  const manifest = tags.get(MANIFEST_FILE);
  if (!manifest) {
    const others = [...tags.keys()].filter((name) => /^manifest-[a-z0-9]+\.txt$/.test(name));
    problems.push(
      others.length > 0
        ? { zh: `没有 ${MANIFEST_FILE}（只校验 SHA-256，包中有：${others.join('、')}）`, en: 'Only SHA-256 manifests are verified' }
        : { zh: `缺少清单：${MANIFEST_FILE}`, en: 'Payload manifest missing' },
    );
  } else if (manifest.text !== undefined) {
    checkManifest(manifest.text, MANIFEST_FILE, payload, true, problems);
  }

  const info = tags.get(BAG_INFO_FILE)?.text;
  if (info !== undefined) checkBagInfo(info, payload, problems);

  const tagManifest = tags.get(TAG_MANIFEST_FILE)?.text;
  if (tagManifest !== undefined) checkManifest(tagManifest, TAG_MANIFEST_FILE, tags, false, problems);
}

function checkDeclaration(declaration: ReadFile | undefined, problems: Text[]): void {
  if (!declaration) {
    problems.push({ zh: `缺少包声明：${DECLARATION_FILE}`, en: 'Bag declaration missing' });
    return;
  }
  if (declaration.text === undefined) return;
  const { tags } = parseTagFile(declaration.text);
  const version = tagValue(tags, 'BagIt-Version');
  const encoding = tagValue(tags, 'Tag-File-Character-Encoding');
  if (!version || !/^\d+\.\d+$/.test(version)) {
    problems.push({ zh: `包声明缺少有效的 BagIt-Version：${DECLARATION_FILE}`, en: 'No valid BagIt-Version' });
  }
  if (encoding?.toUpperCase() !== 'UTF-8') {
    problems.push({ zh: `标签文件编码不是 UTF-8（${encoding ?? '未声明'}）：${DECLARATION_FILE}`, en: 'Tag-File-Character-Encoding must be UTF-8' });
  }
}

/**
 * Checks a manifest against the files read. For the payload manifest every payload file must
 * be listed; a tag manifest need not list every tag file (RFC 8493 §2.2.1).
 */
function checkManifest(text: string, manifestName: string, files: ReadonlyMap<string, ReadFile>, isPayload: boolean, problems: Text[]): void {
  const { entries, malformedLines } = parseManifest(text);
  for (const line of malformedLines) {
    problems.push({ zh: `清单第 ${line} 行格式错误：${manifestName}`, en: `Malformed manifest line ${line}` });
  }
  const listed = new Set<string>();
  for (const { sha256, path } of entries) {
    const shown = visiblePath(path);
    const problem = bagPathProblem(path);
    if (problem) {
      problems.push({ zh: `${manifestName} 中的${problem.zh}`, en: `${problem.en} in ${manifestName}` });
      continue;
    }
    if (isPayload !== path.startsWith(`${PAYLOAD_DIR}/`)) {
      problems.push(
        isPayload
          ? { zh: `清单列出了 data/ 以外的文件：${shown}`, en: `${manifestName} lists a file outside data/` }
          : { zh: `标签清单列出了载荷文件：${shown}`, en: `${manifestName} lists a payload file` },
      );
      continue;
    }
    if (listed.has(path)) {
      problems.push({ zh: `清单中重复的文件：${shown}`, en: `Listed twice in ${manifestName}` });
      continue;
    }
    listed.add(path);
    const file = files.get(path);
    if (!file) problems.push({ zh: `缺少文件：${shown}`, en: `File missing (listed in ${manifestName})` });
    else if (file.sha256 !== sha256) problems.push({ zh: `校验值不符：${shown}`, en: 'Checksum mismatch' });
  }
  if (!isPayload) return;
  for (const path of files.keys()) {
    if (!listed.has(path)) problems.push({ zh: `清单未列出的文件：${visiblePath(path)}`, en: `Not in ${manifestName}` });
  }
}

function checkBagInfo(text: string, payload: ReadonlyMap<string, ReadFile>, problems: Text[]): void {
  const { tags, malformedLines } = parseTagFile(text);
  for (const line of malformedLines) {
    problems.push({ zh: `第 ${line} 行格式错误：${BAG_INFO_FILE}`, en: `Malformed line ${line}` });
  }
  const declared = tagValue(tags, 'Payload-Oxum');
  if (declared === undefined) return;
  const oxum = parsePayloadOxum(declared);
  let octets = 0;
  for (const file of payload.values()) octets += file.size;
  const actual = payloadOxum(octets, payload.size);
  if (!oxum) problems.push({ zh: `Payload-Oxum 格式错误（${declared}）：${BAG_INFO_FILE}`, en: 'Malformed Payload-Oxum' });
  else if (payloadOxum(oxum.octets, oxum.count) !== actual) {
    problems.push({ zh: `Payload-Oxum 不符：声明 ${declared}，实际 ${actual}`, en: 'Payload-Oxum mismatch' });
  }
}
