/**
 * The ports of the archive worker (四性检测, 归档章, handover packages) on top of the ones every
 * handler has: kept apart so that only it carries the PDF, image and OFD readers and the font.
 */
import { PassThrough } from 'node:stream';
import { defaultDeps } from './deps.ts';
import { probeFile } from './files/probe-file.ts';
import { stampFirstPage } from './files/archive-stamp.ts';
import { writeBag } from './files/bag-writer.ts';
import type { Deps } from '../domain/ports.ts';
import type { HandoverDeps } from '../domain/archive/handover.ts';

let built: { base: Deps; ports: HandoverDeps & Deps } | undefined;

export function archiveDeps(): HandoverDeps & Deps {
  const base = defaultDeps();
  if (built?.base === base) return built.ports;
  const ports: HandoverDeps & Deps = {
    ...base,
    probe: probeFile,
    stamp: (pdf, fields) => stampFirstPage(pdf, fields),
    writeBag: (sink, root, entries, info) => writeBag(sink, root, entries, info),
    pipe: () => {
      const through = new PassThrough();
      return { sink: through, source: through };
    },
  };
  built = { base, ports };
  return ports;
}
