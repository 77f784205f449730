/**
 * 督办 (004 ch.1): who a case waits on, who may chase it, and what the step's chase time does — a
 * reminder before the due time, chases after it, a report to the leader. Chasing by hand is a
 * decision (decisions/chase.ts).
 */
import type { OrgChart, Role } from '../../org/org.ts';
import { isActionable, isWithApplicant, type CaseRecord } from '../case.ts';
import { canView, isClassified } from './access.ts';
import { cancelPending, closeRejected } from './completion.ts';
import type { EngineContext, Outcome } from './context.ts';
import { enterNext } from './routing.ts';
import { Session } from './session.ts';

/** Who chases (催办, 004 ch.1 督办): the office director and the supervision staff. */
const CHASERS: readonly Role[] = ['office-director', 'supervisor'];

export function mayChase(org: OrgChart, personId: string): boolean {
  return CHASERS.some((role) => org.has(personId, role));
}

/** The people a case waits on now: whoever may act on an actionable slot. */
export function waitingOn(c: CaseRecord): string[] {
  if (c.status !== 'open') return [];
  if (isWithApplicant(c)) return [c.applicantId];
  return [...new Set(c.slots.filter((slot) => isActionable(c, slot)).flatMap((slot) => [slot.personId, slot.delegateId, slot.standInId].filter((p): p is string => !!p)))];
}

/** Whose work the case waits on (not their delegates or stand-ins): the people a chase counts against. */
export function holdersOf(c: CaseRecord): string[] {
  if (isWithApplicant(c)) return [c.applicantId];
  return [...new Set(c.slots.filter((slot) => isActionable(c, slot)).map((slot) => slot.personId))];
}

/** Chase labels in the office's words (004 ch.1 督办). */
const CHASE_NAMES = ['第一次催办 First chase', '第二次催办 Second chase'];
/** Chases at and after the deadline before the step is reported to the leader, where a definition does not say. */
const CHASES_BEFORE_REPORT = 2;

/**
 * The step's chase time came: a reminder before the due time; at and after it, reminders every
 * few working days, escalation once after K of them, or a decision by itself where the step says
 * so. The due time itself never moves (only an extension moves it): overdue stays overdue.
 */
export function stepOverdue(current: CaseRecord, ctx: EngineContext): Outcome {
  const s = new Session(current, ctx);
  const { c } = s;
  const step = s.step();
  if (c.status !== 'open' || !step || step.type === 'auto' || !c.dueAt) return s.done();
  const waiting = c.slots.filter((x) => isActionable(c, x));
  const waitingPeople = waiting.flatMap((x) => [x.personId, x.delegateId ?? [], ctx.org.standInFor(x.personId, ctx.now)?.id ?? []].flat());
  const names = waiting.map((x) => ctx.org.nameOf(x.personId));
  const dueMs = Date.parse(c.dueAt);
  if (c.chaseDone) return s.done();
  // (A timer may fire a moment early: within a second of the due time it is the due time.)
  if (ctx.now < dueMs - 1000) {
    s.log('system', 'remind-before', { detail: { waiting: names, dueAt: c.dueAt } });
    s.notify(waitingPeople, 'due-soon', { zh: `即将到期：${step.name.zh}（${c.title}），请于 ${c.dueAt} 前办理。`, en: `Due soon: ${step.name.en} (${c.title}), by ${c.dueAt}.` }, 'chase');
    c.nextChaseAt = c.dueAt;
    return s.done();
  }
  if (step.onTimeout === 'approve' || step.onTimeout === 'reject') {
    s.log('system', step.onTimeout === 'approve' ? 'auto-approve' : 'auto-reject', { comment: '超期自动处理 Decided at the deadline', detail: { waiting: names } });
    cancelPending(c);
    if (step.onTimeout === 'approve') enterNext(s);
    else closeRejected(s);
    return s.done();
  }
  c.overdueCount += 1;
  // 督办 (004 ch.1): first chase, second chase, report to the leader, final chase — for every step
  // with a deadline, unless its definition says otherwise.
  // A definition that says so hands the step to the leader (who may then sign); by default the
  // leader is told, and the case is not opened to anyone new.
  const handsOver = step.chase?.escalateAfter !== undefined || step.onTimeout === 'escalate';
  const escalateAfter = step.chase?.escalateAfter ?? (step.onTimeout === 'escalate' ? 1 : CHASES_BEFORE_REPORT);
  if (c.overdueCount > escalateAfter && !c.escalated) {
    const target = step.chase?.escalateTo ?? 'superior';
    const to =
      typeof target === 'object'
        ? [c.fields[target.field]].flat().map(String).filter((id) => ctx.org.person(id))
        : target === 'office-director'
          ? ctx.org.withRole('office-director').map((p) => p.id)
          : [...new Set(waiting.flatMap((x) => ctx.org.superiorOf(x.personId).map((p) => p.id)))];
    // A 秘密/机密 case is reported only to those who may already see it: never a way into it.
    const superiors = to.filter((id) => id !== c.applicantId && !c.slots.some((x) => x.personId === id && x.state === 'pending') && (!isClassified(c) || canView(c, ctx.org, id)));
    if (handsOver) for (const personId of superiors) c.slots.push({ id: ctx.newId(), personId, origin: 'escalated', state: 'pending' });
    c.escalated = true;
    c.reported = superiors.length > 0;
    const workers = waiting.filter((x) => x.origin !== 'escalated').map((x) => x.personId);
    s.log('system', 'escalate', {
      comment: c.reported ? '超期报告领导 Overdue: reported to the leader' : '超期，无可报告的领导 Overdue: nobody above to report to',
      detail: { waiting: names, to: superiors.map((p) => ctx.org.nameOf(p)), round: c.overdueCount, personIds: workers, handedOver: handsOver && c.reported },
    });
    s.notify(superiors, 'escalated', { zh: `督办：${step.name.zh}已超期（${c.title}）`, en: `Overdue, reported to you: ${step.name.en} (${c.title})` }, 'chase');
  } else {
    const label = c.escalated ? '最后催办 Final chase' : (CHASE_NAMES[c.overdueCount - 1] ?? `第${c.overdueCount}次催办 Chase ${c.overdueCount}`);
    // The chase goes to whoever does the work; the leader it was reported to was told once, at the report.
    const workers = waiting.filter((x) => x.origin !== 'escalated');
    const doing = workers.length > 0 ? workers : waiting;
    const doingPeople = doing.flatMap((x) => [x.personId, x.delegateId ?? [], ctx.org.standInFor(x.personId, ctx.now)?.id ?? []].flat());
    // The month's figures count the people whose work it is, not their delegates or stand-ins.
    s.log('system', 'remind', { comment: label, detail: { waiting: doing.map((x) => ctx.org.nameOf(x.personId)), round: c.overdueCount, personIds: [...new Set(doing.map((x) => x.personId))] } });
    const consequence = (c.reported ?? c.escalated)
      ? { zh: '已报告领导，逾期将纳入考核。', en: 'Reported to the leader; lateness counts in the assessment.' }
      : { zh: '请尽快办理。', en: 'Please act.' };
    s.notify(doingPeople, 'overdue', { zh: `催办：${step.name.zh}已超期（${c.title}）${consequence.zh}`, en: `Overdue: ${step.name.en} (${c.title}). ${consequence.en}` }, 'chase');
  }
  // After the final chase(s) the step is no longer chased (the daily digest still lists it).
  const chasesAfter = c.overdueCount - escalateAfter - 1;
  if (c.escalated && chasesAfter >= (step.chase?.afterEscalation ?? 1)) {
    c.chaseDone = true;
    c.nextChaseAt = undefined;
    return s.done();
  }
  // Chase again a few working days later; the due time itself stays.
  c.nextChaseAt = new Date(ctx.calendar.addWorkingDays(ctx.now, step.chase?.everyWorkingDays ?? 1).at).toISOString();
  return s.done();
}
