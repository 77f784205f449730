/** Exactly the actions the caller may take now: what the case view offers, by the rules the decisions enforce. */
import { isWithApplicant, stepAt, type CaseRecord } from '../case.ts';
import { actorSlot, canView } from './access.ts';
import { mayChase, waitingOn } from './chasing.ts';
import type { Action, EngineContext } from './context.ts';
import { canExtend } from './decisions/extend.ts';

export function availableActions(c: CaseRecord, ctx: EngineContext, actorId: string): Action[] {
  if (!canView(c, ctx.org, actorId, ctx.grants)) return [];
  const actions: Action[] = [];
  if (c.status === 'open') {
    if (isWithApplicant(c)) {
      if (c.applicantId === actorId) actions.push('resubmit');
    } else if (actorSlot(c, ctx, actorId)) {
      const step = stepAt(c, ctx.definition.steps);
      if (step && step.type !== 'auto') {
        actions.push('approve');
        for (const a of step.allow) if (a !== 'approve') actions.push(a);
      }
    }
    if (canExtend(c, ctx, actorId)) actions.push('extend');
    if (mayChase(ctx.org, actorId) && waitingOn(c).length > 0) actions.push('chase');
    if (c.applicantId === actorId && !c.acted) actions.push('withdraw');
    if (c.readers.some((r) => r.personId === actorId && !r.readAt)) actions.push('mark-read');
  }
  actions.push('comment');
  return [...new Set(actions)];
}
