/**
 * A careful reader of a TIFF's image directories (utif2's follows any offset, however broken, and
 * can loop): every offset checked against the file, a chain that loops or runs past 10,000
 * directories refused. Shared by the text reader and the usability probe.
 */

/** One image directory, in the shape utif2 decodes (`t<tag>`: values). */
export type Ifd = Record<string, unknown> & { t254?: number[]; t256?: number[]; t257?: number[]; t259?: number[] };

const TIFF_TYPE_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
/** Beyond this, a file is refused as too many pages anyway; the cap also ends a looping chain. */
const MAX_TIFF_DIRECTORIES = 10_000;

/** The directories of a TIFF; `damaged` makes the error thrown for a broken one. */
export function tiffDirectories(bytes: Uint8Array, damaged: () => Error): Ifd[] {
  if (bytes.length < 8) throw damaged();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const seen = new Set<number>();
  const ifds: Ifd[] = [];
  for (let offset = view.getUint32(4, le); offset !== 0; ) {
    if (seen.has(offset) || offset + 2 > bytes.length || ifds.length >= MAX_TIFF_DIRECTORIES) throw damaged();
    seen.add(offset);
    const count = view.getUint16(offset, le);
    if (offset + 2 + count * 12 + 4 > bytes.length) throw damaged();
    const ifd: Ifd = {};
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      const type = view.getUint16(entry + 2, le);
      const n = view.getUint32(entry + 4, le);
      const size = TIFF_TYPE_SIZE[type];
      if (!size) continue;
      const at = n * size <= 4 ? entry + 8 : view.getUint32(entry + 8, le);
      if (at + n * size > bytes.length) throw damaged();
      ifd[`t${view.getUint16(entry, le)}`] = tiffValues(bytes, view, le, type, at, n);
    }
    ifds.push(ifd);
    offset = view.getUint32(offset + 2 + count * 12, le);
  }
  return ifds;
}

function tiffValues(bytes: Uint8Array, view: DataView, le: boolean, type: number, at: number, n: number): unknown {
  const read = (size: number, get: (at: number) => number | number[]) => Array.from({ length: n }, (_, j) => get(at + size * j));
  switch (type) {
    case 1:
    case 6:
    case 7:
      return bytes.subarray(at, at + n);
    case 2:
      return [new TextDecoder('latin1').decode(bytes.subarray(at, at + n)).replace(/\0+$/, '')];
    case 3:
      return read(2, (p) => view.getUint16(p, le));
    case 4:
    case 13:
      return read(4, (p) => view.getUint32(p, le));
    case 5:
      return read(8, (p) => [view.getUint32(p, le), view.getUint32(p + 4, le)]);
    case 8:
      return read(2, (p) => view.getInt16(p, le));
    case 9:
      return read(4, (p) => view.getInt32(p, le));
    case 10:
      return read(8, (p) => [view.getInt32(p, le), view.getInt32(p + 4, le)]);
    case 11:
      return read(4, (p) => view.getFloat32(p, le));
    default:
      return read(8, (p) => view.getFloat64(p, le));
  }
}
