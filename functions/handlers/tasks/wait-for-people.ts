/** Task `${WaitForPeople}` (.waitForTaskToken): records the token the execution now waits on, or ends a closed case's execution. */
import { cases, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { StepMovedError, waitForPeople } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, workflows, telemetry });

export const handler = observed(
  'WaitForPeople',
  (event: { caseId: string; stepKey: string; execution: string; token: string; closed?: boolean }) => waitForPeople(deps, event),
  (event) => ({ caseId: event.caseId, step: event.stepKey, execution: event.execution }),
  // The case moved on before the token was recorded: the state machine catches it and advances again.
  (error) => error instanceof StepMovedError,
);
