/** GET /api/registers/{id}?year=&department=: one register for a year, the lines the caller may see. */
import { access, clock, org, registers, wire } from '../../adapters/deps.ts';
import { readRegister } from '../../domain/registers/registers.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { httpHandler } from '../middleware.ts';
import { RegisterPath, RegisterQuery } from './register-query.ts';

const deps = wire({ registers, org, clock, access });

export const handler = httpHandler({ path: RegisterPath, query: RegisterQuery }, async ({ path, query, caller }) => {
    return { body: await readRegister(deps, caller, { id: path.id, year: query.year ?? numberingYear(deps.clock.now()), departmentId: query.department }) };
});
