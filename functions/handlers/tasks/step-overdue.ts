/** Task `${StepOverdue}`: the step's deadline passed; remind, escalate or decide as the step says. */
import { defaultDeps } from '../../adapters/deps.ts';
import { handleOverdue } from '../../domain/cases/orchestrate.ts';

export const handler = (event: { caseId: string; stepKey: string; execution: string }) => handleOverdue(defaultDeps(), event);
