/**
 * Task `${AdvanceCase}`: after a timeout, chases the overdue step; then runs automatic steps and says
 * what the execution waits for, or that the case has closed (Wait For People then ends the execution).
 */
import { access, archive, calendar, cases, clock, files, mailer, newId, notifications, numbering, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { advanceCase, handleOverdue } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, org, calendar, archive, numbering, files, access, notifications, mailer, workflows, telemetry, clock, newId });

interface AdvanceEvent {
  readonly caseId: string;
  readonly execution: string;
  readonly startedAt?: string;
  /** The state machine's state: after a wait timed out, the step waited on and the timeout caught. */
  readonly state?: { readonly timedOut?: unknown; readonly Payload?: { readonly stepKey?: string } };
}

/** A closed case's wait is failed by its own task at once; this is only the timeout if that call is lost. */
const CLOSED_WAIT_SECONDS = 300;

export const handler = observed(
  'AdvanceCase',
  async (event: AdvanceEvent) => {
    const stepKey = event.state?.Payload?.stepKey;
    // The step's chase time came while the execution waited: remind, escalate or decide, as the step says.
    if (event.state?.timedOut && stepKey) await handleOverdue(deps, { caseId: event.caseId, stepKey, execution: event.execution });
    const result = await advanceCase(deps, event);
    // Every field the state machine reads is there, waiting or not (a missing path fails the execution);
    // `next` too, for executions started on the previous definition (its Choice reads it) until an
    // admin restarts them on this one (POST /api/admin/restart-executions).
    if (result.next === 'stop') return { caseId: result.caseId, next: result.next, Payload: { stepKey: '', timeoutSeconds: CLOSED_WAIT_SECONDS, closed: true } };
    return { caseId: result.caseId, next: result.next, Payload: { stepKey: result.Payload.stepKey ?? '', timeoutSeconds: result.Payload.timeoutSeconds, closed: false } };
  },
  (event) => ({ caseId: event.caseId, execution: event.execution }),
);
