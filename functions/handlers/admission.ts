/** Who may use the API once signed in: an active person of the org chart (domain/org/org-service.ts). */
import { defaultDeps } from '../adapters/deps.ts';
import { admitCaller } from '../domain/org/org-service.ts';
import type { Caller } from '../domain/ports.ts';

export const admitMember = (caller: Caller): Promise<void> => admitCaller(defaultDeps(), caller);
