/** GET /api/archive/reports/{year}/{id}?format=json|xlsx: a kept 四性检测 report, per item and per check with why; as a spreadsheet to print or keep. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { readReport, reportRows } from '../../domain/archive/check-archive.ts';
import { REPORT_COLUMNS } from '../../domain/archive/handover.ts';
import { exportRegister } from '../../domain/registers/export.ts';
import { httpHandler } from '../middleware.ts';
import { JobPath } from './archive-query.ts';

const Query = z.object({ format: z.enum(['json', 'xlsx'], { error: '格式须为 json 或 xlsx。format: json or xlsx.' }).default('json') });

export const handler = httpHandler({ path: JobPath, query: Query }, async ({ path, query, caller }) => {
  const report = await readReport(defaultDeps(), caller, path.year, path.id);
  if (query.format === 'json') return { body: report };
  const file = await exportRegister({ name: { zh: '四性检测报告', en: 'Four-properties check' }, year: report.year, title: `四性检测报告（${report.year}年，${report.at.slice(0, 10)}）`, columns: REPORT_COLUMNS, rows: reportRows(report) }, 'xlsx');
  return { file };
});
