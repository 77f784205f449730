/** 退回: back to a step the case passed (which signs again, with all after it), or to the applicant to change it. */
import { cancelPending } from '../completion.ts';
import type { CommandOf } from '../context.ts';
import { enterFrom, returnTarget, returnToApplicant } from '../routing.ts';
import type { Turn } from './turn.ts';

export function returnCase({ s, actorId, step, by }: Turn, command: CommandOf<'return'>): void {
  const { c, ctx } = s;
  const target = returnTarget(c, ctx, step, command.toStep);
  s.log(actorId, 'return', { ...by, comment: command.comment, detail: { to: target.kind === 'applicant' ? 'applicant' : target.id } });
  cancelPending(c);
  if (target.kind === 'applicant') {
    returnToApplicant(s);
    s.notify([c.applicantId], 'returned', { zh: `已退回，请修改后重新提交：${c.title}（${command.comment}）`, en: `Returned to you to change and resubmit: ${c.title} (${command.comment})` });
    return;
  }
  // The returned-to step and everything after it are signed again.
  c.path = c.path.slice(0, c.path.indexOf(target.id));
  c.signedBy = [];
  enterFrom(s, target.index);
}
