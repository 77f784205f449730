/** GET /api/registers/{id}?year=&department=: one register for a year, the lines the caller may see. */
import { defaultDeps } from '../../adapters/deps.ts';
import { readRegister } from '../../domain/registers/registers.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { httpHandler } from '../middleware.ts';
import { RegisterPath, RegisterQuery } from './register-query.ts';

export const handler = httpHandler({ path: RegisterPath, query: RegisterQuery }, async ({ path, query, caller }) => {
  const deps = defaultDeps();
  return { body: await readRegister(deps, caller, { id: path.id, year: query.year ?? numberingYear(deps.clock.now()), departmentId: query.department }) };
});
