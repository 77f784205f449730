/** What the engine is handed (the definition, the org, the calendar, the time) and what it hands back. */
import type { WorkingCalendar } from '../../calendar/working-calendar.ts';
import type { Definition } from '../../definitions/definition.ts';
import type { OrgChart } from '../../org/org.ts';
import type { Fact } from '../../stats/assessment.ts';
import type { CaseRecord, Notification, TrailEntry } from '../case.ts';
import type { InboxChange } from './inbox.ts';

export interface EngineContext {
  readonly definition: Definition;
  readonly org: OrgChart;
  readonly calendar: WorkingCalendar;
  readonly now: number;
  /** Short unique ids for slots. */
  readonly newId: () => string;
  /** Cases the actor holds a live access grant for (查阅授权, confidential-access process). */
  readonly grants?: ReadonlySet<string>;
}

export interface Outcome {
  readonly case: CaseRecord;
  readonly trail: TrailEntry[];
  readonly notifications: Notification[];
  /** How the change moves the inbox, written with it. */
  readonly inbox: InboxChange;
  /**
   * The assessment facts (考核) the change adds, written with it. Not the engine's: worked out
   * from the case's history before saving (stats/outcome-facts.ts), and required by the store.
   */
  readonly facts?: readonly Fact[];
}

export type Command =
  /** `fields`: what the step asks its assignee to enter (its `inputs`). */
  | { action: 'approve'; comment?: string; fields?: Record<string, unknown> }
  | { action: 'reject'; comment: string }
  | { action: 'return'; comment: string; toStep?: string }
  | { action: 'withdraw'; comment?: string }
  | { action: 'resubmit'; comment?: string; fields?: Record<string, unknown> }
  | { action: 'transfer'; to: string; comment?: string }
  | { action: 'delegate'; to: string; comment?: string }
  | { action: 'add-signer'; people: string[]; position: 'before' | 'after'; comment?: string }
  | { action: 'circulate'; people: string[]; comment?: string }
  | { action: 'copy'; people: string[]; comment?: string }
  | { action: 'comment'; comment: string }
  | { action: 'extend'; comment: string }
  /** 催办: the office director or supervision staff chase the people the case waits on, in the app and by email. */
  | { action: 'chase'; comment?: string }
  | { action: 'mark-read' };

export type Action = Command['action'];

/** One kind of command, by its action. */
export type CommandOf<A extends Action> = Extract<Command, { action: A }>;
