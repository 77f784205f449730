/** Task `${StepOverdue}`: the step's deadline passed; remind, escalate or decide as the step says. */
import { calendar, cases, clock, mailer, newId, notifications, org, telemetry, wire } from '../../adapters/deps.ts';
import { handleOverdue } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, org, calendar, notifications, mailer, telemetry, clock, newId });

export const handler = observed(
  'StepOverdue',
  (event: { caseId: string; stepKey: string; execution: string }) => handleOverdue(deps, event),
  (event) => ({ caseId: event.caseId, step: event.stepKey, execution: event.execution }),
);
