/**
 * The target of a step's one-time chase schedule (EventBridge Scheduler, armed by Drive Case, by
 * the decision that moved the case to the step, and by the chase before it): remind, escalate or
 * decide as the step says, then arm the next chase.
 */
import { calendar, cases, chases, clock, mailer, newId, notifications, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { chaseCase } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, org, calendar, notifications, mailer, workflows, chases, telemetry, clock, newId });

export const handler = observed(
  'ChaseCase',
  (event: { caseId: string; stepKey: string }) => chaseCase(deps, event),
  (event) => ({ caseId: event.caseId, step: event.stepKey }),
);
