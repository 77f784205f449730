/** Who may use the API once signed in: an active person of the org chart (domain/org/org-service.ts). */
import { org, wire } from '../adapters/deps.ts';
import { admitCaller } from '../domain/org/org-service.ts';
import type { Caller } from '../domain/ports.ts';

const deps = wire({ org });

export const admitMember = (caller: Caller): Promise<void> => admitCaller(deps, caller);
