/**
 * 断号报告（2026年） as XLSX or CSV: apart from number-gaps.ts, which the archive's checks import,
 * so that only the route that exports the report bundles the spreadsheet writer.
 */
import { exportRegister, type ExportedFile, type ExportFormat } from '../registers/export.ts';
import { numberGapsRegister, type NumberGapsReport } from './number-gaps.ts';

export function exportNumberGaps(report: NumberGapsReport, format: ExportFormat): Promise<ExportedFile> {
  return exportRegister(numberGapsRegister(report), format);
}
