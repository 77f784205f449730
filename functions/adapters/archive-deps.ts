/**
 * The archive worker's own ports (归档章, handover packages): kept apart so that only the function
 * that wires them carries the PDF writer and the font. The file probe (四性检测) is files/probe-port.ts.
 */
import { PassThrough } from 'node:stream';
import { defaultDeps, wire } from './deps.ts';
import { probe } from './files/probe-port.ts';
import { stampFirstPage } from './files/archive-stamp.ts';
import { writeBag } from './files/bag-writer.ts';
import type { Deps } from '../domain/ports.ts';
import type { HandoverDeps } from '../domain/archive/handover.ts';

/** A copy of a PDF with the 归档章 on its first page. */
export const stamp = (): HandoverDeps['stamp'] => (pdf, fields) => stampFirstPage(pdf, fields);
export const bag = (): HandoverDeps['writeBag'] => (sink, root, entries, info) => writeBag(sink, root, entries, info);
export const pipe = (): HandoverDeps['pipe'] => () => {
  const through = new PassThrough();
  return { sink: through, source: through };
};

/** Every port and the archive's own: benchmarks and tests. */
export function archiveDeps(): HandoverDeps & Deps {
  return { ...defaultDeps(), ...wire({ probe, stamp, writeBag: bag, pipe }) };
}
