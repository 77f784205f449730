/** Handing a signature to someone else: 转办 (they take it over) or 委托 (they sign on the holder's behalf). */
import { ValidationError } from '../../../errors.ts';
import type { Person } from '../../../org/org.ts';
import { standInFor } from '../access.ts';
import type { CommandOf } from '../context.ts';
import type { Turn } from './turn.ts';

/** Someone active, not the applicant, and not already holding this step. */
function recipient({ s, slot }: Turn, id: string): Person {
  const { c, ctx } = s;
  const to = ctx.org.person(id);
  if (!to || to.active === false) throw new ValidationError('没有这个人。Unknown person.', 'to');
  if (to.id === c.applicantId) throw new ValidationError('不能转给申请人本人办理。The applicant cannot decide their own request.', 'to');
  if (to.id === slot.personId || c.slots.some((x) => x.state === 'pending' && x.personId === to.id)) {
    throw new ValidationError('此人已是当前办理人。That person already holds this step.', 'to');
  }
  return to;
}

/** 转办: the new handler takes the signature over entirely. */
export function transfer(turn: Turn, command: CommandOf<'transfer'>): void {
  const { s, actorId, step, slot, by } = turn;
  const { c, ctx } = s;
  const to = recipient(turn, command.to);
  s.log(actorId, 'transfer', { ...by, comment: command.comment, detail: { from: ctx.org.nameOf(slot.personId), to: to.name } });
  slot.personId = to.id;
  slot.delegateId = undefined;
  slot.standInId = standInFor(c, ctx, to.id);
  s.notify([to.id], 'to-do', { zh: `待办（转办）：${step.name.zh}（${c.title}）`, en: `To do (transferred): ${step.name.en} (${c.title})` });
}

/** 委托: the delegate signs on the holder's behalf; the trail keeps both names. */
export function delegate(turn: Turn, command: CommandOf<'delegate'>): void {
  const { s, actorId, step, slot, by } = turn;
  const to = recipient(turn, command.to);
  s.log(actorId, 'delegate', { ...by, comment: command.comment, detail: { to: to.name } });
  slot.delegateId = to.id;
  s.notify([to.id], 'to-do', { zh: `待办（委托）：${step.name.zh}（${s.c.title}）`, en: `To do (delegated): ${step.name.en} (${s.c.title})` });
}
