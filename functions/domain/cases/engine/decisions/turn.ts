/** A signer's turn (签批): the decisions only the people at the current step take, and what each needs to know. */
import { ConflictError, ForbiddenError } from '../../../errors.ts';
import type { HumanDecision, HumanStepDefinition } from '../../../definitions/definition.ts';
import type { Slot } from '../../case.ts';
import { actorSlot } from '../access.ts';
import type { Session } from '../session.ts';

export interface Turn {
  readonly s: Session;
  readonly actorId: string;
  readonly step: HumanStepDefinition;
  /** The signature the actor gives: their own, or the one they sign as delegate or stand-in. */
  readonly slot: Slot;
  /** For the trail: whom a delegate or stand-in signs for. */
  readonly by: { readonly onBehalfOfId?: string; readonly onBehalfOfName?: string };
}

/** The actor's turn at the current step, if the step waits on them and allows the decision; from here on someone has acted. */
export function takeTurn(s: Session, actorId: string, decision: HumanDecision): Turn {
  const { c, ctx } = s;
  const step = s.step();
  if (!step || step.type === 'auto') throw new ConflictError('当前步骤不需要人工处理。The current step is not waiting for people.', 'not-waiting');
  const mine = actorSlot(c, ctx, actorId);
  if (!mine) throw new ForbiddenError('您不是当前步骤的办理人。You are not an assignee of the current step.');
  if (decision !== 'approve' && !step.allow.includes(decision)) {
    throw new ForbiddenError('本步骤不允许此操作。This step does not allow that action.');
  }
  c.acted = true;
  s.remember(actorId);
  const by = { onBehalfOfId: mine.onBehalfOfId, onBehalfOfName: mine.onBehalfOfId && ctx.org.nameOf(mine.onBehalfOfId) };
  return { s, actorId, step, slot: mine.slot, by };
}
