/**
 * A working day in the office, in the domain: who may start what, a leave's days worked out from
 * its dates, the steps a request will take, 催办 by hand, and chasing that reports once and ends.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import { canView, openCase, stepOverdue } from '../../functions/domain/cases/engine.ts';
import { caseView } from '../../functions/domain/cases/case-view.ts';
import { daysOverdue } from '../../functions/domain/cases/overdue.ts';
import { latestDefinitions } from '../../functions/domain/definitions/catalog/index.ts';
import { offering } from '../../functions/domain/definitions/catalog/offering.ts';
import { spanDays } from '../../functions/domain/definitions/derive.ts';
import { mayStart, offeredTo } from '../../functions/domain/definitions/starting.ts';
import { factsOf, assess } from '../../functions/domain/stats/assessment.ts';
import { MONDAY_9AM, givenCase, orgChart } from '../support/engine.ts';

const org = orgChart();
const calendar = new WorkingCalendar();
const latestLeave = latestDefinitions().find((d) => d.type === 'leave')!;
const leaveCtx = (now = MONDAY_9AM) => ({ definition: latestLeave, org, calendar, now, newId: (() => { let n = 0; return () => `n${++n}`; })() });

describe('who may start what', () => {
  it('lists every process of the catalogue under a group, with who may start it', () => {
    expect(latestDefinitions().map((d) => d.type).filter((type) => !offering[type])).toEqual([]);
  });

  it('lets the clerk register an incoming document and not a section’s staff; anyone asks for leave', () => {
    const incoming = latestDefinitions().find((d) => d.type === 'incoming-document')!;
    expect(mayStart(incoming, org, 'liu-fang')).toBe(true);
    expect(mayStart(incoming, org, 'xu-liang')).toBe(false);
    expect(mayStart(latestLeave, org, 'xu-liang')).toBe(true);
    expect(mayStart(latestLeave, org, 'nobody')).toBe(false);
  });

  it('offers a person the catalogue by group, their most used first within a group', () => {
    const offered = offeredTo(org, 'xu-liang', new Map([['expense', 5], ['leave', 2]]));
    const approvals = offered.filter((d) => d.group === 'approvals').map((d) => d.type);
    expect(approvals.slice(0, 2)).toEqual(['expense', 'leave']);
    expect(offered.find((d) => d.type === 'incoming-document')).toMatchObject({ canStart: false, groupName: { zh: '公文' } });
  });
});

describe('a leave’s days, worked out', () => {
  it('counts working days between the dates, half days at either end, and every day of a maternity leave', () => {
    // Monday 23 to Friday 27 November 2026: five working days.
    expect(spanDays(calendar, { from: '2026-11-23', to: '2026-11-27' }, false)).toBe(5);
    expect(spanDays(calendar, { from: '2026-11-23', to: '2026-11-27', fromHalf: 'pm', toHalf: 'am' }, false)).toBe(4);
    // Friday to Monday: the weekend does not count.
    expect(spanDays(calendar, { from: '2026-11-27', to: '2026-11-30' }, false)).toBe(2);
    // The National Day week (1–7 October 2026) is not worked.
    expect(spanDays(calendar, { from: '2026-09-30', to: '2026-10-08' }, false)).toBeLessThanOrEqual(3);
    expect(spanDays(calendar, { from: '2026-11-27', to: '2026-11-30' }, true)).toBe(4);
    // One afternoon.
    expect(spanDays(calendar, { from: '2026-11-24', to: '2026-11-24', fromHalf: 'pm' }, false)).toBe(0.5);
  });

  it('fills in the days when a leave is asked for, refuses days that disagree, and routes by them', () => {
    const two = openCase(leaveCtx(), { id: 'L1', title: '请假', applicantId: 'xu-liang', fields: { leaveType: 'personal', startDate: '2026-11-26', endDate: '2026-11-30', reason: '事' } });
    expect(two.case.fields.days).toBe(3);
    expect(() => openCase(leaveCtx(), { id: 'L2', title: '请假', applicantId: 'xu-liang', fields: { leaveType: 'personal', startDate: '2026-11-26', endDate: '2026-11-30', days: 5, reason: '事' } })).toThrow(
      expect.objectContaining({ field: 'fields.days', message: expect.stringMatching(/^天数按工作日历应为 3/) }),
    );
    expect(() => openCase(leaveCtx(), { id: 'L3', title: '请假', applicantId: 'xu-liang', fields: { leaveType: 'personal', startDate: '2026-11-28', endDate: '2026-11-29', reason: '周末' } })).toThrow(
      expect.objectContaining({ field: 'fields.endDate' }),
    );
    // Two working days: the section head and the deputy, not the head — the case says so ahead of time.
    const half = openCase(leaveCtx(), { id: 'L4', title: '请假', applicantId: 'xu-liang', fields: { leaveType: 'personal', startDate: '2026-11-24', startHalf: 'pm', endDate: '2026-11-26', endHalf: 'am', reason: '事' } });
    expect(half.case.fields.days).toBe(2);
    const view = caseView({ ...half.case, version: 1 }, latestLeave, org, 'xu-liang', MONDAY_9AM);
    expect(view.steps.map((s) => `${s.id}:${s.state}`)).toEqual(['section-head:current', 'deputy:ahead', 'head:skipped', 'attendance:ahead']);
  });

  it('never leaves the days uncounted: a span over a year or ending before it starts is refused, so no leave skips who must sign', () => {
    const long = { leaveType: 'personal', startDate: '2026-12-01', endDate: '2027-12-31', reason: '长假' };
    expect(() => openCase(leaveCtx(), { id: 'L5', title: '请假', applicantId: 'xu-liang', fields: long })).toThrow(expect.objectContaining({ name: 'ValidationError', field: 'fields.endDate', message: expect.stringMatching(/^日期跨度不能超过 366 天/) }));
    const backwards = { leaveType: 'personal', startDate: '2026-12-03', endDate: '2026-12-01', reason: '事' };
    expect(() => openCase(leaveCtx(), { id: 'L6', title: '请假', applicantId: 'xu-liang', fields: backwards })).toThrow(expect.objectContaining({ name: 'ValidationError', field: 'fields.endDate' }));
  });

  it('shows a completed case’s steps it went past as skipped, not as signed', () => {
    const c = givenCase('leave', 'xu-liang', { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '事' });
    c.act('zhou-tao', { action: 'approve' });
    const view = caseView({ ...c.case, version: 9 }, c.ctx().definition, org, 'xu-liang', MONDAY_9AM);
    expect(view.steps.filter((s) => s.id === 'deputy' || s.id === 'head').map((s) => `${s.id}:${s.state}`)).toEqual(['deputy:skipped', 'head:skipped']);
    expect(view.steps.find((s) => s.id === 'section-head')?.state).toBe('passed');
  });
});

describe('chasing', () => {
  const leave = { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '事' };

  it('lets the office director chase by hand (in the app and by email), once an hour, and nobody else', () => {
    const c = givenCase('leave', 'xu-liang', leave);
    expect(() => c.act('ma-chao', { action: 'chase' })).toThrow(expect.objectContaining({ name: 'NotFoundError' }));
    expect(() => c.act('zhou-tao', { action: 'chase' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
    const out = c.act('chen-zhiqiang', { action: 'chase', comment: '请今天办结' });
    expect(out.notifications).toEqual([expect.objectContaining({ personId: 'zhou-tao', kind: 'chase', message: expect.stringContaining('请今天办结') })]);
    expect(c.case.chases).toBe(1);
    expect(() => c.act('chen-zhiqiang', { action: 'chase' })).toThrow(expect.objectContaining({ name: 'RateLimitedError' }));
    c.advanceClock(3_600_000);
    c.act('chen-zhiqiang', { action: 'chase' });
    // Each chase counts against the person chased in the month's figures.
    const facts = factsOf({ ...c.case }, c.case, c.trail.filter((e) => e.action === 'chase'));
    expect(assess('2026-11', facts, org).people.find((p) => p.person === 'zhou-tao')?.chased).toBe(2);
  });

  it('chases every step with a deadline twice, reports it once to the superior, then chases the one doing the work a last time and stops', () => {
    // The deputy's step of a two-day leave has a deadline and no chase rules of its own.
    const c = givenCase('leave', 'xu-liang', { ...leave, endDate: '2026-11-25', days: 2 });
    c.act('zhou-tao', { action: 'approve' });
    expect(c.step).toBe('deputy');
    const results: string[] = [];
    let current = c.case;
    for (let day = 0; day < 8 && !current.chaseDone; day++) {
      const ctx = { ...c.ctx(), now: Date.parse(current.nextChaseAt ?? current.dueAt!) };
      const out = stepOverdue(current, ctx);
      current = { ...out.case, version: current.version + 1 };
      results.push(...out.trail.map((e) => `${e.action}→${out.notifications.map((n) => n.personId).join(',')}`));
    }
    expect(results).toEqual(['remind→li-minghua', 'remind→li-minghua', 'escalate→wang-jianguo', 'remind→li-minghua']);
    expect(current.chaseDone).toBe(true);
    // Reported, not handed over: the head is told and the case gains no signer.
    expect(current.slots.map((x) => x.personId)).toEqual(['li-minghua']);
  });

  it('never opens a 秘密 case to a leader by reporting it: the report goes only to those who may see it already', () => {
    const secret = givenCase('leave', 'xu-liang', { ...leave, endDate: '2026-11-25', days: 2 });
    secret.act('zhou-tao', { action: 'approve' });
    let current: typeof secret.case = { ...secret.case, fields: { ...secret.case.fields, confidentiality: 'secret' } };
    const told: string[] = [];
    for (let round = 0; round < 8 && !current.chaseDone; round++) {
      const out = stepOverdue(current, { ...secret.ctx(), now: Date.parse(current.nextChaseAt ?? current.dueAt!) });
      current = { ...out.case, version: current.version + 1 };
      told.push(...out.trail.filter((e) => e.action === 'escalate').flatMap(() => out.notifications.map((n) => n.personId)));
      if (out.trail.some((e) => e.action === 'escalate')) expect(out.trail.find((e) => e.action === 'escalate')?.comment).toMatch(/^超期，无可报告的领导/);
    }
    expect(told).toEqual([]);
    expect(current.slots.map((x) => x.personId)).toEqual(['li-minghua']);
    expect(canView(current, org, 'wang-jianguo')).toBe(false);
  });

  it('counts a chase against the person whose work it is, not their delegate; a new step starts its own hour', () => {
    const c = givenCase('leave', 'xu-liang', { ...leave, endDate: '2026-11-25', days: 2 });
    c.act('zhou-tao', { action: 'delegate', to: 'wu-min', comment: '代为审核' });
    c.act('chen-zhiqiang', { action: 'chase' });
    const facts = factsOf({ ...c.case }, c.case, c.trail.filter((e) => e.action === 'chase'));
    expect(facts.map((f) => (f.kind === 'chase' ? f.personId : f.kind))).toEqual(['zhou-tao']);
    c.act('wu-min', { action: 'approve' });
    expect(c.step).toBe('deputy');
    expect(c.case.chases ?? 0).toBe(0);
    expect(() => c.act('chen-zhiqiang', { action: 'chase' })).not.toThrow();
  });

  it('says how overdue the one way everywhere: a day begun counts', () => {
    const due = '2026-11-24T09:30:00.000Z';
    expect(daysOverdue(due, Date.parse(due) - 1)).toBe(0);
    expect(daysOverdue(due, Date.parse(due) + 60_000)).toBe(1);
    expect(daysOverdue(due, Date.parse(due) + 47.5 * 86_400_000)).toBe(48);
  });
});
