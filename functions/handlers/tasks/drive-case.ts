/**
 * Task `${DriveCase}` (.waitForTaskToken), the state machine's one task state: runs the case's
 * automatic steps (and a chase already due), records the token the execution waits on and arms
 * the step's next chase; or ends a closed case's execution by failing its own wait.
 */
import { access, archive, calendar, cases, chases, clock, files, mailer, newId, notifications, numbering, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { driveCase, StepMovedError } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, org, calendar, archive, numbering, files, access, notifications, mailer, workflows, chases, telemetry, clock, newId });

interface DriveEvent {
  readonly caseId: string;
  readonly execution: string;
  readonly startedAt?: string;
  readonly token: string;
}

export const handler = observed(
  'DriveCase',
  (event: DriveEvent) => driveCase(deps, event),
  (event) => ({ caseId: event.caseId, execution: event.execution }),
  // The case kept moving before the token was recorded: the state machine catches it and drives it again.
  (error) => error instanceof StepMovedError,
);
