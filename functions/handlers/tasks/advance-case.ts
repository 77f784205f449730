/** Task `${AdvanceCase}`: runs automatic steps, then says what the execution waits for. */
import { defaultDeps } from '../../adapters/deps.ts';
import { advanceCase } from '../../domain/cases/orchestrate.ts';

export const handler = (event: { caseId: string; execution: string }) => advanceCase(defaultDeps(), event);
