/** 重新提交: the applicant, with a case returned to them, changes their fields and sends it from the first step again. */
import { ConflictError, ForbiddenError } from '../../../errors.ts';
import { isWithApplicant } from '../../case.ts';
import type { CommandOf } from '../context.ts';
import { enterFrom } from '../routing.ts';
import type { Session } from '../session.ts';
import { validateFields } from '../validation.ts';

export function resubmit(s: Session, actorId: string, command: CommandOf<'resubmit'>): void {
  const { c, ctx } = s;
  if (!isWithApplicant(c)) throw new ConflictError('该件没有退回给申请人。The case was not returned to the applicant.', 'not-returned');
  if (c.applicantId !== actorId) throw new ForbiddenError('只有申请人可以重新提交。Only the applicant can resubmit.');
  if (command.fields) {
    // The applicant changes their own fields; what assignees entered at steps stays as it was.
    const own = new Set(ctx.definition.fields.map((f) => f.key));
    const before = Object.fromEntries(Object.entries(c.fields).filter(([k]) => own.has(k)));
    const entered = Object.fromEntries(Object.entries(c.fields).filter(([k]) => !own.has(k)));
    c.fields = { ...entered, ...validateFields(ctx, { ...before, ...command.fields }, before) };
  }
  c.path = [];
  c.signedBy = [];
  s.log(actorId, 'resubmit', { comment: command.comment });
  enterFrom(s, 0);
}
