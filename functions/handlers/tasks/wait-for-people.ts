/** Task `${WaitForPeople}` (.waitForTaskToken): records the token the execution now waits on. */
import { defaultDeps } from '../../adapters/deps.ts';
import { recordWait, StepMovedError } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

export const handler = observed(
  'WaitForPeople',
  (event: { caseId: string; stepKey: string; execution: string; token: string }) => recordWait(defaultDeps(), event),
  (event) => ({ caseId: event.caseId, step: event.stepKey, execution: event.execution }),
  // The case moved on before the token was recorded: the state machine catches it and advances again.
  (error) => error instanceof StepMovedError,
);
