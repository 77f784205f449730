/**
 * Stands in for functions/adapters/deps.ts in handler tests: each port's getter answers from the
 * office in memory the test chose, so a real handler runs on the memory twins. In a handler test file:
 *   vi.mock('../../functions/adapters/deps.ts', () => import('../support/handler-deps.ts'));
 *   beforeEach(async () => useOffice(await givenOffice()));
 */
import type { Clock, Deps } from '../../functions/domain/ports.ts';
import { wire } from '../../functions/adapters/wire.ts';

/** The real one: each property read calls its getter. */
export { wire };

let office: Deps | undefined;

/** The ports the handlers get from now on. */
export function useOffice(deps: Deps): void {
  office = deps;
}

export function defaultDeps(): Deps {
  if (!office) throw new Error('No office in memory for the handlers: call useOffice(await givenOffice()) first');
  return office;
}

const port =
  <K extends keyof Deps>(name: K) =>
  (): Deps[K] =>
    defaultDeps()[name];

export const cases = port('cases');
export const org = port('org');
export const calendar = port('calendar');
export const notifications = port('notifications');
export const mailer = port('mailer');
export const files = port('files');
export const uploads = port('uploads');
export const numbering = port('numbering');
export const registers = port('registers');
export const access = port('access');
export const archive = port('archive');
export const limits = port('limits');
export const profiles = port('profiles');
export const workflows = port('workflows');
export const scanTexts = port('scanTexts');
/** The states-only adapter is the same twin here. */
export const scanTextStates = port('scanTexts');
export const chases = port('chases');
export const vault = port('vault');
export const telemetry = port('telemetry');
export const clock = port('clock');
export const newId = port('newId');
export const cursors = (): never => {
  throw new Error('No cursors in the office in memory: the search handler is not tested on the twins');
};

export const systemTime: Clock = { now: () => Date.now() };

/** The local runtime binds its clock here; the office in memory carries its own. */
export function bindLocalRuntime(_clock: Clock): void {}
