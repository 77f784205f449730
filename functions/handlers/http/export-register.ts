/** GET /api/registers/{id}/export?format=csv|xlsx&year=&department=: the register as a file to print or keep. */
import * as z from 'zod/mini';
import { access, clock, org, registers, wire } from '../../adapters/deps.ts';
import { exportRegister } from '../../domain/registers/export.ts';
import { readRegister } from '../../domain/registers/registers.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { httpHandler } from '../middleware.ts';
import { RegisterPath, RegisterQuery } from './register-query.ts';

const deps = wire({ registers, org, clock, access });

const Query = z.extend(RegisterQuery, {
  format: z._default(z.enum(['csv', 'xlsx'], { error: '导出格式须为 csv 或 xlsx。format: csv or xlsx.' }), 'xlsx'),
});

export const handler = httpHandler({ path: RegisterPath, query: Query }, async ({ path, query, caller }) => {
    const register = await readRegister(deps, caller, { id: path.id, year: query.year ?? numberingYear(deps.clock.now()), departmentId: query.department });
  return { file: await exportRegister(register, query.format) };
});
