/**
 * What the API answers, typed from the handlers' own code where it exists so a change there shows
 * up here in `tsc -p web`; the routes still being built are typed by their agreed contract.
 */
import type { caseView } from '../../functions/domain/cases/case-view.ts';
import type { TrailEntry } from '../../functions/domain/cases/case.ts';
import type { Definition, FieldDefinition } from '../../functions/domain/definitions/definition.ts';
import type { ArchiveJob, TaskView } from '../../functions/domain/ports.ts';
import type { Check, Property } from '../../functions/domain/archive/four-checks.ts';
import type { TrailVerification } from '../../functions/domain/cases/trail-types.ts';
import type { searchCases } from '../../functions/domain/search/search.ts';
import type { Text } from './i18n.ts';

export type { ArchiveJob, Check, Definition, FieldDefinition, Property, TrailEntry, TrailVerification };

export type CaseView = ReturnType<typeof caseView> & { readonly trail?: TrailEntry[] };
export type StepView = CaseView['steps'][number];
export type HumanStep = Exclude<Definition['steps'][number], { type: 'auto' }>;


export interface Task extends TaskView {
  readonly overdue: boolean;
  readonly daysOverdue: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly next?: string;
}

export interface CaseListItem {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly number?: string;
  readonly status: 'open' | 'completed' | 'rejected' | 'withdrawn';
  readonly stepName?: string;
  readonly applicant: { readonly id: string; readonly name: string };
  readonly departmentId?: string;
  readonly dueAt?: string;
  readonly createdAt: string;
  readonly closedAt?: string;
}

export interface DefinitionSummary {
  readonly type: string;
  readonly version: number;
  readonly name: Text;
  readonly description?: Text;
  readonly source: string;
  /** The group it is offered under (公文、审批…), and whether the caller may start one. */
  readonly group?: string;
  readonly groupName?: Text;
  readonly canStart?: boolean;
  /** How many the person started lately (常用). */
  readonly used?: number;
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly title?: string;
  readonly departmentId?: string;
  readonly roles: readonly string[];
  readonly active?: boolean;
  /** The name's pinyin and its initials (王建国: wangjianguo, wjg), for pickers. */
  readonly pinyin?: string;
  readonly initials?: string;
}

export interface Department {
  readonly id: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly pinyin?: string;
  readonly initials?: string;
}

export interface Org {
  readonly name: string;
  readonly nameEn?: string;
  readonly departments: readonly Department[];
  readonly people: readonly Person[];
}

export interface Me extends Person {
  readonly department?: Department;
}

export interface Attachment {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly byId: string;
  readonly byName: string;
  readonly at: string;
  readonly replaces?: string;
  /** Where reading the file's text stands (文字识别); absent for a type whose text is not read. */
  readonly text?: ScanText;
}

/** A scan's text as the case page shows it (read-scan-texts.ts textStateView): pending, ready with its pages, or failed with why. */
export interface ScanText {
  readonly status: 'pending' | 'ready' | 'failed';
  readonly pages?: number;
  readonly reason?: string;
  /** Why it failed, "中文。English.". */
  readonly message?: string;
  readonly at?: string;
  /** 重新识别 would start it: it failed, or it has waited past a run's time. */
  readonly canRetry?: boolean;
  readonly tries?: number;
}
// What the case view gives must be what the page reads: a change there fails `tsc -p web` here.
type Holds<T extends true> = T;
export type ScanTextMatchesCaseView = Holds<NonNullable<CaseView['attachments'][number]['text']> extends ScanText ? true : false>;

/** GET /api/search: a page of results (全文检索), typed from the use case that answers it. */
export type SearchResults = Awaited<ReturnType<typeof searchCases>>;
export type SearchResult = SearchResults['items'][number];
export type SearchMatch = SearchResult['matches'][number];

// Registers, overdue and stats: the contract agreed with the archive/registers work.
export interface RegisterSummary {
  readonly id: string;
  readonly name: Text;
}

export interface Register {
  readonly id: string;
  readonly name: Text;
  readonly columns: readonly { readonly key: string; readonly label: Text; readonly width?: number }[];
  readonly rows: readonly Record<string, string | number | null>[];
}

export interface OverdueItem {
  readonly caseId: string;
  readonly title: string;
  readonly type: string;
  readonly stepId: string;
  readonly stepName: Text;
  readonly assignees: readonly string[];
  readonly department?: string;
  readonly dueAt: string;
  readonly daysOverdue: number;
  /** Chases so far, at the deadline and by hand (催办). */
  readonly chases: number;
  /** When it was last chased by hand (催办), if it was. */
  readonly lastChasedAt?: string;
  /** The case's version, sent with a chase from the board. */
  readonly version: number;
  /** The caller may chase it (the office director, supervision staff). */
  readonly canChase: boolean;
  readonly escalated?: boolean;
}

export interface Overdue {
  readonly items: readonly OverdueItem[];
  readonly departments: readonly { readonly department: string; readonly name: Text; readonly count: number }[];
}

export interface Figures {
  readonly completed: number;
  readonly onTime: number;
  readonly onTimeRate: number | null;
  readonly firstPass: number;
  readonly firstPassRate: number | null;
  readonly overdue: number;
  readonly averageHandlingHours: number | null;
}

export interface Stats {
  readonly month: string;
  readonly departments: readonly (Figures & { readonly department: string; readonly name: Text | string })[];
  readonly people: readonly (Figures & { readonly person: string; readonly name: Text | string; readonly department?: string })[];
}

/** The archive standards (DA/T 22, DA/T 70): the 四性检测 report, the 断号报告 and the trail range check, typed from the domain. */
export type { CheckReport, ItemReport, NumberGapsReport } from '../../functions/domain/archive/report-types.ts';
export type { RangeCheck } from '../../functions/domain/cases/trail-types.ts';
