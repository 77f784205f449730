/**
 * Registers (登记簿/台账): the books an office keeps, printed and exported — 收文登记, 发文登记,
 * 用印登记簿, the petition register, the certificate register, the archive catalogue, borrowing
 * and destruction. Each is a year of entries in the order they were made, with the columns the
 * office keeps. A process register is read from its cases; the archive books from their own entries.
 */
import type { Definition, FieldDefinition, Text } from '../definitions/definition.ts';
import type { OrgChart } from '../org/org.ts';
import type { CaseRecord } from '../cases/case.ts';

export type Cell = string | number | null;

export interface Column {
  readonly key: string;
  readonly label: Text;
  /** Width in characters, for exports and print. */
  readonly width?: number;
}

export interface Register {
  readonly id: string;
  readonly name: Text;
  readonly year: number;
  readonly columns: readonly Column[];
  readonly rows: readonly Record<string, Cell>[];
}

const STATUS: Record<CaseRecord['status'], string> = { open: '在办', completed: '办结', rejected: '未批准', withdrawn: '已撤回' };

/** The day in China (Asia/Shanghai), as registers write it. */
export function chinaDate(iso: string | undefined): string | null {
  if (!iso) return null;
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The columns of a process's register: its number and date first, its own fields, then how it stands. */
export function caseRegisterColumns(definition: Definition): Column[] {
  const own = (definition.register?.columns ?? []).flatMap((key) => {
    const field = definition.fields.find((f) => f.key === key) ?? inputsOf(definition).find((f) => f.key === key);
    return field ? [{ key, label: field.label, width: field.type === 'text' ? 24 : 12 }] : [];
  });
  return [
    { key: 'seq', label: { zh: '序号', en: 'No.' }, width: 6 },
    { key: 'number', label: { zh: '编号', en: 'Number' }, width: 18 },
    { key: 'registeredOn', label: { zh: '登记日期', en: 'Registered' }, width: 12 },
    { key: 'title', label: { zh: '标题', en: 'Title' }, width: 30 },
    { key: 'applicant', label: { zh: '经办人', en: 'By' }, width: 10 },
    { key: 'department', label: { zh: '部门', en: 'Department' }, width: 12 },
    ...own,
    { key: 'status', label: { zh: '状态', en: 'Status' }, width: 8 },
    { key: 'closedOn', label: { zh: '办结日期', en: 'Closed' }, width: 12 },
  ];
}

/** Fields assignees enter at steps (拟办's departments, 承办's result), where a definition has them. */
function inputsOf(definition: Definition): FieldDefinition[] {
  return definition.steps.flatMap((s) => ((s as { inputs?: FieldDefinition[] }).inputs ?? []));
}

/** One case as a register line, its values as a clerk reads them (labels and names, not ids). */
export function caseRegisterRow(c: CaseRecord, seq: number, definition: Definition, org: OrgChart): Record<string, Cell> {
  const row: Record<string, Cell> = {
    // Not a column (exports leave it out): the case the line opens.
    caseId: c.id,
    seq,
    number: c.number ?? null,
    registeredOn: chinaDate(c.createdAt),
    title: c.title,
    applicant: c.applicantName,
    department: org.department(c.departmentId)?.name ?? c.departmentId ?? null,
    status: STATUS[c.status],
    closedOn: chinaDate(c.closedAt),
  };
  for (const key of definition.register?.columns ?? []) {
    const field = definition.fields.find((f) => f.key === key) ?? inputsOf(definition).find((f) => f.key === key);
    if (field) row[key] = cellOf(field, c.fields[key], org);
  }
  return row;
}

export function cellOf(field: FieldDefinition, value: unknown, org: OrgChart): Cell {
  if (value === undefined || value === null || value === '') return null;
  switch (field.type) {
    case 'number':
    case 'money':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value ? '是' : '否';
    case 'enum':
      return field.options.find((o) => o.value === value)?.label.zh ?? String(value);
    case 'person':
      return org.person(String(value))?.name ?? String(value);
    case 'people':
      return (value as string[]).map((id) => org.person(id)?.name ?? id).join('、');
    case 'department':
      return org.department(String(value))?.name ?? String(value);
    case 'departments':
      return (value as string[]).map((id) => org.department(id)?.name ?? id).join('、');
    default:
      return String(value);
  }
}
