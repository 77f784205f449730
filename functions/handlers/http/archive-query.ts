/** The path and query parts the archive's routes share. */
import * as z from 'zod/mini';

export const Year = z.coerce
  .number({ error: '年度须为 2000–2100 的整数。year: a whole number from 2000 to 2100.' })
  .check(
    z.int('年度须为 2000–2100 的整数。year: a whole number from 2000 to 2100.'),
    z.gte(2000, '年度须为 2000–2100 的整数。year: a whole number from 2000 to 2100.'),
    z.lte(2100, '年度须为 2000–2100 的整数。year: a whole number from 2000 to 2100.'),
  );

export const JobId = z.string().check(z.regex(/^[0-9]{8}-[a-z0-9]{1,16}$/, '任务编号无效。Invalid job id.'));

export const JobPath = z.object({ year: Year, id: JobId });
