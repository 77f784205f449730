/**
 * What scans may be: PDF, JPEG, PNG, TIFF and OFD (China's fixed-layout format, a ZIP container),
 * recognised by their first bytes, never by the name or the declared type alone (an executable
 * renamed `.pdf` is refused).
 */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const SIGNATURES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  'application/pdf': [[0x25, 0x50, 0x44, 0x46, 0x2d]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/tiff': [
    [0x49, 0x49, 0x2a, 0x00],
    [0x4d, 0x4d, 0x00, 0x2a],
  ],
  'application/ofd': [[0x50, 0x4b, 0x03, 0x04]],
};

export const ALLOWED_TYPES = Object.keys(SIGNATURES);

/** The allowed type whose signature the bytes start with, if any. */
export function sniff(head: Uint8Array): string | undefined {
  for (const [type, signatures] of Object.entries(SIGNATURES)) {
    if (signatures.some((sig) => sig.every((byte, i) => head[i] === byte))) return type;
  }
  return undefined;
}
