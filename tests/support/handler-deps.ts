/**
 * Stands in for functions/adapters/deps.ts in handler tests: `defaultDeps()` answers the office in
 * memory the test chose, so a real handler runs on the memory twins. In a handler test file:
 *   vi.mock('../../functions/adapters/deps.ts', () => import('../support/handler-deps.ts'));
 *   beforeEach(async () => useOffice(await givenOffice()));
 */
import type { Clock, Deps } from '../../functions/domain/ports.ts';

let office: Deps | undefined;

/** The ports the handlers get from now on. */
export function useOffice(deps: Deps): void {
  office = deps;
}

export function defaultDeps(): Deps {
  if (!office) throw new Error('No office in memory for the handlers: call useOffice(await givenOffice()) first');
  return office;
}

export const systemTime: Clock = { now: () => Date.now() };

/** The local runtime binds its clock here; the office in memory carries its own. */
export function bindLocalRuntime(_clock: Clock): void {}
