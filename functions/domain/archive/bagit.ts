/**
 * BagIt (RFC 8493), the package format of the yearly handover (移交) to the receiving archive:
 * a declaration, the payload under `data/`, a manifest of SHA-256 checksums, bag-info.txt and a
 * tag manifest. These helpers render and parse the tag files and say which paths are allowed;
 * reading and writing the bytes is the adapter's (adapters/files/bag-writer.ts).
 */
import type { Text } from '../definitions/definition.ts';

export const BAGIT_VERSION = '1.0';
export const DECLARATION_FILE = 'bagit.txt';
export const BAG_INFO_FILE = 'bag-info.txt';
export const MANIFEST_FILE = 'manifest-sha256.txt';
export const TAG_MANIFEST_FILE = 'tagmanifest-sha256.txt';
export const PAYLOAD_DIR = 'data';

/** RFC 8493 §2.1.1: exactly these two lines, in this order. */
export function bagDeclaration(): string {
  return `BagIt-Version: ${BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n`;
}

/** RFC 8493 §2.2.2: `<octets>.<streams>`, a quick check that nothing is missing before hashing. */
export function payloadOxum(octets: number, count: number): string {
  return `${octets}.${count}`;
}

export function parsePayloadOxum(value: string): { readonly octets: number; readonly count: number } | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(value.trim());
  return match ? { octets: Number(match[1]), count: Number(match[2]) } : undefined;
}

/** The date part of bag-info's `Bagging-Date` (YYYY-MM-DD), as the office's calendar has it. */
export function baggingDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

// RFC 8493 §2.2.2 recommends lines of at most 79 characters; longer values are folded.
const MAX_LINE = 79;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// Half of a surrogate pair has no UTF-8 form: the name in the tar would differ from the manifest's.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * bag-info.txt: one `Label: value` line per field, in the order given; labels may repeat.
 * A line break inside a value is read as a space (a tag value is one logical line), and a long
 * value is folded before a space so that unfolding (removing the line break) gives it back.
 * Text without spaces (Chinese) is not broken: the line limit is only recommended.
 */
export function renderBagInfo(fields: Iterable<readonly [label: string, value: string]>): string {
  let text = '';
  for (const [label, raw] of fields) {
    if (!/^[^:\s](?:[^:\r\n]*[^:\s])?$/.test(label) || CONTROL.test(label)) {
      throw new TypeError(`bag-info label ${JSON.stringify(label)}: no colon, line break or surrounding spaces`);
    }
    const value = raw.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (CONTROL.test(value)) throw new TypeError(`bag-info value of ${label}: no control characters`);
    text += `${foldTagLine(label, value)}\n`;
  }
  return text;
}

function foldTagLine(label: string, value: string): string {
  const lines: string[] = [];
  let line = `${label}:`;
  for (const word of value === '' ? [] : ` ${value}`.split(/(?= \S)/)) {
    // The label keeps at least one word of its value on its own line.
    if (line.length + word.length > MAX_LINE && line.length > label.length + 1) {
      lines.push(line);
      line = word;
    } else {
      line += word;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** A tag file of `Label: value` lines (bagit.txt, bag-info.txt), unfolded; malformed lines by number (1-based). */
export function parseTagFile(text: string): { readonly tags: ReadonlyArray<readonly [string, string]>; readonly malformedLines: readonly number[] } {
  const tags: Array<[string, string]> = [];
  const malformedLines: number[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const last = tags[tags.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last[1] += line;
      else malformedLines.push(index + 1);
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      malformedLines.push(index + 1);
      return;
    }
    tags.push([line.slice(0, colon).trim(), line.slice(colon + 1)]);
  });
  return { tags: tags.map(([label, value]) => [label, value.trim()] as const), malformedLines };
}

/** The first value of a label, compared without case (RFC 8493 §2.2.2 labels are case-insensitive). */
export function tagValue(tags: ReadonlyArray<readonly [string, string]>, label: string): string | undefined {
  return tags.find(([name]) => name.toLowerCase() === label.toLowerCase())?.[1];
}

/** RFC 8493 §2.1.3: in manifests, CR, LF and % in a path are written %0D, %0A and %25. */
export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(encoded: string): string {
  return encoded.replace(/%(0D|0A|25)/gi, (_, code: string) => ({ '0D': '\r', '0A': '\n', '25': '%' })[code.toUpperCase()]!);
}

/**
 * One manifest line: checksum, two spaces, path. Two spaces is what `sha256sum` writes and
 * reads for a binary-mode line, so a manifest can be checked with `sha256sum -c` in the bag.
 */
export function manifestLine(sha256: string, path: string): string {
  return `${sha256.toLowerCase()}  ${encodeManifestPath(path)}\n`;
}

export interface ManifestEntry {
  readonly sha256: string;
  /** Relative to the bag's root, decoded, e.g. `data/Z123/files/发文稿.pdf`. */
  readonly path: string;
}

/** A manifest's lines; a line that is not `<checksum> <path>` is reported by number (1-based). */
export function parseManifest(text: string): { readonly entries: readonly ManifestEntry[]; readonly malformedLines: readonly number[] } {
  const entries: ManifestEntry[] = [];
  const malformedLines: number[] = [];
  // Only LF and CRLF end a line: a CR or LF inside a path is written %0D/%0A.
  text.replace(/^\ufeff/, '').split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    // `sha256sum` marks a binary-mode path with `*`; RFC 8493 allows any run of spaces or tabs.
    const match = /^([0-9a-fA-F]{64})[ \t]+\*?(.+)$/.exec(line);
    if (match) entries.push({ sha256: match[1]!.toLowerCase(), path: decodeManifestPath(match[2]!) });
    else malformedLines.push(index + 1);
  });
  return { entries, malformedLines };
}

/**
 * Why a path may not name a file in a bag, or undefined if it may. Relative, `/`-separated,
 * no empty, `.` or `..` segment, no backslash (a separator on Windows) and no NUL; any other
 * UTF-8 is allowed (Chinese file names are the norm).
 */
export function bagPathProblem(path: string): Text | undefined {
  const shown = visiblePath(path);
  if (path === '') return { zh: '路径为空', en: 'Empty path' };
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { zh: `路径不能是绝对路径：${shown}`, en: 'Absolute path' };
  if (path.includes('\\')) return { zh: `路径不能含反斜杠：${shown}`, en: 'Backslash in path' };
  if (path.includes('\0')) return { zh: `路径不能含空字符：${shown}`, en: 'NUL in path' };
  if (LONE_SURROGATE.test(path)) return { zh: `路径不是有效的 UTF-8：${shown}`, en: 'Path is not valid UTF-8' };
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { zh: `路径含空段、“.”或“..”：${shown}`, en: 'Empty, "." or ".." segment in path' };
  }
  return undefined;
}

/** A path as shown in a message: control characters (a CR or LF is allowed in a name) escaped. */
export function visiblePath(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** The bag's top directory: one path segment. */
export function bagRootProblem(root: string): Text | undefined {
  if (root.includes('/')) return { zh: `包名不能含“/”：${root}`, en: 'Bag name with "/"' };
  return bagPathProblem(root);
}

/**
 * Two payload paths that name one file once extracted on a case-insensitive file system
 * (Windows, macOS) or after Unicode normalization; the receiving archive would lose one.
 */
export function pathCollisionKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/** One problem as one line, Chinese first: `校验值不符：data/x.pdf。Checksum mismatch.` */
export function problemLine(problem: Text): string {
  return `${problem.zh}。${problem.en}.`;
}
