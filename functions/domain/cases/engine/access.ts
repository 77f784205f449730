/** Who may see a case, add files to it, and sign at its step now (in person, as delegate or as stand-in). */
import { isClassifiedLevel } from '../../archive/archive.ts';
import type { OrgChart, Role } from '../../org/org.ts';
import { isActionable, type CaseRecord, type Slot } from '../case.ts';
import type { EngineContext } from './context.ts';

/** Leaders see every case that is not classified. */
const LEADER_ROLES: readonly Role[] = ['head', 'deputy', 'office-director', 'admin'];
/** The office's record keepers add files to a case after it closed too. */
const RECORD_KEEPERS: readonly Role[] = ['archivist', 'clerk', 'office-director'];

/** Whether someone may see the case at all. */
export function canView(c: CaseRecord, org: OrgChart, personId: string, grants?: ReadonlySet<string>): boolean {
  return canViewFacts({ id: c.id, viewers: viewersOf(c), classified: isClassified(c) }, org, personId, grants);
}

/** Everyone a case names: its applicant, whoever signs or stands in at its step, its readers and everyone who acted. */
export function viewersOf(c: Pick<CaseRecord, 'applicantId' | 'slots' | 'readers' | 'participants'>): Set<string> {
  const viewers = new Set<string>([c.applicantId, ...c.participants]);
  for (const s of c.slots) for (const id of [s.personId, s.delegateId, s.standInId]) if (id) viewers.add(id);
  for (const r of c.readers) viewers.add(r.personId);
  return viewers;
}

/** The rule of `canView`, on what is known of a case without its record (the search index keeps just this). */
export function canViewFacts(c: { readonly id: string; readonly viewers: ReadonlySet<string> | readonly string[]; readonly classified: boolean }, org: OrgChart, personId: string, grants?: ReadonlySet<string>): boolean {
  if (grants?.has(c.id)) return true;
  if ('has' in c.viewers ? c.viewers.has(personId) : c.viewers.includes(personId)) return true;
  // 三密 (秘密, 机密) are kept apart (003 §9, §10): beyond the people handling them, only the
  // confidential clerk and those granted access (checked above) see them — not every leader.
  if (c.classified) return org.has(personId, 'confidential-clerk');
  return LEADER_ROLES.some((role) => org.has(personId, role));
}

/** Above 内部: 秘密 or 机密, from the case's confidentiality field. */
export function isClassified(c: Pick<CaseRecord, 'fields'>): boolean {
  return isClassifiedLevel(String(c.fields.confidentiality ?? ''));
}

/** Who may add files: anyone who may see an open case; the office's record keepers at any time. */
export function canAttach(c: CaseRecord, org: OrgChart, personId: string): boolean {
  if (!canView(c, org, personId)) return false;
  return c.status === 'open' || RECORD_KEEPERS.some((role) => org.has(personId, role));
}

/** Which of the actor's slots they can act on now, and as whom. */
export function actorSlot(c: CaseRecord, ctx: EngineContext, actorId: string): { slot: Slot; onBehalfOfId?: string } | undefined {
  for (const slot of c.slots) {
    if (!isActionable(c, slot)) continue;
    if (slot.personId === actorId) return { slot };
    if (slot.delegateId === actorId) return { slot, onBehalfOfId: slot.personId };
    // A stand-in signs only while the absence lasts, whenever it began (the org chart at this moment).
    const standIn = ctx.org.standInFor(slot.personId, ctx.now)?.id;
    if (standIn === actorId && actorId !== c.applicantId) return { slot, onBehalfOfId: slot.personId };
  }
  return undefined;
}

/** A stand-in signs for someone away — but never the applicant for their own request. */
export function standInFor(c: Pick<CaseRecord, 'applicantId'>, ctx: EngineContext, personId: string): string | undefined {
  const id = ctx.org.standInFor(personId, ctx.now)?.id;
  return id === c.applicantId ? undefined : id;
}
