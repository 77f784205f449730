/**
 * Builds the process catalogue the functions load: every definition of
 * functions/domain/definitions/catalog/inputs.ts validated by the schema and completed with its
 * defaults, written to catalog.json beside it. Run after changing a definition:
 *   npm run catalog
 * A definition the schema refuses stops the build with the path of its error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogInputs } from '../functions/domain/definitions/catalog/inputs.ts';
import { loadDefinition } from '../functions/domain/definitions/definition.ts';

export const CATALOG_FILE = join(import.meta.dirname, '..', 'functions', 'domain', 'definitions', 'catalog', 'catalog.json');

/** The catalogue's text: one definition after another, as the schema returns them. */
export function catalogJson(): string {
  return `${JSON.stringify(catalogInputs.map((input) => loadDefinition(input)), null, 1)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(CATALOG_FILE, catalogJson());
  console.log(`${catalogInputs.length} definitions written to ${CATALOG_FILE}`);
}
