/** POST /api/cases/{id}/actions: one decision on a case, at the version the caller saw. */
import * as z from 'zod/mini';
import { access, archive, calendar, cases, chases, clock, mailer, newId, notifications, org, telemetry, wire, workflows } from '../../adapters/deps.ts';
import { actOnCase } from '../../domain/cases/act-on-case.ts';
import type { Command as DomainCommand } from '../../domain/cases/engine.ts';
import { hasUnsafeCharacters, UNSAFE_TEXT } from '../../domain/text.ts';
import { httpHandler, matches } from '../middleware.ts';

const deps = wire({ cases, org, calendar, access, archive, notifications, mailer, workflows, chases, telemetry, clock, newId });

const safe = (s: string) => !hasUnsafeCharacters(s, true);
const comment = z.optional(z.string().check(z.trim(), z.maxLength(2000, '意见最多 2000 字。At most 2000 characters.'), z.refine(safe, `意见${UNSAFE_TEXT}`)));
const reason = z.string({ error: '请填写理由。A reason is required.' }).check(
  z.trim(),
  z.minLength(1, '请填写理由。A reason is required.'),
  z.maxLength(2000, '最多 2000 字。At most 2000 characters.'),
  z.refine(safe, `意见${UNSAFE_TEXT}`),
);
const person = z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '人员无效。Invalid person.'));
const people = z.array(person, { error: '请选择人员。Choose people.' }).check(z.minLength(1, '请至少选择一人。Choose at least one person.'), z.maxLength(20, '最多 20 人。At most 20 people.'));

const Command = matches<DomainCommand>()(
  z.discriminatedUnion(
  'action',
  [
    /** `fields`: what the current step asks its assignee to enter (its `inputs`), checked by the domain. */
    z.object({ action: z.literal('approve'), comment, fields: z.optional(z.record(z.string(), z.unknown(), { error: '请以对象提交 fields。fields must be an object.' })) }),
    z.object({ action: z.literal('reject'), comment: reason }),
    z.object({ action: z.literal('return'), comment: reason, toStep: z.optional(z.string().check(z.maxLength(40))) }),
    z.object({ action: z.literal('withdraw'), comment }),
    z.object({ action: z.literal('resubmit'), comment, fields: z.optional(z.record(z.string(), z.unknown())) }),
    z.object({ action: z.literal('transfer'), to: person, comment }),
    z.object({ action: z.literal('delegate'), to: person, comment }),
    z.object({ action: z.literal('add-signer'), people, position: z.enum(['before', 'after'], { error: '加签位置须为 before 或 after。position: before or after.' }), comment }),
    z.object({ action: z.literal('circulate'), people, comment }),
    z.object({ action: z.literal('copy'), people, comment }),
    z.object({ action: z.literal('comment'), comment: reason }),
    z.object({ action: z.literal('extend'), comment: reason }),
    z.object({ action: z.literal('mark-read') }),
    z.object({ action: z.literal('chase'), comment }),
  ],
  { error: '未知的操作。Unknown action.' },
  ),
);

const Body = z.intersection(
  z.object({ version: z.number({ error: '请提供版本号 version。version is required.' }).check(z.int(), z.positive()) }),
  Command,
);

export const handler = httpHandler({ body: Body, path: z.object({ id: z.string().check(z.minLength(1), z.maxLength(60)) }) }, ({ body, path, caller, idempotencyKey }) => {
  const { version, ...command } = body;
  return actOnCase(deps, { caller, caseId: path.id, version, command, idempotencyKey });
});
