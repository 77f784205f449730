/** The ports of a 四性检测 on demand (an API route): the file probe on top of the ones every handler has; not the stamp, its font or the package writer (archive-deps.ts). */
import { defaultDeps } from './deps.ts';
import { probeFile } from './files/probe-file.ts';
import type { Deps } from '../domain/ports.ts';
import type { CheckDeps } from '../domain/archive/check-archive.ts';

export function archiveCheckDeps(): CheckDeps & Deps {
  return { ...defaultDeps(), probe: probeFile };
}
