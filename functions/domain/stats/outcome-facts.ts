/**
 * The assessment facts (考核) of a change, worked out by the domain before the change is saved,
 * so the case store writes them with it and derives nothing itself.
 */
import type { CaseRecord } from '../cases/case.ts';
import type { Outcome } from '../cases/engine.ts';
import type { CaseStore } from '../ports.ts';
import { closes, factsOf, type Fact } from './assessment.ts';

/** An outcome with the facts it adds: what the case store is handed to write. */
export type AssessedOutcome = Outcome & { readonly facts: readonly Fact[] };

/**
 * The outcome with its facts; `previous` is the case as read (none for a new case). Whether a
 * closing case was ever sent back is in its history, so the routing slip is read then only: it
 * holds every decision (trail.ts: isSlipEntry), and no other change needs it.
 */
export async function withFacts(cases: Pick<CaseStore, 'slip'>, previous: CaseRecord | undefined, outcome: Outcome): Promise<AssessedOutcome> {
  const history = closes(previous, outcome.case) ? await cases.slip(outcome.case) : [];
  // The same case object: the store sets its new version on it, as callers of save expect.
  return { ...outcome, facts: factsOf(previous, outcome.case, outcome.trail, history) };
}
