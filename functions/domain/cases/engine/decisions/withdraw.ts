/** 撤回: the applicant takes the case back, as long as nobody else has acted on it. */
import { ConflictError, ForbiddenError } from '../../../errors.ts';
import type { CommandOf } from '../context.ts';
import type { Session } from '../session.ts';

export function withdraw(s: Session, actorId: string, command: CommandOf<'withdraw'>): void {
  const { c } = s;
  if (c.applicantId !== actorId) throw new ForbiddenError('只有申请人可以撤回。Only the applicant can withdraw.');
  if (c.acted) throw new ConflictError('已有人处理，不能撤回。Someone has acted already: it cannot be withdrawn.', 'already-acted');
  c.status = 'withdrawn';
  c.closedAt = s.at;
  c.slots = [];
  s.log(actorId, 'withdraw', { comment: command.comment });
}
