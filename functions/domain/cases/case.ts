/**
 * A case (件): one run of a process definition. Its current step holds the slots of the people
 * who must sign (签), with who added or stands in for whom; readers (传阅/抄送) never block it.
 * Every change bumps `version` and appends trail entries (流程日志) in the same transaction.
 */
import type { DueExplanation, Extension } from '../calendar/deadline.ts';

export type CaseStatus = 'open' | 'completed' | 'rejected' | 'withdrawn';

export type SlotOrigin = 'assigned' | 'added-before' | 'added-after' | 'escalated';
export type SlotState = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** One signature the current step needs. */
export interface Slot {
  readonly id: string;
  /** Whose signature it is (after a transfer, the new handler). */
  personId: string;
  /** Someone the holder entrusted with it (委托); acts on the holder's behalf. */
  delegateId?: string;
  /** Signs on the holder's behalf while the holder is away (代签), from the org chart's stand-ins. */
  standInId?: string;
  readonly origin: SlotOrigin;
  /** For added signers: the slot that added them; `before` blocks it, `after` waits for it. */
  readonly parentId?: string;
  state: SlotState;
  decidedAt?: string;
}

export interface Reader {
  readonly personId: string;
  readonly kind: 'circulate' | 'copy';
  readonly addedBy: string;
  /** Who sent it and when (records from before it was kept have neither). */
  readonly addedByName?: string;
  readonly addedAt?: string;
  readAt?: string;
}

import type { TrailHead } from './trail-types.ts';

export interface CaseRecord {
  readonly id: string;
  readonly type: string;
  readonly definitionVersion: number;
  readonly title: string;
  /** The applicant's fields, and what assignees entered at steps: replaced whole on a resubmission or an approval with inputs. */
  fields: Readonly<Record<string, unknown>>;
  readonly applicantId: string;
  readonly applicantName: string;
  readonly departmentId?: string;
  readonly createdAt: string;
  status: CaseStatus;
  version: number;
  /**
   * Where the case stands, as stored (the current step's index; `steps.length` once past the last;
   * -1 while returned to the applicant). Read and move it through `positionOf` and `moveTo`.
   */
  stepIndex: number;
  /** The current step's name as the office says it (for lists and the inbox). */
  stepName?: string;
  /** The same in English (digests and emails written without the definition at hand). */
  stepNameEn?: string;
  /** Increments whenever a step is entered, so a re-entered step is a new round. */
  round: number;
  slots: Slot[];
  readers: Reader[];
  /** Human steps passed in this pass, for 退回 to the previous or a named earlier step. */
  path: string[];
  /** People who signed in this pass (a step whose assignees all signed already is skipped). */
  signedBy: string[];
  /** Everyone who has acted on the case: they may still see it. */
  participants: string[];
  /** Whether anyone but the applicant has decided: withdrawal (撤回) is allowed only before. */
  acted: boolean;
  dueAt?: string;
  /** How the due time was reached: rule, start, days skipped and why, any extension. */
  due?: DueExplanation;
  /** Clock-starting events and when they happened (e.g. accepted). */
  events: Record<string, string>;
  stepStartedAt?: string;
  number?: string;
  filedAt?: string;
  updatedAt: string;
  closedAt?: string;
  /** The Step Functions execution that drives this case; a restarted one replaces it. */
  execution?: string;
  /** How many times this step was chased after its due time (reminders, escalation). */
  overdueCount: number;
  /** When the step is next chased: a reminder before the due time, the due time, then every few working days. */
  nextChaseAt?: string;
  /** Whether the step was escalated already (once per step). */
  escalated?: boolean;
  /** Whether that escalation reached anyone (a step of the head's has nobody above). */
  reported?: boolean;
  /** Chasing has ended for this step (after the final chase); the daily digest still lists it. */
  chaseDone?: boolean;
  /** Scanned files, oldest first; versions are new entries, never overwrites. */
  attachments?: Attachment[];
  /** Extensions granted, by step id: kept if the case comes back to the step. */
  extensions?: Record<string, Extension>;
  /**
   * The routing slip's entries are also kept apart from the trail (cases opened since that was
   * so); for earlier cases the slip is read from the whole trail.
   */
  slipKept?: true;
  /** 催办 by hand: how often, and when last (chases at the deadline are `overdueCount`). */
  chases?: number;
  lastChasedAt?: string;
  /** How much each person has added that is not a decision (comments, downloads), to bound it. */
  activity?: Record<string, Activity>;
  /** The end of the trail's hash chain (trail-chain.ts), set by the store as it seals each change's entries. */
  trailHead?: TrailHead;
}

/** One person's additions to a case: comments and sendings-on in all and in the current hour, downloads in the hour. */
export interface Activity {
  /** The hour counted, as an ISO prefix (2026-11-27T07). */
  hour: string;
  commentsThisHour: number;
  downloadsThisHour: number;
  comments: number;
  /** Circulations, copies and signers added (absent in records from before they were counted). */
  routingThisHour?: number;
  routing?: number;
}

/** A scanned file attached to a case: verified when it arrived, never overwritten. */
export interface Attachment {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly key: string;
  readonly byId: string;
  readonly byName: string;
  readonly at: string;
  /** A new version of an earlier attachment keeps the old one and names it here. */
  readonly replaces?: string;
}

export interface TrailEntry {
  readonly at: string;
  readonly actorId: string;
  readonly actorName: string;
  /** When someone signs for another (stand-in, delegate): the person they sign for. */
  readonly onBehalfOfId?: string;
  readonly onBehalfOfName?: string;
  readonly action: string;
  readonly stepId?: string;
  readonly stepName?: string;
  readonly comment?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface Notification {
  readonly personId: string;
  /** The item it is about; digests name none. */
  readonly caseId?: string;
  readonly title: string;
  /** The title in each language where the system wrote it (a digest's heading); a case's title is as typed. */
  readonly heading?: { readonly zh: string; readonly en: string };
  /** What happened, as a code a client may act on (`to-do`, `completed`, `overdue`, `digest`, …). */
  readonly code: string;
  /** The message in each language; the page shows the chosen one. */
  readonly text: { readonly zh: string; readonly en: string };
  /** Both languages in one line, for email and for clients that predate `text`. */
  readonly message: string;
  readonly at: string;
  /** `chase` (reminders, escalations) and `digest` are emailed too; `info` stays in the app. */
  readonly kind: 'info' | 'chase' | 'digest';
  /** Where it leads in the web form. */
  readonly link?: string;
}

/**
 * Where a case stands: at a step of its definition (by index; `steps.length` once past the last),
 * or back with its applicant to change and resubmit (退回申请人).
 */
export type Position = { readonly kind: 'step'; readonly index: number } | { readonly kind: 'applicant' };

export const WITH_APPLICANT: Extract<Position, { kind: 'applicant' }> = { kind: 'applicant' };

/** How the record stores the applicant's position, as stored records always have. */
const STORED_WITH_APPLICANT = -1;

export function positionOf(c: Pick<CaseRecord, 'stepIndex'>): Position {
  return c.stepIndex === STORED_WITH_APPLICANT ? WITH_APPLICANT : { kind: 'step', index: c.stepIndex };
}

/** The record's fields that hold a position (a new record spreads them in). */
export function storedPosition(position: Position): Pick<CaseRecord, 'stepIndex'> {
  return { stepIndex: position.kind === 'applicant' ? STORED_WITH_APPLICANT : position.index };
}

export function moveTo(c: Pick<CaseRecord, 'stepIndex'>, position: Position): void {
  c.stepIndex = storedPosition(position).stepIndex;
}

export function isWithApplicant(c: Pick<CaseRecord, 'stepIndex'>): boolean {
  return positionOf(c).kind === 'applicant';
}

/** The step the case stands at; none while with the applicant or once past the last step. */
export function stepAt<Step>(c: Pick<CaseRecord, 'stepIndex'>, steps: readonly Step[]): Step | undefined {
  const at = positionOf(c);
  return at.kind === 'step' ? steps[at.index] : undefined;
}

/** The key the orchestrator waits on: a step and the round it was entered in (as stored: existing waits keep matching). */
export function stepKeyOf(c: Pick<CaseRecord, 'stepIndex' | 'round'>): string {
  return `${c.stepIndex}.${c.round}`;
}

/** Open work per person, derived from the case: what the inbox shows. */
export interface Task {
  readonly personId: string;
  readonly kind: 'sign' | 'read';
  readonly caseId: string;
  readonly dueAt?: string;
  /** For something to read (待阅): who sent it, and when. */
  readonly sentBy?: { readonly id: string; readonly name: string };
  readonly sentAt?: string;
}

/** A slot can be acted on now: pending, not blocked by an added-before signer, its parent signed if added-after. */
export function isActionable(c: CaseRecord, slot: Slot): boolean {
  if (c.status !== 'open' || slot.state !== 'pending') return false;
  if (slot.origin === 'added-after') {
    const parent = c.slots.find((s) => s.id === slot.parentId);
    return parent?.state === 'approved';
  }
  return !c.slots.some((s) => s.parentId === slot.id && s.origin === 'added-before' && s.state === 'pending');
}

export function tasksOf(c: CaseRecord): Task[] {
  if (c.status !== 'open') return [];
  const tasks = new Map<string, Task>();
  for (const slot of c.slots) {
    if (!isActionable(c, slot)) continue;
    for (const personId of [slot.personId, slot.delegateId, slot.standInId]) {
      if (personId) tasks.set(`${personId}#sign`, { personId, kind: 'sign', caseId: c.id, dueAt: c.dueAt });
    }
  }
  for (const reader of c.readers) {
    const key = `${reader.personId}#read`;
    if (!reader.readAt && !tasks.has(`${reader.personId}#sign`)) {
      tasks.set(key, {
        personId: reader.personId,
        kind: 'read',
        caseId: c.id,
        sentBy: { id: reader.addedBy, name: reader.addedByName ?? reader.addedBy },
        sentAt: reader.addedAt,
      });
    }
  }
  return [...tasks.values()];
}
