/**
 * The process catalogue the functions run: catalog.json, the definitions of inputs.ts validated by
 * the schema (definition.ts) and completed with its defaults when the catalogue is built
 * (`npm run catalog`), not when a function starts: parsing some forty definitions took about a
 * hundred milliseconds of every cold start. tests/unit/definitions.test.ts fails when catalog.json
 * is not what its inputs build.
 */
import type { Definition } from '../definition.ts';
import built from './catalog.json' with { type: 'json' };

/** Written by `npm run catalog` from the schema's own output, and checked against it by a unit test. */
const validated = built as readonly Definition[];

/** Every version of every definition, by `type@version`; a running case keeps its version. */
export const catalog: ReadonlyMap<string, Definition> = new Map(validated.map((d) => [`${d.type}@${d.version}`, d]));

export function latestDefinitions(): Definition[] {
  const latest = new Map<string, Definition>();
  for (const d of catalog.values()) if ((latest.get(d.type)?.version ?? 0) < d.version) latest.set(d.type, d);
  return [...latest.values()];
}
