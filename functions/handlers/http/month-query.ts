/** `?month=2026-11`: the assessment month, this month in China by default. */
import * as z from 'zod/mini';

export const MonthQuery = z.object({
  month: z.optional(z.string().check(z.regex(/^20\d\d-(0[1-9]|1[0-2])$/, '月份格式为 2026-11。month: YYYY-MM.'))),
});

export const thisMonth = (now: number) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 7);
