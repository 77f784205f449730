/** Opens a case for the caller and starts the execution that drives it. */
import { latestDefinition } from '../definitions/lookup.ts';
import { checkMayStart } from '../definitions/starting.ts';
import { fingerprint, idempotent, type Response } from '../idempotency.ts';
import { engineContext, loadRules } from './rules.ts';
import type { Caller, Deps } from '../ports.ts';
import { caseView } from './case-view.ts';
import { openCase } from './engine.ts';
import { deliver } from '../notify.ts';
import { checkArchiveRequest } from '../archive/filing.ts';
import { createOutcome } from './save-outcome.ts';

export interface CreateCase {
  readonly caller: Caller;
  readonly type: string;
  readonly title: string;
  readonly fields: unknown;
  readonly idempotencyKey?: string;
}

/** The ports opening a case takes: no files, numbers or uploads. */
export type CreateDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'access' | 'archive' | 'notifications' | 'mailer' | 'workflows' | 'telemetry' | 'clock' | 'newId'>;

export async function createCase(deps: CreateDeps, cmd: CreateCase): Promise<Response> {
  return idempotent(deps.cases, cmd.caller, cmd.idempotencyKey, fingerprint('create', cmd.type, cmd.title, cmd.fields), async (record) => {
    const definition = latestDefinition(cmd.type);
    const rules = await loadRules(deps);
    const { org } = rules;
    checkMayStart(definition, org, cmd.caller.personId);
    const now = deps.clock.now();
    const id = caseId(now, deps.newId());
    deps.telemetry.annotate({ caseId: id, personId: cmd.caller.personId });
    const outcome = openCase(engineContext(deps, rules, definition, now), { id, title: cmd.title, fields: cmd.fields, applicantId: cmd.caller.personId });
    outcome.case.execution = id;
    // A request about an archive item (borrow, access, destroy) is checked against the archive first.
    await checkArchiveRequest(deps, definition, outcome.case.fields, cmd.caller.personId, org);
    const response = { statusCode: 201, body: caseView(outcome.case, definition, org, cmd.caller.personId, now) };
    const told = await createOutcome(deps, outcome, record(response));
    await deliver(deps, org, told).catch((error) => deps.telemetry.survived('DeliveryFailures', 'Could not deliver the notifications of a new case', error));
    // If this fails the case still stands; restarting executions (redriveOpenCases) picks it up, and the alarm on StartFailures says so.
    await deps.workflows.start(id, id).catch((error) => deps.telemetry.survived('StartFailures', 'Could not start the execution of a new case', error, { execution: id }));
    return response;
  });
}

/** Case ids sort by creation: `20261123-` plus a random part. */
function caseId(now: number, random: string): string {
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}-${random}`;
}
