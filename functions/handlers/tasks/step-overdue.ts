/** Task `${StepOverdue}`: the step's deadline passed; remind, escalate or decide as the step says. */
import { defaultDeps } from '../../adapters/deps.ts';
import { handleOverdue } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

export const handler = observed(
  'StepOverdue',
  (event: { caseId: string; stepKey: string; execution: string }) => handleOverdue(defaultDeps(), event),
  (event) => ({ caseId: event.caseId, step: event.stepKey, execution: event.execution }),
);
