/**
 * What the archive's reports say (the 四性检测 report, the 断号 report): types only, so the web
 * form reads them without the modules that make them (which hash, and write spreadsheets).
 */
import type { Text } from '../definitions/definition.ts';
import type { Check, Property } from './four-checks.ts';

/** A run of consecutive missing numbers, both ends included. */
export interface Gap {
  readonly from: number;
  readonly to: number;
}

export interface VoidLine {
  readonly sequence: number;
  readonly number: string;
  readonly reason?: string;
  /** Who voided it: a person id, or `system` when the system did. */
  readonly by?: string;
  /** Their name as the org chart has it now (set by `numberGaps`). */
  readonly byName?: string;
  readonly at?: string;
}

export interface SequenceReport {
  readonly kind: string;
  readonly label: Text;
  readonly year: number;
  /** The lowest number used; none when no number was. */
  readonly first?: number;
  /** The highest number handed out. */
  readonly last: number;
  readonly used: number;
  readonly voided: number;
  /** How many numbers the gaps hold. */
  readonly missing: number;
  readonly gaps: readonly Gap[];
  readonly voids: readonly VoidLine[];
}

export interface NumberGapsReport {
  readonly year: number;
  readonly sequences: readonly SequenceReport[];
  /** `gaps` counts missing numbers, not runs. */
  readonly total: { readonly sequences: number; readonly gaps: number; readonly voids: number };
}

export interface ItemReport {
  readonly caseId: string;
  readonly number: string;
  readonly title: string;
  readonly confidentiality: string;
  readonly pass: boolean;
  readonly checks: readonly Check[];
}

export interface CheckReport {
  readonly id: string;
  readonly year: number;
  readonly trigger: 'filing' | 'on-demand' | 'handover';
  readonly at: string;
  readonly byName: string;
  readonly items: readonly ItemReport[];
  /** Checks of the year as a whole: item numbers and document numbers continuous. */
  readonly sequences: readonly Check[];
  /** As read through the API: which items this is of all (failed first), a page at a time. */
  readonly page?: { readonly offset: number; readonly limit: number; readonly total: number };
  readonly summary: {
    readonly items: number;
    readonly passed: number;
    readonly failed: number;
    readonly byProperty: Record<Property, { readonly pass: number; readonly fail: number }>;
  };
}
