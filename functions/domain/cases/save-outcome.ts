/**
 * How the use cases write what the engine decided: with the assessment facts it adds
 * (stats/outcome-facts.ts), and, once written, counted for the office's dashboard
 * (outcome-counts.ts). The case store takes only an outcome whose facts are worked out, so a new
 * place that saves a case goes through here or does not compile.
 */
import type { CaseStore, Idempotency, Told } from '../ports.ts';
import type { Telemetry } from '../telemetry.ts';
import { countOutcome } from './outcome-counts.ts';
import { withFacts } from '../stats/outcome-facts.ts';
import type { CaseRecord } from './case.ts';
import type { Outcome } from './engine.ts';

type SaveOptions = Parameters<CaseStore['save']>[2];

/**
 * Writes a change to `previous` (the case as read), in one transaction with its facts and its
 * notifications. Says what it told, for notify.ts's deliver to mail and to record the rest.
 */
export async function saveOutcome(deps: { readonly cases: Pick<CaseStore, 'save' | 'slip'>; readonly telemetry: Telemetry }, previous: CaseRecord, outcome: Outcome, options?: SaveOptions): Promise<Told> {
  const told = await deps.cases.save(previous, await withFacts(deps.cases, previous, outcome), options);
  countOutcome(deps.telemetry, previous, outcome);
  return told;
}

/** Writes a new case, in one transaction with its facts (none yet: nobody has decided anything) and its notifications; says what it told, as saveOutcome does. */
export async function createOutcome(deps: { readonly cases: Pick<CaseStore, 'create' | 'slip'>; readonly telemetry: Telemetry }, outcome: Outcome, idempotency?: Idempotency): Promise<Told> {
  const told = await deps.cases.create(await withFacts(deps.cases, undefined, outcome), idempotency);
  countOutcome(deps.telemetry, undefined, outcome);
  return told;
}
