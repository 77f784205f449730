/** How a case opens (提交): its applicant's fields checked, and the first step that applies entered. */
import { ForbiddenError } from '../../errors.ts';
import { storedPosition, type CaseRecord } from '../case.ts';
import type { EngineContext, Outcome } from './context.ts';
import { enterFrom } from './routing.ts';
import { Session } from './session.ts';
import { validateFields, validateTitle } from './validation.ts';

/** Opens a case for an applicant: validates its fields and enters the first step that applies. */
export function openCase(ctx: EngineContext, input: { id: string; title: string; fields: unknown; applicantId: string }): Outcome {
  const applicant = ctx.org.person(input.applicantId);
  if (!applicant) throw new ForbiddenError('组织机构中没有您的记录。You are not in the org chart.');
  const title = validateTitle(input.title);
  const fields = validateFields(ctx, input.fields);
  const at = new Date(ctx.now).toISOString();
  const opened: CaseRecord = {
    id: input.id,
    type: ctx.definition.type,
    definitionVersion: ctx.definition.version,
    title,
    fields,
    applicantId: applicant.id,
    applicantName: applicant.name,
    departmentId: applicant.departmentId,
    createdAt: at,
    updatedAt: at,
    status: 'open',
    version: 1,
    ...storedPosition({ kind: 'step', index: 0 }),
    round: 0,
    slots: [],
    readers: [],
    path: [],
    signedBy: [],
    events: {},
    participants: [applicant.id],
    acted: false,
    overdueCount: 0,
    slipKept: true,
  };
  const s = new Session(opened, ctx);
  s.trail.push({ at, actorId: applicant.id, actorName: applicant.name, action: 'submit', comment: undefined });
  enterFrom(s, 0);
  return s.done();
}
