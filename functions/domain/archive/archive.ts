/**
 * The archive (档案, 003 §7–§10; 000 §二.2; DA/T 22 归档文件整理规则): a completed case is filed
 * as one item (件) by year, category (文件/信息/报表/日常工作), handling department and retention
 * period (永久, 30 years, 10 years), with an item number (档号) and a line in the catalogue
 * (归档文件目录). Nothing is destroyed before its retention period ends; after it, only with
 * approval, and the destruction is recorded.
 */
import type { CaseRecord } from '../cases/case.ts';
import { archiveCodeOf, type OrgChart } from '../org/org.ts';
import type { Text } from '../definitions/definition.ts';

export const RETENTIONS = ['permanent', '30y', '10y'] as const;
export type Retention = (typeof RETENTIONS)[number];
export const RETENTION_LABELS: Record<Retention, Text & { code: string; years?: number }> = {
  permanent: { zh: '永久', en: 'Permanent', code: 'Y' },
  '30y': { zh: '30年', en: '30 years', code: 'D30', years: 30 },
  '10y': { zh: '10年', en: '10 years', code: 'D10', years: 10 },
};

/** The default categories of 000 §二.2: documents, information, reports, daily work. */
export const CATEGORIES = ['documents', 'information', 'reports', 'daily'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, Text> = {
  documents: { zh: '文件', en: 'Documents' },
  information: { zh: '信息', en: 'Information' },
  reports: { zh: '报表', en: 'Reports' },
  daily: { zh: '日常工作', en: 'Daily work' },
};

export interface ArchivedFile {
  readonly attachmentId: string;
  readonly fileName: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  /** The type it was verified to be when attached (absent in items filed before it was kept). */
  readonly contentType?: string;
  /** Pages, as the 四性检测 counted them (页数). */
  readonly pages?: number;
}

/** Where the item's 四性检测 (DA/T 70) stands: run as it is filed, and again on demand or before a handover. */
export interface ItemCheckState {
  readonly status: 'pending' | 'passed' | 'failed';
  readonly at?: string;
  /** The checks that failed, with why (Chinese first). */
  readonly failures?: readonly { readonly id: string; readonly property: string; readonly why: string }[];
  /** Why the 归档章 could not be stamped on the main PDF (it opened, but the stamper could not take it). */
  readonly stampError?: string;
}

/** The filed copy of the main PDF's first page with the 归档章 stamped on it (the original stays as it was). */
export interface StampedCopy {
  readonly attachmentId: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ArchiveItem {
  readonly caseId: string;
  /**
   * 档号 (DA/T 22-2015): 全宗号-年度-保管期限代码-机构代码-件号, e.g. Z123-2026-D30-BGS-0003.
   * Items filed before were numbered 2026-D30-OFFICE-0003; renumbered, they keep that as `formerNumbers`.
   */
  readonly number: string;
  /** 全宗号, 机构代码 and 件号 as the number carries them (absent on items filed before DA/T 22 numbering). */
  readonly fonds?: string;
  readonly organCode?: string;
  readonly sequence?: number;
  readonly formerNumbers?: readonly string[];
  /** 责任者: who made the document (the sender of an incoming one; otherwise the organisation). */
  readonly responsible?: string;
  /** 日期: the document's date as DA/T 22 writes it, 8 digits (20261123). */
  readonly documentDate?: string;
  check?: ItemCheckState;
  stamped?: StampedCopy;
  readonly year: number;
  readonly category: Category;
  readonly retention: Retention;
  /** The end of the retention period; none for permanent items. */
  readonly retainUntil?: string;
  readonly departmentId?: string;
  readonly departmentName?: string;
  readonly title: string;
  /** The document's own number (文号), if it has one. */
  readonly documentNumber?: string;
  readonly confidentiality: string;
  readonly filedAt: string;
  readonly files: readonly ArchivedFile[];
  status: 'kept' | 'destroyed';
  destroyedAt?: string;
  /** The approved destruction request. */
  destructionCaseId?: string;
}

/** How a process files its cases unless the archivist says otherwise. */
export interface FilingRule {
  readonly category: Category;
  readonly retention: Retention;
}

export const DEFAULT_FILING: FilingRule = { category: 'documents', retention: '10y' };

/** The year a case is filed under (China's calendar year of its completion). */
export function filingYear(at: string): number {
  return new Date(Date.parse(at) + 8 * 3_600_000).getUTCFullYear();
}

/** The end of the retention period: counted from 1 January of the year after the filing year, as archives count. */
export function retainUntil(year: number, retention: Retention): string | undefined {
  const years = RETENTION_LABELS[retention].years;
  // Midnight in China (UTC+8) of 1 January, `years` after the year following filing.
  return years ? new Date(Date.UTC(year + 1 + years, 0, 1) - 8 * 3_600_000).toISOString() : undefined;
}

/** The 档号 of DA/T 22-2015: 全宗号-年度-保管期限代码-机构代码-件号 (Z123-2026-D30-BGS-0003); without a 全宗号 set, it starts at the year. */
export function archiveNumber(fonds: string | undefined, year: number, retention: Retention, organCode: string, sequence: number): string {
  return `${fonds ? `${fonds}-` : ''}${year}-${RETENTION_LABELS[retention].code}-${organCode}-${String(sequence).padStart(4, '0')}`;
}

/** 机构代码 of items with no department. */
export const GENERAL_ORGAN = 'ZH';

/** The department's 机构代码 in the org chart at filing. */
export function organCodeOf(org: OrgChart, departmentId: string | undefined): string {
  const department = org.department(departmentId);
  return department ? archiveCodeOf(department) : GENERAL_ORGAN;
}

/** The number an item filed before DA/T 22 numbering (2026-D30-OFFICE-0003) has now, and the parts it is made of. */
export function renumbered(item: ArchiveItem, org: OrgChart): Pick<ArchiveItem, 'number' | 'fonds' | 'organCode' | 'sequence' | 'formerNumbers'> | undefined {
  if (item.sequence !== undefined) return undefined;
  const match = /-(\d{4,})$/.exec(item.number);
  if (!match) return undefined;
  const sequence = Number(match[1]);
  const fonds = org.org.fondsCode;
  const organCode = organCodeOf(org, item.departmentId);
  return { number: archiveNumber(fonds, item.year, item.retention, organCode, sequence), fonds, organCode, sequence, formerNumbers: [...(item.formerNumbers ?? []), item.number] };
}

/** DA/T 22's date: 8 digits in China's calendar. */
export function daTDate(at: string): string {
  return new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The counter an item number is drawn from: one per year, retention and department. */
export function archiveCounter(retention: Retention, departmentId: string | undefined): string {
  return `ARCHIVE-${RETENTION_LABELS[retention].code}-${departmentId ?? 'general'}`;
}

export function archiveItemOf(c: CaseRecord, org: OrgChart, rule: FilingRule, filedAt: string, sequence: number): ArchiveItem {
  const year = filingYear(filedAt);
  const files = c.attachments ?? [];
  // Only the newest version of each file is filed (a replaced scan stays in the case's history).
  const replaced = new Set(files.map((f) => f.replaces).filter(Boolean));
  const fonds = org.org.fondsCode;
  const organCode = organCodeOf(org, c.departmentId);
  const sender = typeof c.fields.fromOrg === 'string' && c.fields.fromOrg.trim() ? c.fields.fromOrg.trim() : undefined;
  const received = typeof c.fields.receivedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.fields.receivedOn) ? c.fields.receivedOn.replace(/-/g, '') : undefined;
  return {
    caseId: c.id,
    number: archiveNumber(fonds, year, rule.retention, organCode, sequence),
    ...(fonds ? { fonds } : {}),
    organCode,
    sequence,
    responsible: sender ?? org.org.name,
    documentDate: received ?? daTDate(c.closedAt ?? filedAt),
    check: { status: 'pending' },
    year,
    category: rule.category,
    retention: rule.retention,
    retainUntil: retainUntil(year, rule.retention),
    departmentId: c.departmentId,
    departmentName: org.department(c.departmentId)?.name,
    title: c.title,
    documentNumber: c.number,
    confidentiality: String(c.fields.confidentiality ?? 'internal'),
    filedAt,
    files: files.filter((f) => !replaced.has(f.id)).map((f) => ({ attachmentId: f.id, fileName: f.fileName, key: f.key, size: f.size, sha256: f.sha256, contentType: f.contentType })),
    status: 'kept',
  };
}

/** Whether the retention period is over at `now`: never for permanent items. */
export function retentionOver(item: Pick<ArchiveItem, 'retainUntil'>, now: number): boolean {
  return item.retainUntil !== undefined && Date.parse(item.retainUntil) <= now;
}

export function isClassifiedLevel(confidentiality: string): boolean {
  return confidentiality === 'secret' || confidentiality === 'confidential';
}

/** 密级: cases and files above 内部 (秘密, 机密) are kept apart (三密). */
export const CONFIDENTIALITY_LEVELS = [
  { value: 'public', label: { zh: '公开', en: 'Public' } },
  { value: 'internal', label: { zh: '内部', en: 'Internal' } },
  { value: 'secret', label: { zh: '秘密', en: 'Secret' } },
  { value: 'confidential', label: { zh: '机密', en: 'Confidential' } },
] as const;

export const CONFIDENTIALITY_LABELS: Record<string, string> = Object.fromEntries(CONFIDENTIALITY_LEVELS.map((l) => [l.value, l.label.zh]));

/** Where an attached scan's bytes are kept; the text read from it is kept beside it. */
export function attachmentKey(caseId: string, attachmentId: string): string {
  return `attachments/${caseId}/${attachmentId}`;
}

/** The copy of a filed PDF with the 归档章 stamped on its first page, beside the original. */
export function stampedKeyOf(fileKey: string): string {
  return `${fileKey}.stamped.pdf`;
}

/** The text read from a scan (its pages, as JSON), beside the scan. */
export function textKeyOf(fileKey: string): string {
  return `${fileKey}.text.json`;
}
