/** GET /api/search?q=&type=&year=&status=&department=&from=&to=&sort=&limit=&cursor= : 全文检索 within what the caller may see. */
import * as z from 'zod/mini';
import { access, cases, clock, cursors, org, scanTexts, wire } from '../../adapters/deps.ts';
import { search } from '../../adapters/search-deps.ts';
import { SEARCH_PAGE_MAX, searchCases } from '../../domain/search/search.ts';
import { hasUnsafeCharacters } from '../../domain/text.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ org, access, clock, cases, search, scanTexts, cursors });

const day = (zh: string, en: string) =>
  z.optional(
    z.string().check(
      z.regex(/^\d{4}-\d{2}-\d{2}$/, `${zh}格式应为 YYYY-MM-DD。${en}: use YYYY-MM-DD.`),
      z.refine((v) => {
        const at = Date.parse(`${v}T00:00:00Z`);
        return !Number.isNaN(at) && new Date(at).toISOString().startsWith(v);
      }, `${zh}不是有效日期。${en} is not a valid date.`),
    ),
  );

const Query = z
  .object({
    q: z.string({ error: '请输入检索词。Type something to search for.' }).check(
      z.trim(),
      z.minLength(1, '请输入检索词。Type something to search for.'),
      z.maxLength(100, '检索词最多 100 个字。At most 100 characters.'),
      z.refine((v) => !hasUnsafeCharacters(v, false), '检索词不能包含控制字符。No control characters.'),
    ),
    type: z.optional(z.string().check(z.maxLength(40))),
    year: z.optional(z.coerce.number({ error: '年份无效。Invalid year.' }).check(z.int('年份无效。Invalid year.'), z.gte(2000, '年份无效。Invalid year.'), z.lte(2100, '年份无效。Invalid year.'))),
    status: z.optional(z.enum(['open', 'completed', 'rejected', 'withdrawn'], { error: '状态须为 open/completed/rejected/withdrawn。status: open, completed, rejected or withdrawn.' })),
    department: z.optional(z.string().check(z.maxLength(40))),
    from: day('起始日期', 'from'),
    to: day('截止日期', 'to'),
    sort: z._default(z.enum(['relevance', 'date'], { error: '排序须为 relevance 或 date。sort: relevance or date.' }), 'relevance'),
    limit: z._default(
      z.coerce.number({ error: `每页条数须为 1–${SEARCH_PAGE_MAX}。limit: 1 to ${SEARCH_PAGE_MAX}.` }).check(
        z.int(`每页条数须为 1–${SEARCH_PAGE_MAX}。limit: 1 to ${SEARCH_PAGE_MAX}.`),
        z.gte(1, `每页条数须为 1–${SEARCH_PAGE_MAX}。limit: 1 to ${SEARCH_PAGE_MAX}.`),
        z.lte(SEARCH_PAGE_MAX, `每页条数须为 1–${SEARCH_PAGE_MAX}。limit: 1 to ${SEARCH_PAGE_MAX}.`),
      ),
      20,
    ),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
  })
  .check(z.refine((v) => !v.from || !v.to || v.from <= v.to, { message: '截止日期不能早于起始日期。to is before from.', path: ['to'] }));

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => ({ body: await searchCases(deps, caller, query) }));
