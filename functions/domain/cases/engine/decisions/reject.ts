/** 不同意: a refusal; once the step can no longer get its signatures, the case closes as rejected. */
import { cancelPending, closeRejected, stepCannotComplete } from '../completion.ts';
import type { CommandOf } from '../context.ts';
import type { Turn } from './turn.ts';

export function reject({ s, actorId, step, slot, by }: Turn, command: CommandOf<'reject'>): void {
  const { c, ctx } = s;
  slot.state = 'rejected';
  slot.decidedAt = s.at;
  s.log(actorId, 'reject', { ...by, comment: command.comment });
  if (!stepCannotComplete(c, step)) return;
  closeRejected(s);
  cancelPending(c);
  s.notify([c.applicantId], 'rejected', { zh: `未通过：${c.title}（${command.comment}）`, en: `Rejected: ${c.title} (${command.comment})` });
  if (ctx.definition.fileWhenClosed) {
    c.filedAt = s.at;
    s.log('system', 'file', { comment: '不予受理（不通过）件同样归档 Filed with its result' });
  }
}
