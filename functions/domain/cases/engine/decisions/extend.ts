/** 延期: whoever the step names grants it one extension, before its period ends. */
import { ConflictError, ForbiddenError } from '../../../errors.ts';
import { extendDue } from '../../../calendar/deadline.ts';
import { resolveAssignees } from '../../assignees.ts';
import { stepAt, type CaseRecord } from '../../case.ts';
import type { CommandOf, EngineContext } from '../context.ts';
import { firstChase } from '../routing.ts';
import type { Session } from '../session.ts';

/** Whether the actor may grant the current step its one extension. */
export function canExtend(c: CaseRecord, ctx: EngineContext, actorId: string): boolean {
  const step = stepAt(c, ctx.definition.steps);
  if (c.status !== 'open' || !step || step.type === 'auto' || !step.extension || !c.due || c.due.extension || c.extensions?.[step.id]) return false;
  // An extension is granted before the period ends, not after.
  if (ctx.now >= Date.parse(c.due.at)) return false;
  const ctxRules = { org: ctx.org, applicantId: c.applicantId, departmentId: c.departmentId, fields: c.fields };
  return resolveAssignees(step.extension.by, ctxRules).some((p) => p.id === actorId);
}

export function extend(s: Session, actorId: string, command: CommandOf<'extend'>): void {
  const { c, ctx } = s;
  const step = s.step();
  if (!step || step.type === 'auto' || !step.extension) throw new ForbiddenError('本步骤不能延期。This step cannot be extended.');
  if (c.due?.extension || c.extensions?.[step.id]) throw new ConflictError('本步骤已延期一次，不能再延。This step was extended once already.', 'already-extended');
  if (c.due && ctx.now >= Date.parse(c.due.at)) throw new ConflictError('期限已过，不能再延期。The period has ended: it can no longer be extended.', 'period-ended');
  // (canExtend holds only for a step with a due time.)
  if (!c.due || !canExtend(c, ctx, actorId)) throw new ForbiddenError('您无权批准延期。You may not grant an extension.');
  const extension = { days: step.extension.days, reason: command.comment, byId: actorId, byName: ctx.org.nameOf(actorId), at: s.at };
  c.extensions = { ...c.extensions, [step.id]: extension };
  c.due = extendDue(c.due, ctx.calendar, extension);
  c.dueAt = c.due.at;
  c.nextChaseAt = firstChase(ctx, step, c.dueAt);
  c.overdueCount = 0;
  s.remember(actorId);
  s.log(actorId, 'extend', { comment: command.comment, detail: { days: step.extension.days, dueAt: c.dueAt } });
  s.notify([c.applicantId, ...c.slots.filter((x) => x.state === 'pending').map((x) => x.personId)], 'extended', { zh: `已延期至 ${c.dueAt}：${c.title}（${command.comment}）`, en: `Extended to ${c.dueAt}: ${c.title} (${command.comment})` });
}
