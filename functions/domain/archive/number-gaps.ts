/**
 * 断号报告: for each number sequence of a year, the range handed out, every gap (a number the
 * counter handed out that was neither used nor recorded void, e.g. a crash between allocation and
 * recording) and every void (作废) with its reason. Voided numbers are recorded, never reused
 * silently (党政机关公文处理工作条例 第二十五条); 件号 run on without gaps within their class
 * (DA/T 22-2015), and numbering continuity is part of 完整性 (DA/T 70-2018).
 *
 * The sequences: 发文字号 per document kind, 收文号 (every definition step that numbers, in any
 * version a case may still run on), and 件号 per retention period and department.
 */
import { catalog, latestDefinitions } from '../definitions/catalog/index.ts';
import type { Definition, Text } from '../definitions/definition.ts';
import { ForbiddenError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { OrgChart, Role } from '../org/org.ts';
import type { Caller, Deps, NumberRecord } from '../ports.ts';
import type { Column, Register } from '../registers/register.ts';
import { archiveCounter, RETENTION_LABELS, RETENTIONS } from './archive.ts';
import type { Gap, NumberGapsReport, SequenceReport, VoidLine } from './report-types.ts';

export type { Gap, NumberGapsReport, SequenceReport, VoidLine };

/** A sequence that may exist in a year: the counter's kind and how the office names it. */
export interface Sequence {
  readonly kind: string;
  readonly label: Text;
}

/** Who keeps or oversees the numbers: the archive, the office, the head, the system's admins. */
const READERS: readonly Role[] = ['archivist', 'office-director', 'clerk', 'confidential-clerk', 'head', 'admin'];

/** Reads this many counters at a time: an org of 2,000 departments has 6,000 件号 counters. */
const READ_AT_ONCE = 25;

/** One sequence's gaps and voids, from its counter and its recorded numbers. */
export function sequenceReport(kind: string, year: number, label: Text, uses: { readonly last: number; readonly records: readonly NumberRecord[] }): SequenceReport {
  const records = [...uses.records].sort((a, b) => a.sequence - b.sequence);
  // A number handed out after the counter was read may already be recorded: it counts too.
  const last = Math.max(uses.last, records.at(-1)?.sequence ?? 0);
  const gaps: Gap[] = [];
  let next = 1;
  for (const { sequence } of records) {
    if (sequence > next) gaps.push({ from: next, to: sequence - 1 });
    next = Math.max(next, sequence + 1);
  }
  if (next <= last) gaps.push({ from: next, to: last });
  const used = records.filter((r) => r.status === 'used');
  const voids = records.filter((r) => r.status === 'void').map(({ sequence, number, reason, by, at }) => ({ sequence, number, reason, by, at }));
  return {
    kind,
    label,
    year,
    first: used[0]?.sequence,
    last,
    used: used.length,
    voided: voids.length,
    missing: gaps.reduce((n, g) => n + g.to - g.from + 1, 0),
    gaps,
    voids,
  };
}

/**
 * Every sequence that may have numbers in a year, in a stable order: document numbers as the
 * definitions give them (the latest versions first, then kinds only older versions still use),
 * then 件号 by retention period and department (the org chart's order, then items of no department).
 */
export function sequencesOf(year: number, org: OrgChart): Sequence[] {
  const documents = new Map<string, Sequence>();
  for (const definition of [...latestDefinitions(), ...catalog.values()]) {
    for (const sequence of documentSequencesOf(definition, org)) if (!documents.has(sequence.kind)) documents.set(sequence.kind, sequence);
  }
  const departments: { id?: string; name: Text }[] = [
    ...org.org.departments.map((d) => ({ id: d.id, name: { zh: d.name, en: d.nameEn ?? d.name } })),
    // A case of no department files under `general` (archive.ts: archiveCounter).
    { name: { zh: '不分机构', en: 'No department' } },
  ];
  const items = RETENTIONS.flatMap((retention) =>
    departments.map(({ id, name }) => ({
      kind: archiveCounter(retention, id),
      label: { zh: `件号：${year}-${RETENTION_LABELS[retention].zh}-${name.zh}`, en: `Item numbers: ${year}-${RETENTION_LABELS[retention].en}-${name.en}` },
    })),
  );
  return [...documents.values(), ...items];
}

/** The kinds a definition's numbering steps draw from, built as cases/orchestrate.ts builds them. */
function documentSequencesOf(definition: Definition, org: OrgChart): Sequence[] {
  return definition.steps.flatMap((step) => {
    if (step.type !== 'auto' || step.action.do !== 'number') return [];
    const { kind, kindFromField, withAgencyCode } = step.action;
    const prefix = withAgencyCode ? (org.org.agencyCode ?? '') : '';
    if (kind) return [{ kind: prefix + kind, label: { zh: `${prefix}${kind}号`, en: `${definition.name.en} numbers` } }];
    const field = definition.fields.find((f) => f.key === kindFromField);
    if (field?.type !== 'enum') return [];
    return field.options.map((o) => ({
      kind: prefix + o.value,
      label: { zh: `${definition.name.zh}字号：${prefix}${o.value}`, en: `${definition.name.en} numbers: ${prefix}${o.value}` },
    }));
  });
}

/**
 * 断号报告 for a year: every sequence whose counter handed out a number that year. For those who
 * keep or oversee the numbers only: a void's reason can name a withdrawn document.
 */
export async function numberGaps(deps: Pick<Deps, 'numbering' | 'org'>, caller: Caller, year: number): Promise<NumberGapsReport> {
  const org = await loadOrgChart(deps);
  if (!READERS.some((role) => org.has(caller.personId, role))) {
    throw new ForbiddenError('断号报告仅供档案员、办公室人员、主要负责人和管理员查阅。The number-gap report is for the archivist, the office, the head and admins.');
  }
  const sequences = sequencesOf(year, org);
  const uses: Awaited<ReturnType<Deps['numbering']['uses']>>[] = [];
  for (let i = 0; i < sequences.length; i += READ_AT_ONCE) {
    uses.push(...(await Promise.all(sequences.slice(i, i + READ_AT_ONCE).map((s) => deps.numbering.uses(s.kind, year)))));
  }
  const reports = sequences.flatMap((s, i) => {
    if (uses[i]!.last === 0) return [];
    const report = sequenceReport(s.kind, year, s.label, uses[i]!);
    return [{ ...report, voids: report.voids.map((v) => ({ ...v, byName: v.by === undefined ? undefined : v.by === 'system' ? '系统' : org.nameOf(v.by) })) }];
  });
  return {
    year,
    sequences: reports,
    total: {
      sequences: reports.length,
      gaps: reports.reduce((n, r) => n + r.missing, 0),
      voids: reports.reduce((n, r) => n + r.voided, 0),
    },
  };
}

const COLUMNS: Column[] = [
  { key: 'seq', label: { zh: '序号', en: 'No.' }, width: 6 },
  { key: 'sequence', label: { zh: '编号序列', en: 'Sequence' }, width: 28 },
  { key: 'type', label: { zh: '类型', en: 'Kind' }, width: 8 },
  { key: 'from', label: { zh: '起', en: 'From' }, width: 8 },
  { key: 'to', label: { zh: '止', en: 'To' }, width: 8 },
  { key: 'number', label: { zh: '编号', en: 'Number' }, width: 22 },
  { key: 'reason', label: { zh: '原因', en: 'Reason' }, width: 36 },
  { key: 'by', label: { zh: '作废人', en: 'By' }, width: 10 },
  { key: 'at', label: { zh: '时间', en: 'At' }, width: 18 },
];

/** A time as the office reads it, in China: 2026-03-02 10:15. */
const chinaTime = (iso: string | undefined) => (iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : null);

/** The report as lines: per sequence, what was handed out (已用), then its gaps and voids in number order. */
export function numberGapsRegister(report: NumberGapsReport): Pick<Register, 'name' | 'year' | 'columns' | 'rows'> {
  const rows: Register['rows'][number][] = [];
  for (const s of report.sequences) {
    const sequence = s.label.zh;
    rows.push({
      sequence,
      type: '已用',
      from: s.first ?? null,
      to: s.last,
      number: null,
      reason: `共编 ${s.last} 个：已用 ${s.used} 个，作废 ${s.voided} 个，断号 ${s.missing} 个`,
      by: null,
      at: null,
    });
    const lines = [
      ...s.gaps.map((g) => ({ at: g.from, row: { sequence, type: '断号', from: g.from, to: g.to, number: null, reason: '未使用也未登记作废', by: null, at: null } })),
      ...s.voids.map((v) => ({ at: v.sequence, row: { sequence, type: '作废', from: v.sequence, to: v.sequence, number: v.number, reason: v.reason ?? null, by: v.byName ?? v.by ?? null, at: chinaTime(v.at) } })),
    ].sort((a, b) => a.at - b.at);
    rows.push(...lines.map((l) => l.row));
  }
  return { name: { zh: '断号报告', en: 'Number gaps' }, year: report.year, columns: COLUMNS, rows: rows.map((r, i) => ({ seq: i + 1, ...r })) };
}
