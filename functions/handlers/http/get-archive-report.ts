/** GET /api/archive/reports/{year}/{id}?format=json|xlsx&offset=&limit=: a kept 四性检测 report, per item (failed first, a page at a time) and per check with why; as a spreadsheet to print or keep. */
import * as z from 'zod/mini';
import { org, vault, wire } from '../../adapters/deps.ts';
import { readReport, reportRows } from '../../domain/archive/check-archive.ts';
import { REPORT_COLUMNS } from '../../domain/archive/handover.ts';
import { exportRegister } from '../../domain/registers/export.ts';
import { httpHandler } from '../middleware.ts';
import { JobPath } from './archive-query.ts';

const deps = wire({ org, vault });

const count = (field: string, zh: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${zh}须为 ${min}–${max} 的整数。${field}: a whole number from ${min} to ${max}.` })
    .check(
      z.int(`${zh}须为 ${min}–${max} 的整数。${field}: a whole number from ${min} to ${max}.`),
      z.gte(min, `${zh}须为 ${min}–${max} 的整数。${field}: a whole number from ${min} to ${max}.`),
      z.lte(max, `${zh}须为 ${min}–${max} 的整数。${field}: a whole number from ${min} to ${max}.`),
    );

const Query = z.object({
  format: z._default(z.enum(['json', 'xlsx'], { error: '格式须为 json 或 xlsx。format: json or xlsx.' }), 'json'),
  /** JSON: the items from `offset`, `limit` of them (failed first). */
  offset: z._default(count('offset', '起始位置', 0, 1_000_000), 0),
  limit: z._default(count('limit', '每页件数', 1, 1_000), 500),
});

export const handler = httpHandler({ path: JobPath, query: Query }, async ({ path, query, caller }) => {
  if (query.format === 'json') return { body: await readReport(deps, caller, path.year, path.id, { offset: query.offset, limit: query.limit }) };
  const report = await readReport(deps, caller, path.year, path.id);
  const file = await exportRegister({ name: { zh: '四性检测报告', en: 'Four-properties check' }, year: report.year, title: `四性检测报告（${report.year}年，${report.at.slice(0, 10)}）`, columns: REPORT_COLUMNS, rows: reportRows(report) }, 'xlsx');
  return { file };
});
