/** The path and query every register route reads. */
import * as z from 'zod';

export const RegisterPath = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, '登记簿编号无效。Invalid register id.') });

export const RegisterQuery = z.object({
  year: z.coerce.number({ error: '年份无效。Invalid year.' }).int('年份无效。Invalid year.').min(2000, '年份无效。Invalid year.').max(2100, '年份无效。Invalid year.').optional(),
  department: z.string().regex(/^[a-z0-9-]{1,40}$/, '部门编号无效。Invalid department.').optional(),
});
