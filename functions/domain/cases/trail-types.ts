/**
 * What the trail's hash chain is made of and what verifying it says (trail-chain.ts computes
 * them). Types only, so the web form can read them without Node's crypto.
 */
import type { TrailEntry } from './case.ts';

/** The end of a case's chain: entries sealed so far, and the last entry's hashes. */
export interface TrailHead {
  readonly count: number;
  readonly sm3: string;
  readonly sha256: string;
  /** When the last sealed entry was written. */
  readonly at: string;
  /** Entries the case had before the chain existed (unsealed, before the first sealed one); absent: none. */
  readonly legacy?: number;
}

/** What each stored entry carries: its place in the chain and its hashes (which include the previous entry's). */
export interface ChainLink {
  readonly n: number;
  readonly prevSm3: string;
  readonly sm3: string;
  readonly sha256: string;
}

/** One stored trail entry as read back: where it is kept (`ref`: the version and place of the change that wrote it), and its link if sealed. */
export interface StoredEntry {
  readonly ref: string;
  readonly entry: TrailEntry;
  readonly link?: ChainLink;
}

/** A head a daily digest recorded for the case. */
export interface DigestedHead {
  readonly day: string;
  readonly count: number;
  readonly sm3: string;
  readonly legacy?: number;
}

export type ChainProblem = 'altered' | 'deleted' | 'inserted' | 'truncated' | 'head' | 'slip' | 'digest';

export interface TrailVerification {
  readonly caseId: string;
  readonly ok: boolean;
  /** Entries read; of them sealed (written since the chain existed) and earlier ones, which carry no link. */
  readonly entries: number;
  readonly sealed: number;
  readonly unsealed: number;
  readonly head?: { readonly count: number; readonly sm3: string; readonly sha256: string };
  /** Whether a locked daily digest recorded this case's head (a case newer than the last digest is not yet anchored). */
  readonly anchored?: boolean;
  /** The digests the head was checked against, by day. */
  readonly digests: readonly { readonly day: string; readonly ok: boolean }[];
  /** The first place the chain breaks, and why, in Chinese first. */
  readonly broken?: {
    readonly problem: ChainProblem;
    /** The entry's place in the chain (when the problem is at an entry). */
    readonly n?: number;
    readonly ref?: string;
    readonly at?: string;
    readonly action?: string;
    readonly message: string;
  };
}

export interface RangeCheck {
  readonly from: string;
  readonly to: string;
  /** Each day's digest: missing (not written), whether it chains to the one before, how many cases it names and how many of them break. */
  readonly days: readonly { readonly day: string; readonly digest: boolean; readonly chained?: boolean; readonly cases: number; readonly broken: number }[];
  readonly broken: readonly TrailVerification[];
  readonly checked: number;
  /** Set when the check stopped early: ask again with `after` set to it to go on. */
  readonly next?: string;
}
