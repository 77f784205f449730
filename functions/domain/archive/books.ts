/**
 * The archive's own book: the catalogue (归档文件目录), one line per filed item, with the columns
 * of DA/T 22 — item number, year, category, retention, department, document number, title, date,
 * files, confidentiality, state. Classified items show only to the confidential clerk and to
 * people with a live grant.
 */
import { ForbiddenError } from '../errors.ts';
import type { Caller } from '../ports.ts';
import type { OrgChart } from '../org/org.ts';
import type { Book, RegisterDeps, RegisterQuery } from '../registers/registers.ts';
import { chinaDate, type Column, type Register } from '../registers/register.ts';
import { CATEGORY_LABELS, CONFIDENTIALITY_LABELS, isClassifiedLevel, RETENTION_LABELS, type ArchiveItem } from './archive.ts';

const CATALOGUE_COLUMNS: Column[] = [
  { key: 'seq', label: { zh: '序号', en: 'No.' }, width: 6 },
  { key: 'number', label: { zh: '档号', en: 'Item number' }, width: 22 },
  { key: 'year', label: { zh: '年度', en: 'Year' }, width: 8 },
  { key: 'category', label: { zh: '类别', en: 'Category' }, width: 10 },
  { key: 'retention', label: { zh: '保管期限', en: 'Retention' }, width: 10 },
  { key: 'department', label: { zh: '机构（部门）', en: 'Department' }, width: 12 },
  { key: 'documentNumber', label: { zh: '文号', en: 'Document number' }, width: 20 },
  { key: 'title', label: { zh: '题名', en: 'Title' }, width: 36 },
  { key: 'filedOn', label: { zh: '归档日期', en: 'Filed' }, width: 12 },
  { key: 'files', label: { zh: '件数', en: 'Files' }, width: 6 },
  { key: 'confidentiality', label: { zh: '密级', en: 'Level' }, width: 8 },
  { key: 'retainUntil', label: { zh: '保管期满', en: 'Retained until' }, width: 12 },
  { key: 'state', label: { zh: '状态', en: 'State' }, width: 10 },
];

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
      .filter((i) => !query.departmentId || i.departmentId === query.departmentId)
      .filter((i) => !isClassifiedLevel(i.confidentiality) || org.has(caller.personId, 'confidential-clerk') || grants.has(i.caseId))
      .map((i, n) => ({
        caseId: i.caseId,
        seq: n + 1,
        number: i.number,
        year: i.year,
        category: CATEGORY_LABELS[i.category].zh,
        retention: RETENTION_LABELS[i.retention].zh,
        department: i.departmentName ?? i.departmentId ?? null,
        documentNumber: i.documentNumber ?? null,
        title: i.title,
        filedOn: chinaDate(i.filedAt),
        files: i.files.length,
        confidentiality: CONFIDENTIALITY_LABELS[i.confidentiality] ?? i.confidentiality,
        retainUntil: i.retainUntil ? chinaDate(new Date(Date.parse(i.retainUntil) - 1).toISOString()) : '永久',
        state: i.status === 'destroyed' ? `已销毁（${chinaDate(i.destroyedAt)}）` : '在库',
      }));
    return { id: this.id, name: this.name, year: query.year, columns: CATALOGUE_COLUMNS, rows };
  },
};

export const archiveBooks: readonly Book[] = [catalogue];
