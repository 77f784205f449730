/**
 * Which registers there are and how one is read. A process with a `register` in its definition
 * has one, fed by its cases; the archive keeps its own books (catalogue, borrowing, destruction).
 * A line shows only if the caller may see the case behind it: 三密 stay with those allowed.
 */
import type { Text } from '../definitions/definition.ts';
import { latestDefinitions } from '../definitions/catalog/index.ts';
import { definitionVersion } from '../definitions/lookup.ts';
import { NotFoundError } from '../errors.ts';
import type { CaseRecord } from '../cases/case.ts';
import { canView } from '../cases/engine.ts';
import type { Caller, Deps } from '../ports.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { OrgChart } from '../org/org.ts';
import { caseRegisterColumns, caseRegisterRow, type Register } from './register.ts';
import { archiveBooks } from '../archive/books.ts';

export interface RegisterQuery {
  readonly id: string;
  readonly year: number;
  readonly departmentId?: string;
}

/** A book kept apart from the cases (the archive's), read with the same query. */
export interface Book {
  readonly id: string;
  readonly name: Text;
  read(deps: RegisterDeps, org: OrgChart, caller: Caller, query: RegisterQuery): Promise<Register>;
}

export type RegisterDeps = Pick<Deps, 'registers' | 'org' | 'clock' | 'access'>;

export function listRegisters(): { id: string; name: Text; source: string }[] {
  const processes = latestDefinitions()
    .filter((d) => d.register)
    .map((d) => ({ id: d.type, name: d.register!.name, source: d.source }));
  return [...processes, ...archiveBooks.map((b) => ({ id: b.id, name: b.name, source: '003 §7–§10' }))];
}

export async function readRegister(deps: RegisterDeps, caller: Caller, query: RegisterQuery): Promise<Register> {
  const org = await loadOrgChart(deps);
  const book = archiveBooks.find((b) => b.id === query.id);
  if (book) return book.read(deps, org, caller, query);
  const definition = latestDefinitions().find((d) => d.type === query.id && d.register);
  if (!definition) throw new NotFoundError(`没有这个登记簿：${query.id}。No such register.`);
  const grants = await deps.access.grantsOf(caller.personId, deps.clock.now());
  const cases = (await deps.registers.entries<CaseRecord>(definition.type, query.year))
    .filter((c) => !query.departmentId || c.departmentId === query.departmentId)
    .filter((c) => canView(c, org, caller.personId, grants));
  return {
    id: definition.type,
    name: definition.register!.name,
    year: query.year,
    columns: caseRegisterColumns(definition),
    rows: cases.map((c, i) => caseRegisterRow(c, i + 1, definitionVersion(c.type, c.definitionVersion), org)),
  };
}
