/** Applies one person's decision to a case, in one transaction with its trail entry, then follows the case up (follow-up.ts). */
import { definitionVersion } from '../definitions/lookup.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { fingerprint, idempotent, type Response } from '../idempotency.ts';
import { engineContext, loadRules } from './rules.ts';
import type { Caller, Deps, Idempotency } from '../ports.ts';
import { caseView } from './case-view.ts';
import { canView, decide, type Command } from './engine.ts';
import { deliver } from '../notify.ts';
import { checkArchiveRequest } from '../archive/filing.ts';
import { saveOutcome } from './save-outcome.ts';
import { followUp } from './follow-up.ts';

export interface ActOnCase {
  readonly caller: Caller;
  readonly caseId: string;
  /** The version the caller saw: a stale one is refused (409) and nothing changes. */
  readonly version: number;
  readonly command: Command;
  readonly idempotencyKey?: string;
}

/** The ports a decision takes: no files, numbers or uploads (filing and numbering run in the execution's own steps). */
export type ActDeps = Pick<Deps, 'cases' | 'org' | 'calendar' | 'access' | 'archive' | 'notifications' | 'mailer' | 'workflows' | 'chases' | 'telemetry' | 'clock' | 'newId'>;

export async function actOnCase(deps: ActDeps, cmd: ActOnCase): Promise<Response> {
  return idempotent(deps.cases, cmd.caller, cmd.idempotencyKey, fingerprint('act', cmd.caseId, cmd.version, cmd.command), async (record) => {
    deps.telemetry.annotate({ caseId: cmd.caseId, personId: cmd.caller.personId });
    for (let attempt = 1; ; attempt++) {
      try {
        return await decideOnce(deps, cmd, record);
      } catch (error) {
        // A restart moved the case to a new execution while this decision was made (its version
        // stays): what the person saw is still current, so the decision is made again on the case
        // as it is now. Any other change is theirs to look at (409).
        if (!(error instanceof ConflictError) || attempt === MAX_ATTEMPTS || (await deps.cases.get(cmd.caseId))?.version !== cmd.version) throw error;
      }
    }
  });
}

/** How many times a decision is made when only the case's execution changed under it. */
const MAX_ATTEMPTS = 3;

async function decideOnce(deps: ActDeps, cmd: ActOnCase, record: (response: Response) => Idempotency | undefined): Promise<Response> {
  // The wait is read with the case (one round trip fewer than reading it after the save); followUp() below copes with it going stale.
  const [current, rules, grants, waitRead] = await Promise.all([
    deps.cases.get(cmd.caseId),
    loadRules(deps),
    deps.access.grantsOf(cmd.caller.personId, deps.clock.now()),
    deps.cases.waiting(cmd.caseId),
  ]);
  const { org } = rules;
  if (!current || !canView(current, org, cmd.caller.personId, grants)) throw new NotFoundError('没有这个案件。No such case.');
  if (current.version !== cmd.version) {
    throw new ConflictError(`该件已更新（当前版本 ${current.version}），请刷新后重试。The case has changed (now version ${current.version}): reload and try again.`, 'stale-version');
  }
  const definition = definitionVersion(current.type, current.definitionVersion);
  const outcome = decide(current, { ...engineContext(deps, rules, definition), grants }, cmd.caller.personId, cmd.command);
  // New fields from the applicant meet the same archive checks as a new request.
  if (cmd.command.action === 'resubmit') await checkArchiveRequest(deps, definition, outcome.case.fields, current.applicantId, org);
  const next = { ...outcome.case, version: current.version + 1 };
  const response = { statusCode: 200, body: caseView(next, definition, org, cmd.caller.personId, deps.clock.now()) };
  // The 待办 and notices go in the decision's transaction; emailed ones are mailed after it, and any it had no room for recorded.
  const told = await saveOutcome(deps, current, outcome, { idempotency: record(response) });
  await Promise.all([
    deliver(deps, org, told).catch((error) => deps.telemetry.survived('DeliveryFailures', 'Could not deliver the notifications of a decision', error)),
    // The execution woken, or the next step's chase armed. Lost, the hourly restartStalledCases
    // wakes it or runs the chase once late (and a chase of the step left arms it); the decision stands.
    followUp(deps, next, { before: current, waitRead }).catch((error) => deps.telemetry.survived('WakeFailures', 'Could not wake the execution or arm the next chase', error, { execution: next.execution })),
  ]);
  return response;
}
