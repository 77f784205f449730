/**
 * Register exports: CSV for anything that reads text (UTF-8 with a byte-order mark, so Excel
 * shows the Chinese), and XLSX with the register's title, bold headers, frozen header rows and
 * an A4 landscape page set up for printing.
 */
import ExcelJS from 'exceljs';
import type { Column, Register } from './register.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportedFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Exported = Pick<Register, 'name' | 'year' | 'columns' | 'rows'> & {
  /** The title as the office writes it, when the name does not already say the period (收文登记（2026年）). */
  readonly title?: string;
};

/** The export's title: 收文登记（2026年）, or its own (2026年11月考核统计). */
const titleOf = (register: Exported) => register.title ?? `${register.name.zh}（${register.year}年）`;

export async function exportRegister(register: Exported, format: ExportFormat): Promise<ExportedFile> {
  const fileName = `${titleOf(register).replace(/[（）]/g, (p) => (p === '（' ? '-' : '')).replace(/[\\/:*?"<>|]/g, '')}.${format}`;
  const bytes = format === 'csv' ? toCsv(register.columns, register.rows) : await toXlsx(register);
  return { fileName, contentType: TYPES[format], bytes };
}

function toCsv(columns: readonly Column[], rows: Register['rows']): Buffer {
  const quote = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    // Quote what needs it; a leading = + - @ would be read as a formula, so it is prefixed.
    const safe = /^[=+\-@]/.test(text) && typeof v !== 'number' ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [columns.map((c) => quote(c.label.zh)).join(','), ...rows.map((r) => columns.map((c) => quote(r[c.key])).join(','))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

async function toXlsx(register: Exported): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Bangong';
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const sheet = workbook.addWorksheet(titleOf(register).replace(/[:\\/?*[\]（）]/g, '').slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  const width = register.columns.length;
  sheet.addRow([titleOf(register)]);
  sheet.mergeCells(1, 1, 1, Math.max(width, 1));
  const title = sheet.getRow(1);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  const header = sheet.addRow(register.columns.map((c) => c.label.zh));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
  for (const row of register.rows) {
    const line = sheet.addRow(register.columns.map((c) => row[c.key] ?? null));
    line.alignment = { wrapText: true, vertical: 'top' };
    line.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    });
  }
  register.columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width ?? 14;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
