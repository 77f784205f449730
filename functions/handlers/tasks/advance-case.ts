/** Task `${AdvanceCase}`: runs automatic steps, then says what the execution waits for. */
import { access, archive, calendar, cases, clock, files, mailer, newId, notifications, numbering, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { advanceCase } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, org, calendar, archive, numbering, files, access, notifications, mailer, workflows, telemetry, clock, newId });

export const handler = observed(
  'AdvanceCase',
  (event: { caseId: string; execution: string; startedAt?: string }) => advanceCase(deps, event),
  (event) => ({ caseId: event.caseId, execution: event.execution }),
);
