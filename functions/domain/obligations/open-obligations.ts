/** Opens this period's case of every recurring obligation that is due and not opened yet. */
import { latestDefinition } from '../definitions/lookup.ts';
import { ConflictError } from '../errors.ts';
import { deliver } from '../notify.ts';
import type { Deps, Told } from '../ports.ts';
import { openCase } from '../cases/engine.ts';
import { engineContext, loadRules } from '../cases/rules.ts';
import { obligations, periodOf, type Obligation } from './obligations.ts';
import { createOutcome } from '../cases/save-outcome.ts';

/** The ports of opening the obligations that are due. */
export type ObligationDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'notifications' | 'mailer' | 'workflows' | 'telemetry' | 'clock' | 'newId'>;

export async function openDueObligations(deps: ObligationDeps, at: number = deps.clock.now(), list: readonly Obligation[] = obligations): Promise<string[]> {
  const rules = await loadRules(deps);
  const { org } = rules;
  const opened: string[] = [];
  for (const obligation of list) {
    const { period, open } = periodOf(obligation, at);
    if (!open) continue;
    // The id names the obligation and period: a second run finds it taken and opens nothing.
    const id = `obl-${obligation.id}-${period}`;
    if (await deps.cases.get(id)) continue;
    const applicant = org.withRole(obligation.applicantRole)[0];
    if (!applicant) {
      deps.telemetry.survived('UnfilledRoles', 'Nobody holds the role a recurring obligation is opened for', undefined, { obligation: obligation.id, role: obligation.applicantRole });
      continue;
    }
    const definition = latestDefinition(obligation.type);
    const outcome = openCase(engineContext(deps, rules, definition, at), { id, title: obligation.title(period), fields: obligation.fields(period), applicantId: applicant.id });
    outcome.case.execution = id;
    let told: Told;
    try {
      told = await createOutcome(deps, outcome);
    } catch (error) {
      if (error instanceof ConflictError) continue; // another run opened it first
      throw error;
    }
    await deliver(deps, org, told);
    await deps.workflows.start(id, id);
    opened.push(id);
  }
  return opened;
}
