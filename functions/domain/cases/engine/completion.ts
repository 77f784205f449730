/** When a step has the signatures it needs, when it can no longer get them, and how a case ends. */
import type { HumanStepDefinition } from '../../definitions/definition.ts';
import type { CaseRecord, Slot } from '../case.ts';
import type { Session } from './session.ts';

/** Main signatures: those the step assigned (possibly transferred) or escalation added. */
export const isMain = (slot: Slot): boolean => slot.origin === 'assigned' || slot.origin === 'escalated';

/** A signature counts when it and everyone added to it (and to them) have signed. */
function fullySigned(c: CaseRecord, slot: Slot): boolean {
  return slot.state === 'approved' && c.slots.filter((x) => x.parentId === slot.id).every((x) => x.state === 'cancelled' || fullySigned(c, x));
}

/** How many signatures complete the step; an escalated superior signs in place of someone, not in addition. */
function needed(c: CaseRecord, step: HumanStepDefinition): number {
  const mains = c.slots.filter((x) => x.origin === 'assigned').length;
  if (step.type === 'approve') return 1;
  if (step.completion.mode === 'all') return mains;
  if (step.completion.mode === 'any') return 1;
  return Math.ceil(step.completion.ratio * mains - 1e-9);
}

export function stepComplete(c: CaseRecord, step: HumanStepDefinition): boolean {
  return c.slots.filter((x) => isMain(x) && fullySigned(c, x)).length >= needed(c, step);
}

/** After a rejection: can the remaining signatures still complete the step? An added signer's rejection counts against its parent. */
export function stepCannotComplete(c: CaseRecord, step: HumanStepDefinition): boolean {
  const mains = c.slots.filter(isMain);
  const failed = (main: Slot) => main.state === 'rejected' || c.slots.some((x) => x.parentId === main.id && x.state === 'rejected');
  const stillPossible = mains.filter((m) => !failed(m)).length;
  if (step.type === 'countersign' && step.completion.mode !== 'all') return stillPossible < needed(c, step);
  return true;
}

/** Signatures still awaited at a step that is decided are no longer needed. */
export function cancelPending(c: CaseRecord): void {
  for (const slot of c.slots) if (slot.state === 'pending') slot.state = 'cancelled';
}

/** Past the last step: the case is done (办结) and its applicant told. */
export function complete(s: Session): void {
  const { c } = s;
  c.stepName = undefined;
  c.stepNameEn = undefined;
  c.status = 'completed';
  c.closedAt = s.at;
  s.log('system', 'complete');
  s.notify([c.applicantId], 'completed', { zh: `已办结：${c.title}`, en: `Completed: ${c.title}` });
}

/** Closed as not approved (不予通过). */
export function closeRejected(s: Session): void {
  s.c.status = 'rejected';
  s.c.closedAt = s.at;
}
