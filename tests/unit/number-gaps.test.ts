/** 断号报告, worked out without a table: gaps as ranges, voids with their reasons, the sequences of a year, the export. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sequenceReport, sequencesOf, type NumberGapsReport } from '../../functions/domain/archive/number-gaps.ts';
import { exportNumberGaps } from '../../functions/domain/archive/number-gaps-export.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { OrgChart, OrgInputSchema } from '../../functions/domain/org/org.ts';
import type { NumberRecord } from '../../functions/domain/ports.ts';

const LABEL = { zh: '发文字号：示事管发', en: 'Outgoing document numbers: 示事管发' };
const used = (sequence: number): NumberRecord => ({ sequence, number: `示事管发〔2026〕${sequence}号`, status: 'used', caseId: `c${sequence}`, at: '2026-03-02T02:00:00.000Z' });
const voided = (sequence: number, reason: string, by = 'liu-fang'): NumberRecord => ({ sequence, number: `示事管发〔2026〕${sequence}号`, status: 'void', reason, by, at: '2026-03-02T02:15:00.000Z' });
const report = (last: number, records: NumberRecord[]) => sequenceReport('示事管发', 2026, LABEL, { last, records });

describe('sequenceReport: one sequence’s gaps and voids', () => {
  it('compresses missing numbers into ranges, whatever order the records come in', () => {
    const r = report(9, [used(9), used(1), used(6), used(2), used(5)]);
    expect(r.gaps).toEqual([{ from: 3, to: 4 }, { from: 7, to: 8 }]);
    expect(r).toMatchObject({ kind: '示事管发', label: LABEL, year: 2026, first: 1, last: 9, used: 5, voided: 0, missing: 4, voids: [] });
  });

  it('counts the numbers handed out after the last one recorded as a trailing gap up to the counter', () => {
    const r = report(7, [used(1), used(2), used(3)]);
    expect(r.gaps).toEqual([{ from: 4, to: 7 }]);
    expect(r).toMatchObject({ first: 1, last: 7, used: 3, missing: 4 });
    // The last number alone, handed out and never recorded (a crash between the two).
    expect(report(4, [used(1), used(2), used(3)]).gaps).toEqual([{ from: 4, to: 4 }]);
  });

  it('lists each void with its number, reason, who and when; a void is not a gap', () => {
    const r = report(5, [used(1), voided(2, '文件撤销 Document withdrawn'), used(3), voided(4, '编号时该件已变更 The case changed while it was numbered (c4)', 'system'), used(5)]);
    expect(r.gaps).toEqual([]);
    expect(r.voids).toEqual([
      { sequence: 2, number: '示事管发〔2026〕2号', reason: '文件撤销 Document withdrawn', by: 'liu-fang', at: '2026-03-02T02:15:00.000Z' },
      { sequence: 4, number: '示事管发〔2026〕4号', reason: '编号时该件已变更 The case changed while it was numbered (c4)', by: 'system', at: '2026-03-02T02:15:00.000Z' },
    ]);
    expect(r).toMatchObject({ used: 3, voided: 2, missing: 0 });
  });

  it('finds no gap in a continuous sequence', () => {
    const r = report(4, [used(1), used(2), used(3), used(4)]);
    expect(r).toMatchObject({ first: 1, last: 4, used: 4, voided: 0, missing: 0, gaps: [], voids: [] });
  });

  it('an empty sequence has no range and no gap; numbers handed out and never recorded are all one gap', () => {
    expect(report(0, [])).toMatchObject({ first: undefined, last: 0, used: 0, voided: 0, missing: 0, gaps: [], voids: [] });
    expect(report(3, [])).toMatchObject({ first: undefined, last: 3, used: 0, missing: 3, gaps: [{ from: 1, to: 3 }] });
  });

  it('the first number used may come after a gap or a void at the start', () => {
    const r = report(4, [voided(2, '重号 Duplicate draft'), used(3), used(4)]);
    expect(r).toMatchObject({ first: 3, last: 4, gaps: [{ from: 1, to: 1 }] });
  });

  it('a number recorded after the counter was read still counts, and stretches the range', () => {
    const r = report(3, [used(1), used(2), used(3), used(5)]);
    expect(r).toMatchObject({ last: 5, used: 4, gaps: [{ from: 4, to: 4 }] });
  });
});

describe('sequencesOf: the sequences a year may have', () => {
  const org = new OrgChart({ ...OrgInputSchema.parse(demoOrg), version: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
  const sequences = sequencesOf(2026, org);
  const label = (kind: string) => sequences.find((s) => s.kind === kind)?.label.zh;

  it('names 发文字号 with the agency code, as the numbering step builds the kind, and 收文号', () => {
    expect(label('示事管发')).toBe('发文字号：示事管发');
    expect(label('示事管会纪')).toBe('发文字号：示事管会纪');
    expect(label('收文')).toBe('收文号');
    // Cases that started on an earlier version still number with its kinds.
    expect(label('浏后勤函')).toBe('发文字号：浏后勤函');
  });

  it('has one 件号 sequence per retention period and department, and one for items of no department', () => {
    expect(label('ARCHIVE-D30-office')).toBe('件号：2026-30年-办公室');
    expect(label('ARCHIVE-Y-petitions')).toBe('件号：2026-永久-信访科');
    expect(label('ARCHIVE-D10-general')).toBe('件号：2026-10年-不分机构');
    const items = sequences.filter((s) => s.kind.startsWith('ARCHIVE-'));
    expect(items).toHaveLength(3 * (demoOrg.departments.length + 1));
  });

  it('lists each kind once, document numbers before 件号, in the same order every time', () => {
    const kinds = sequences.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.findIndex((k) => k.startsWith('ARCHIVE-'))).toBe(kinds.filter((k) => !k.startsWith('ARCHIVE-')).length);
    expect(sequencesOf(2026, org)).toEqual(sequences);
  });
});

describe('exportNumberGaps: the report as a file', () => {
  const gaps: NumberGapsReport = {
    year: 2026,
    sequences: [
      { ...report(6, [used(1), used(2), { ...voided(3, '文件撤销 Document withdrawn'), by: 'liu-fang' }, used(5)]), voids: [{ sequence: 3, number: '示事管发〔2026〕3号', reason: '文件撤销 Document withdrawn', by: 'liu-fang', byName: '刘芳', at: '2026-03-02T02:15:00.000Z' }] },
      sequenceReport('收文', 2026, { zh: '收文号', en: 'Incoming document numbers' }, { last: 2, records: [{ sequence: 1, number: '收文〔2026〕1号', status: 'used' }, { sequence: 2, number: '收文〔2026〕2号', status: 'used' }] }),
    ],
    total: { sequences: 2, gaps: 2, voids: 1 },
  };

  it('writes per sequence a summary line, then its gaps and voids in number order (CSV)', async () => {
    const file = await exportNumberGaps(gaps, 'csv');
    expect(file.fileName).toBe('断号报告-2026年.csv');
    const lines = file.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toEqual([
      '序号,编号序列,类型,起,止,编号,原因,作废人,时间',
      '1,发文字号：示事管发,已用,1,6,,共编 6 个：已用 3 个，作废 1 个，断号 2 个,,',
      '2,发文字号：示事管发,作废,3,3,示事管发〔2026〕3号,文件撤销 Document withdrawn,刘芳,2026-03-02 10:15',
      '3,发文字号：示事管发,断号,4,4,,未使用也未登记作废,,',
      '4,发文字号：示事管发,断号,6,6,,未使用也未登记作废,,',
      '5,收文号,已用,1,2,,共编 2 个：已用 2 个，作废 0 个，断号 0 个,,',
    ]);
  });

  it('titles the XLSX 断号报告（2026年） and keeps the Chinese', async () => {
    const file = await exportNumberGaps(gaps, 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('断号报告（2026年）');
    expect(sheet.getRow(2).values).toEqual([undefined, '序号', '编号序列', '类型', '起', '止', '编号', '原因', '作废人', '时间']);
    expect(sheet.getRow(4).getCell(7).value).toBe('文件撤销 Document withdrawn');
    expect(sheet.rowCount).toBe(2 + 5);
  });
});
