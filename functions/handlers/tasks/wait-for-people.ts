/** Task `${WaitForPeople}` (.waitForTaskToken): records the token the execution now waits on. */
import { defaultDeps } from '../../adapters/deps.ts';
import { recordWait } from '../../domain/cases/orchestrate.ts';

export const handler = (event: { caseId: string; stepKey: string; execution: string; token: string }) => recordWait(defaultDeps(), event);
