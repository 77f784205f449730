/**
 * POST /api/admin/restart-executions (admins): starts a fresh execution for every open case, e.g.
 * after a fix to the state machine is deployed. DynamoDB holds each case, so nothing is lost or
 * done twice; old executions see they no longer drive their case and stop.
 */
import { cases, clock, org, wire, workflows } from '../../adapters/deps.ts';
import { restartExecutions } from '../../domain/cases/orchestrate.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, workflows, clock });

export const handler = httpHandler({}, ({ caller, idempotencyKey }) => restartExecutions(deps, caller, idempotencyKey));
