/** POST /api/cases: opens a case of a process for the signed-in person. */
import * as z from 'zod/mini';
import { access, archive, calendar, cases, clock, mailer, newId, notifications, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { createCase, type CreateCase } from '../../domain/cases/create-case.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ cases, org, calendar, access, archive, notifications, mailer, workflows, telemetry, clock, newId });

const CreateCaseBody = z.object(
  {
    type: z.string({ error: '请选择流程类型。Choose a process type.' }).check(z.minLength(1, '请选择流程类型。Choose a process type.')),
    title: z.string({ error: '请填写标题。Title is required.' }),
    fields: z._default(z.record(z.string(), z.unknown(), { error: '字段须为对象。fields must be an object.' }), {}),
  },
  { error: '请求内容须为 JSON 对象。The body must be a JSON object.' },
) satisfies z.ZodMiniType<Omit<CreateCase, 'caller' | 'idempotencyKey'>>;

export const handler = httpHandler({ body: CreateCaseBody }, ({ body, caller, idempotencyKey }) =>
  createCase(deps, { ...body, caller, idempotencyKey }),
);
