/** 同意: a signature; with the signatures the step needs, the case enters the next step. */
import { cancelPending, isMain, stepComplete } from '../completion.ts';
import type { CommandOf } from '../context.ts';
import { enterNext } from '../routing.ts';
import { stepInputs } from '../validation.ts';
import type { Turn } from './turn.ts';

export function approve({ s, actorId, step, slot, by }: Turn, command: CommandOf<'approve'>): void {
  const { c, ctx } = s;
  // What the step asks for (拟办's departments and due date, 承办's result) comes with the
  // signature; the step's own signers must give the required part, people added to it may.
  const entered = stepInputs(ctx, step, c.fields, command.fields, isMain(slot));
  if (entered) c.fields = { ...c.fields, ...entered };
  slot.state = 'approved';
  slot.decidedAt = s.at;
  c.signedBy.push(slot.personId);
  s.log(actorId, 'approve', { ...by, comment: command.comment, ...(entered && { detail: { fields: entered } }) });
  if (stepComplete(c, step)) {
    cancelPending(c);
    // The clock it starts is started once (受理): coming back to the step does not restart it.
    if (step.marks && !c.events[step.marks.event]) c.events[step.marks.event] = s.at;
    enterNext(s);
  } else {
    // Added-after signers now have their turn; tell them.
    s.notify(c.slots.filter((x) => x.parentId === slot.id && x.origin === 'added-after' && x.state === 'pending').map((x) => x.personId), 'to-do', { zh: `待办：${step.name.zh}（${c.title}）`, en: `To do: ${step.name.en} (${c.title})` });
  }
}
