/**
 * What of a case is searchable, worked out from the case itself (DynamoDB is the source of truth;
 * the index only ever holds what this derives): its title, number and text fields, the opinions
 * written in its trail, and the pages of text read from its scans.
 */
import type { Definition } from '../definitions/definition.ts';
import type { Text } from '../definitions/definition.ts';
import type { CaseRecord, TrailEntry } from '../cases/case.ts';
import { isClassified, viewersOf } from '../cases/engine.ts';
import { numberingYear } from '../numbering/document-number.ts';
import { normalizeNumber } from './tokens.ts';

/** One searchable value of a case: its title, a text field, its number. */
export interface CasePart {
  readonly key: string;
  readonly label: Text;
  readonly text: string;
}

/** An opinion (意见) in the trail. */
export interface CaseOpinion {
  /** The trail entry's position: stable across re-indexing. */
  readonly id: string;
  readonly at: string;
  readonly actorName: string;
  readonly stepName?: string;
  readonly text: string;
}

/** A scan whose text was read, and how many pages of it are indexed. */
export interface CaseScan {
  readonly attachmentId: string;
  readonly fileName: string;
  readonly pages: number;
}

/**
 * What the index keeps of a case besides its terms: enough to filter, to decide visibility by the
 * same rule as everywhere (engine.ts: canView), and to show a result without reading the case.
 */
export interface CaseFacts {
  readonly id: string;
  readonly type: string;
  readonly typeName: Text;
  readonly year: number;
  readonly status: CaseRecord['status'];
  readonly departmentId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly title: string;
  readonly number?: string;
  readonly applicantName: string;
  /** Everyone the case names (applicant, signers, readers, participants): they may see it. */
  readonly viewers: readonly string[];
  readonly classified: boolean;
  /** Numbers looked up exactly (文号、收文号、来文字号、档号、信访编号), normalized. */
  readonly numbers: readonly string[];
  readonly parts: readonly CasePart[];
  readonly opinions: readonly CaseOpinion[];
  readonly scans: readonly CaseScan[];
}

/** How much of one opinion or field is indexed and kept for snippets. */
export const MAX_PART_CHARS = 2_000;

/** The case's own searchable values: title, number and every text field, labelled as the form labels them. */
export function caseFacts(c: CaseRecord, definition: Definition | undefined, opinions: readonly TrailEntry[], scans: readonly CaseScan[], archiveNumber?: string): CaseFacts {
  const parts: CasePart[] = [{ key: 'title', label: { zh: '标题', en: 'Title' }, text: c.title }];
  if (c.number) parts.push({ key: 'number', label: { zh: '编号', en: 'Number' }, text: c.number });
  if (archiveNumber) parts.push({ key: 'archiveNumber', label: { zh: '档号', en: 'Item number' }, text: archiveNumber });
  parts.push({ key: 'applicant', label: { zh: '申请人', en: 'Applicant' }, text: c.applicantName });
  const numbers = new Set<string>([c.number, archiveNumber].filter((n): n is string => !!n).map(normalizeNumber));
  // The form's fields and what steps asked their assignees for (拟办意见, 批办意见…).
  const fields = [...(definition?.fields ?? []), ...(definition?.steps ?? []).flatMap((step) => (step.type === 'auto' ? [] : step.inputs))];
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.key)) continue;
    seen.add(field.key);
    const value = c.fields[field.key];
    if (field.type !== 'text' || typeof value !== 'string' || value.trim() === '') continue;
    parts.push({ key: field.key, label: field.label, text: value.slice(0, MAX_PART_CHARS) });
    // A field that holds a number (来文字号, 信访编号…) is looked up exactly too.
    if (/number|no$/i.test(field.key) && /\d/.test(value)) numbers.add(normalizeNumber(value));
  }
  return {
    id: c.id,
    type: c.type,
    typeName: definition?.name ?? { zh: c.type, en: c.type },
    year: numberingYear(Date.parse(c.createdAt)),
    status: c.status,
    departmentId: c.departmentId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    title: c.title,
    number: c.number,
    applicantName: c.applicantName,
    viewers: [...viewersOf(c)],
    classified: isClassified(c),
    numbers: [...numbers],
    parts,
    opinions: opinions
      .filter((e) => e.comment && e.comment.trim() !== '')
      .map((e, i) => ({ id: `${e.at}#${i}`, at: e.at, actorName: e.actorName, stepName: e.stepName, text: e.comment!.slice(0, MAX_PART_CHARS) })),
    scans,
  };
}

