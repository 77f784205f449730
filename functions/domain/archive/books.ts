/**
 * The archive's own book: the catalogue (归档文件目录), one line per filed item in 档号 order, with
 * the columns of DA/T 22-2015 — 序号、档号、文号、责任者、题名、日期、密级、页数、备注. Classified items show only to the confidential clerk and to
 * people with a live grant.
 */
import { ForbiddenError } from '../errors.ts';
import type { Caller } from '../ports.ts';
import type { OrgChart } from '../org/org.ts';
import type { Book, RegisterDeps, RegisterQuery } from '../registers/registers.ts';
import { chinaDate, type Column, type Register } from '../registers/register.ts';
import { CONFIDENTIALITY_LABELS, daTDate, isClassifiedLevel, RETENTION_LABELS, RETENTIONS, type ArchiveItem } from './archive.ts';

const CATALOGUE_COLUMNS: Column[] = [
  { key: 'seq', label: { zh: '序号', en: 'No.' }, width: 6 },
  { key: 'number', label: { zh: '档号', en: 'Item number' }, width: 24 },
  { key: 'documentNumber', label: { zh: '文号', en: 'Document number' }, width: 20 },
  { key: 'responsible', label: { zh: '责任者', en: 'Author' }, width: 18 },
  { key: 'title', label: { zh: '题名', en: 'Title' }, width: 36 },
  { key: 'date', label: { zh: '日期', en: 'Date' }, width: 10 },
  { key: 'confidentiality', label: { zh: '密级', en: 'Level' }, width: 8 },
  { key: 'pages', label: { zh: '页数', en: 'Pages' }, width: 6 },
  { key: 'remarks', label: { zh: '备注', en: 'Remarks' }, width: 24 },
];

/** 备注: what a reader of the catalogue should know of the line — destroyed, checking, renumbered, the retention. */
function remarksOf(i: ArchiveItem): string {
  const notes: string[] = [];
  if (i.status === 'destroyed') notes.push(`已销毁（${chinaDate(i.destroyedAt)}）`);
  if (i.check?.status === 'pending') notes.push('四性检测中');
  notes.push(`${RETENTION_LABELS[i.retention].zh}${i.retainUntil ? `，至${chinaDate(new Date(Date.parse(i.retainUntil) - 1).toISOString())}` : ''}`);
  if (i.formerNumbers?.length) notes.push(`原档号 ${i.formerNumbers.join('、')}`);
  return notes.join('；');
}

/** Who keeps or oversees the archive sees the catalogue (003 §7–§10). */
const CATALOGUE_ROLES = ['archivist', 'office-director', 'confidential-clerk', 'head', 'deputy', 'admin', 'clerk'] as const;

const catalogue: Book = {
  id: 'archive-catalogue',
  name: { zh: '归档文件目录', en: 'Archive catalogue' },
  async read(deps: RegisterDeps, org: OrgChart, caller: Caller, query: RegisterQuery): Promise<Register> {
    if (!CATALOGUE_ROLES.some((role) => org.has(caller.personId, role))) {
      throw new ForbiddenError('归档文件目录仅供档案、办公室人员和领导查阅。The archive catalogue is for the archive, the office and the leaders.');
    }
    const grants = await deps.access.grantsOf(caller.personId, deps.clock.now());
    const items = await deps.registers.entries<ArchiveItem>('archive-catalogue', query.year);
    const rows = items
      // An item that failed its 四性检测 is kept out of the catalogue until it passes (GET /api/archive/jobs names why).
      .filter((i) => i.check?.status !== 'failed')
      .filter((i) => !query.departmentId || i.departmentId === query.departmentId)
      .filter((i) => !isClassifiedLevel(i.confidentiality) || org.has(caller.personId, 'confidential-clerk') || grants.has(i.caseId))
      // DA/T 22's order: by retention (永久, 30年, 10年), then 机构, then 件号 as a number.
      .sort((a, b) => RETENTIONS.indexOf(a.retention) - RETENTIONS.indexOf(b.retention) || (a.organCode ?? '').localeCompare(b.organCode ?? '') || (a.sequence ?? 0) - (b.sequence ?? 0) || a.number.localeCompare(b.number))
      .map((i, n) => ({
        caseId: i.caseId,
        seq: n + 1,
        number: i.number,
        documentNumber: i.documentNumber ?? null,
        responsible: i.responsible ?? null,
        title: i.title,
        date: i.documentDate ?? daTDate(i.filedAt),
        confidentiality: CONFIDENTIALITY_LABELS[i.confidentiality] ?? i.confidentiality,
        pages: i.files.every((f) => f.pages !== undefined) && i.files.length ? i.files.reduce((sum, f) => sum + (f.pages ?? 0), 0) : null,
        remarks: remarksOf(i),
      }));
    return { id: this.id, name: this.name, year: query.year, columns: CATALOGUE_COLUMNS, rows };
  },
};

export const archiveBooks: readonly Book[] = [catalogue];
