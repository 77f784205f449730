/**
 * Given: the office in memory — every port a twin (functions/adapters/memory), the demo org chart
 * loaded, and an execution per case played in process by the same task functions the state
 * machine calls (advance, record the wait, advance again when woken), so a use case test sees
 * what the local system would, in milliseconds.
 */
import { memoryDeps, type MemoryDeps } from '../../functions/adapters/memory/deps.ts';
import { driveCase } from '../../functions/domain/cases/orchestrate.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { OrgInputSchema, type OrgInput } from '../../functions/domain/org/org.ts';
import type { Caller } from '../../functions/domain/ports.ts';

export type Office = MemoryDeps;

export interface OfficeOptions {
  readonly org?: OrgInput;
  /** Where the clock starts (ISO); MEMORY_EPOCH, a Monday 09:00 in Beijing, by default. */
  readonly at?: string;
  /** Play executions (the default), or leave every case where its use case left it. */
  readonly executions?: boolean;
}

export async function givenOffice(options: OfficeOptions = {}): Promise<Office> {
  const deps = memoryDeps();
  if (options.at) deps.clock.set(options.at);
  await deps.org.replace(OrgInputSchema.parse(options.org ?? demoOrg), 0, 'system');
  if (options.executions !== false) playExecutions(deps);
  return deps;
}

/** A signed-in person, as the middleware makes one from the ID token's claims. */
export const as = (personId: string, groups: readonly string[] = []): Caller => ({ personId, groups });

/**
 * The state machine's loop (statemachines/case.asl.json) for every execution started: Drive Case
 * runs, records the token of the wait (or fails it once the case is closed); a wake drives it
 * again. Each step runs inside the call that caused it, so a use case returns with the case settled.
 */
function playExecutions(deps: MemoryDeps): void {
  const waiting = new Map<string, { caseId: string; execution: string }>();
  let tokens = 0;
  const run = async (caseId: string, execution: string): Promise<void> => {
    const token = `token-${++tokens}`;
    await driveCase(deps, { caseId, execution, token });
    if ((await deps.cases.waiting(caseId))?.token === token) waiting.set(token, { caseId, execution });
  };
  deps.workflows.onStart = run;
  deps.workflows.onWake = async (token) => {
    const wait = waiting.get(token);
    if (!wait) return;
    waiting.delete(token);
    await run(wait.caseId, wait.execution);
  };
}

/** Leave from Monday 23 November 2026 for `days` working days (within the week). */
export const leave = (days: number, leaveType = 'personal') => ({
  leaveType,
  startDate: '2026-11-23',
  endDate: `2026-11-${String(22 + Math.max(1, Math.ceil(days))).padStart(2, '0')}`,
  days,
  reason: '家中有事',
});
