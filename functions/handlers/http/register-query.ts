/** The path and query every register route reads. */
import * as z from 'zod/mini';

export const RegisterPath = z.object({ id: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, '登记簿编号无效。Invalid register id.')) });

export const RegisterQuery = z.object({
  year: z.optional(z.coerce.number({ error: '年份无效。Invalid year.' }).check(z.int('年份无效。Invalid year.'), z.gte(2000, '年份无效。Invalid year.'), z.lte(2100, '年份无效。Invalid year.'))),
  department: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '部门编号无效。Invalid department.'))),
});
