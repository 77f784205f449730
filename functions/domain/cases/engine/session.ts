/** One change to a case in the making: the working copy, and the trail entries and notifications it adds. */
import { isWithApplicant, stepAt, type CaseRecord, type Notification, type TrailEntry } from '../case.ts';
import type { StepDefinition } from '../../definitions/definition.ts';
import type { EngineContext, Outcome } from './context.ts';
import { inboxChange } from './inbox.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export class Session {
  readonly trail: TrailEntry[] = [];
  readonly notifications: Notification[] = [];
  readonly c: CaseRecord;

  /** Works on a copy: the case handed in is left as it was, whatever the change throws. */
  constructor(
    private readonly before: CaseRecord,
    readonly ctx: EngineContext,
  ) {
    this.c = structuredClone(before);
  }

  get at(): string {
    return iso(this.ctx.now);
  }

  /** The step the case stands at; none while with the applicant or once past the last step. */
  step(): StepDefinition | undefined {
    return stepAt(this.c, this.ctx.definition.steps);
  }

  log(actorId: string, action: string, extra: Partial<TrailEntry> = {}): void {
    const step = this.step();
    const withApplicant = isWithApplicant(this.c);
    this.trail.push({
      at: this.at,
      actorId,
      actorName: actorId === 'system' ? '系统 System' : this.ctx.org.nameOf(actorId),
      action,
      stepId: step?.id ?? (withApplicant ? 'applicant' : undefined),
      stepName: step?.name.zh ?? (withApplicant ? '申请人修改' : undefined),
      ...extra,
    });
  }

  /** `chase` notifications (reminders, escalations) are also emailed; the rest stay in the app. */
  notify(personIds: Iterable<string>, code: string, text: { zh: string; en: string }, kind: Notification['kind'] = 'info'): void {
    const { c } = this;
    for (const personId of new Set(personIds)) {
      this.notifications.push({ personId, caseId: c.id, title: c.title, code, text, message: `${text.zh} ${text.en}`, at: this.at, kind, link: `/cases/${c.id}` });
    }
  }

  /** Someone who acted on the case may still see it. */
  remember(personId: string): void {
    if (!this.c.participants.includes(personId)) this.c.participants.push(personId);
  }

  done(): Outcome {
    this.c.updatedAt = this.at;
    return { case: this.c, trail: this.trail, notifications: this.notifications, inbox: inboxChange(this.before, this.c) };
  }
}
