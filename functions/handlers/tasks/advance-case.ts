/** Task `${AdvanceCase}`: runs automatic steps, then says what the execution waits for. */
import { defaultDeps } from '../../adapters/deps.ts';
import { advanceCase } from '../../domain/cases/orchestrate.ts';
import { observed } from '../observed.ts';

export const handler = observed(
  'AdvanceCase',
  (event: { caseId: string; execution: string; startedAt?: string }) => advanceCase(defaultDeps(), event),
  (event) => ({ caseId: event.caseId, execution: event.execution }),
);
