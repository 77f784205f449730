import { describe, expect, it } from 'vitest';
import { availableActions, decide, openCase, stepOverdue } from '../../functions/domain/cases/engine.ts';
import { tasksOf } from '../../functions/domain/cases/case.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import { givenCase, orgChart } from '../support/engine.ts';

/** Leave from Monday 2026-11-23 for `days` working days (within the week). */
const leaveFields = (days: number) => ({ leaveType: 'personal', startDate: '2026-11-23', endDate: `2026-11-${String(22 + Math.max(1, Math.ceil(days))).padStart(2, '0')}`, days, reason: '家中有事' });

describe('leave (002 第二篇 §9): tiered by length, every level signs', () => {
  it('half a day for staff: the section head alone approves, then the office is told for attendance', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(0.5));
    expect(c.step).toBe('section-head');
    expect(c.waitingOn).toEqual(['zhou-tao']);
    c.act('zhou-tao', { action: 'approve', comment: '同意' });
    expect(c.case.status).toBe('completed');
    expect(c.trail.map((t) => t.action)).toEqual(['submit', 'enter', 'approve', 'skip', 'skip', 'notify', 'complete']);
  });

  it('2 days for staff: section head, then the deputy in charge of the department', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    c.act('zhou-tao', { action: 'approve' });
    expect(c.step).toBe('deputy');
    expect(c.waitingOn).toEqual(['li-minghua']);
    c.act('li-minghua', { action: 'approve' });
    expect(c.case.status).toBe('completed');
  });

  it('5 days for staff: section head, deputy in charge, then the head', () => {
    const c = givenCase('leave', 'ma-chao', leaveFields(5));
    c.act('sun-wei', { action: 'approve' });
    expect(c.waitingOn).toEqual(['zhang-xiuying']);
    c.act('zhang-xiuying', { action: 'approve' });
    expect(c.waitingOn).toEqual(['wang-jianguo']);
    c.act('wang-jianguo', { action: 'approve' });
    expect(c.case.status).toBe('completed');
  });

  it('a section head asks the deputy in charge even for one day; a deputy asks the head', () => {
    const head = givenCase('leave', 'zhou-tao', leaveFields(1));
    expect(head.step).toBe('deputy');
    expect(head.waitingOn).toEqual(['li-minghua']);
    const deputy = givenCase('leave', 'zhang-xiuying', leaveFields(1));
    expect(deputy.step).toBe('head');
    expect(deputy.waitingOn).toEqual(['wang-jianguo']);
  });

  it('refuses fields that break the definition, naming the field', () => {
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(2), days: 0.3 })).toThrow(expect.objectContaining({ field: 'fields.days' }));
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(2), reason: '' })).toThrow(expect.objectContaining({ field: 'fields.reason' }));
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(2), extra: 1 })).toThrow(expect.objectContaining({ field: 'fields' }));
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(2), startDate: '2026-02-30' })).toThrow(expect.objectContaining({ field: 'fields.startDate' }));
    // Days must fit the dates: a 10-day absence entered as 1 day would skip the deputy and the head.
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(1), endDate: '2026-12-04' })).toThrow(expect.objectContaining({ field: 'fields.days' }));
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(3), days: 4 })).toThrow(expect.objectContaining({ field: 'fields.days' }));
    expect(() => givenCase('leave', 'xu-liang', { ...leaveFields(2), endDate: '2026-11-20' })).toThrow(expect.objectContaining({ field: 'fields.endDate' }));
  });
});

describe('decisions', () => {
  it('only the assignee may approve: a leader who can see it gets Forbidden, a stranger NotFound, and the case is unchanged', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    const before = structuredClone(c.case);
    expect(() => c.act('li-minghua', { action: 'approve' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
    expect(() => c.act('sun-wei', { action: 'approve' })).toThrow(expect.objectContaining({ name: 'NotFoundError' }));
    expect(c.case).toEqual(before);
  });

  it('reject ends the case; nothing further can be decided', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    c.act('zhou-tao', { action: 'reject', comment: '年底工作繁忙' });
    expect(c.case.status).toBe('rejected');
    expect(() => c.act('li-minghua', { action: 'approve' })).toThrow(expect.objectContaining({ name: 'ConflictError' }));
  });

  it('withdraw by the applicant only while nobody has acted', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    expect(availableActions(c.case, c.ctx(), 'xu-liang')).toContain('withdraw');
    expect(() => c.act('zhou-tao', { action: 'withdraw' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
    c.act('xu-liang', { action: 'withdraw', comment: '计划取消' });
    expect(c.case.status).toBe('withdrawn');
    const d = givenCase('leave', 'xu-liang', leaveFields(2));
    d.act('zhou-tao', { action: 'approve' });
    expect(availableActions(d.case, d.ctx(), 'xu-liang')).not.toContain('withdraw');
    expect(() => d.act('xu-liang', { action: 'withdraw' })).toThrow(expect.objectContaining({ code: 'already-acted' }));
  });

  it('return goes to the previous step by default and to the applicant from the first; the applicant resubmits', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(5));
    c.act('zhou-tao', { action: 'approve' });
    c.act('li-minghua', { action: 'return', comment: '请补充工作交接' });
    expect(c.step).toBe('section-head');
    expect(c.waitingOn).toEqual(['zhou-tao']);
    c.act('zhou-tao', { action: 'return', comment: '请补充' });
    expect(c.step).toBe('applicant');
    expect(availableActions(c.case, c.ctx(), 'xu-liang')).toContain('resubmit');
    expect(tasksOf(c.case)).toEqual([]);
    c.act('xu-liang', { action: 'resubmit', fields: { handover: '由吴敏代理' } });
    expect(c.case.fields.handover).toBe('由吴敏代理');
    expect(c.waitingOn).toEqual(['zhou-tao']);
  });

  it('return to a named earlier step, and only to one the case has passed', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(5));
    c.act('zhou-tao', { action: 'approve' });
    c.act('li-minghua', { action: 'approve' });
    expect(() => c.act('wang-jianguo', { action: 'return', comment: 'x', toStep: 'attendance' })).toThrow(expect.objectContaining({ field: 'toStep' }));
    c.act('wang-jianguo', { action: 'return', comment: '请重新核实天数', toStep: 'section-head' });
    expect(c.step).toBe('section-head');
    c.act('zhou-tao', { action: 'approve' });
    expect(c.step).toBe('deputy');
  });

  it('transfer hands the signature over; delegate lets another sign on the holder’s behalf, and the trail keeps both names', () => {
    const c = givenCase('expense', 'ma-chao', { category: 'office', amount: 320.5, invoices: 2, payee: '马超', description: '购买打印纸' });
    c.act('sun-wei', { action: 'approve' });
    expect(c.waitingOn).toEqual(['wu-min']);
    c.act('wu-min', { action: 'transfer', to: 'xu-liang', comment: '请徐亮审核' });
    expect(c.waitingOn).toEqual(['xu-liang']);
    expect(() => c.act('wu-min', { action: 'approve' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
    c.act('xu-liang', { action: 'approve' });
    expect(c.waitingOn).toEqual(['zhang-xiuying']);
    c.act('zhang-xiuying', { action: 'delegate', to: 'sun-wei' });
    c.act('sun-wei', { action: 'approve', comment: '代为审批' });
    const signed = c.trail.at(-1)!.action === 'approve' ? c.trail.at(-1)! : c.trail.filter((t) => t.action === 'approve').at(-1)!;
    expect(signed).toMatchObject({ actorName: '孙伟', onBehalfOfName: '张秀英' });
  });

  it('a stand-in from the org chart signs for an absent deputy (003 §6)', () => {
    const org = orgChart({
      ...demoOrg,
      standIns: [{ principalId: 'li-minghua', standInId: 'chen-zhiqiang', from: '2026-11-20T00:00:00+08:00', to: '2026-11-30T00:00:00+08:00', reason: '出差' }],
    });
    const c = givenCase('seal-use', 'xu-liang', { sealType: 'official', documentTitle: '关于年度预算的报告', copies: 3, recipient: '市财政局', purpose: '报送' }, org);
    c.act('zhou-tao', { action: 'approve' });
    expect(tasksOf(c.case).map((t) => t.personId).sort()).toEqual(['chen-zhiqiang', 'li-minghua']);
    c.act('chen-zhiqiang', { action: 'approve', comment: '代李局长签' });
    expect(c.trail.filter((t) => t.action === 'approve').at(-1)).toMatchObject({ actorName: '陈志强', onBehalfOfName: '李明华' });
    expect(c.waitingOn).toEqual(['zhao-lei']);
  });

  it('circulate and copy give readers a read task that never blocks the flow', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(0.5));
    c.act('zhou-tao', { action: 'circulate', people: ['wu-min'], comment: '请知悉' });
    expect(tasksOf(c.case)).toEqual(expect.arrayContaining([expect.objectContaining({ personId: 'wu-min', kind: 'read' })]));
    c.act('zhou-tao', { action: 'approve' });
    expect(c.case.status).toBe('completed');
    expect(availableActions(c.case, c.ctx(), 'wu-min')).toEqual(['comment']);
  });
});

describe('countersign (会稿) and add-signer (加签)', () => {
  const outgoing = (coDepartments: string[]) => ({
    docKind: '浏后勤发',
    mainRecipients: '各科室',
    coDepartments,
    urgency: 'normal',
    confidentiality: 'internal',
  });

  it('all related departments must agree before the office reviews', () => {
    const c = givenCase('outgoing-document', 'xu-liang', outgoing(['admin-affairs', 'petitions']));
    expect(c.step).toBe('countersign');
    expect(c.waitingOn.sort()).toEqual(['sun-wei', 'zhu-hong']);
    c.act('sun-wei', { action: 'approve' });
    expect(c.step).toBe('countersign');
    c.act('zhu-hong', { action: 'approve' });
    expect(c.step).toBe('review');
  });

  it('return from inside a countersign cancels the other signatures and re-enters the step cleanly (RuoYi-Vue-Pro #668)', () => {
    const c = givenCase('outgoing-document', 'xu-liang', outgoing(['admin-affairs', 'petitions']));
    c.act('sun-wei', { action: 'approve' });
    c.act('zhu-hong', { action: 'return', comment: '数据需核对' });
    expect(c.step).toBe('applicant');
    expect(tasksOf(c.case)).toEqual([]);
    c.act('xu-liang', { action: 'resubmit' });
    expect(c.step).toBe('countersign');
    // Both sign again: the earlier approval belonged to the returned round.
    expect(c.waitingOn.sort()).toEqual(['sun-wei', 'zhu-hong']);
    c.act('zhu-hong', { action: 'approve' });
    expect(c.step).toBe('countersign');
    c.act('sun-wei', { action: 'approve' });
    expect(c.step).toBe('review');
  });

  it('add a signer before: the added person signs first, then the adder; add-signer then return leaves no stray signer (Steedos #1466)', () => {
    const c = givenCase('outgoing-document', 'xu-liang', outgoing([]));
    expect(c.step).toBe('review'); // no co-departments: the countersign is skipped
    c.act('chen-zhiqiang', { action: 'add-signer', people: ['yang-jing'], position: 'before', comment: '请机要员先核密级' });
    expect(() => c.act('chen-zhiqiang', { action: 'approve' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
    expect(tasksOf(c.case).map((t) => t.personId)).toEqual(['yang-jing']);
    c.act('yang-jing', { action: 'return', comment: '密级标注有误' });
    expect(c.step).toBe('applicant');
    c.act('xu-liang', { action: 'resubmit' });
    expect(c.step).toBe('review');
    expect(c.case.slots.map((s) => s.personId)).toEqual(['chen-zhiqiang']);
    c.act('chen-zhiqiang', { action: 'approve' });
    expect(c.step).toBe('sign-off-deputy');
  });

  it('add a signer after: the step completes only when the added signer also approves', () => {
    const c = givenCase('outgoing-document', 'xu-liang', outgoing([]));
    c.act('chen-zhiqiang', { action: 'add-signer', people: ['liu-fang'], position: 'after' });
    expect(tasksOf(c.case).map((t) => t.personId)).toEqual(['chen-zhiqiang']);
    c.act('chen-zhiqiang', { action: 'approve' });
    expect(c.step).toBe('review');
    expect(tasksOf(c.case).map((t) => t.personId)).toEqual(['liu-fang']);
    c.act('liu-fang', { action: 'approve' });
    expect(c.step).toBe('sign-off-deputy');
  });

  it('signs off, numbers and files: 浏后勤发〔2026〕1号', () => {
    const c = givenCase('outgoing-document', 'xu-liang', { ...outgoing([]), important: true });
    c.act('chen-zhiqiang', { action: 'approve' });
    expect(c.step).toBe('sign-off-head');
    c.act('wang-jianguo', { action: 'approve', comment: '同意印发' });
    expect(c.case.number).toBe('浏后勤发〔2026〕1号');
    expect(c.step).toBe('proof');
    expect(c.waitingOn).toEqual(['xu-liang']);
    c.act('xu-liang', { action: 'approve' });
    c.act('liu-fang', { action: 'approve' });
    c.act('liu-fang', { action: 'approve' });
    expect(c.case.status).toBe('completed');
    expect(c.case.filedAt).toBeDefined();
  });
});

describe('expense (003 §20, §21)', () => {
  it('a leader in charge of both the department and finance signs once', () => {
    const c = givenCase('expense', 'xu-liang', { category: 'travel', amount: 1280, invoices: 4, payee: '徐亮', description: '赴省厅参会差旅' });
    c.act('zhou-tao', { action: 'approve' });
    c.act('wu-min', { action: 'approve' });
    c.act('li-minghua', { action: 'approve' });
    expect(c.step).toBe('pay'); // finance-deputy skipped: 李明华 already signed
    c.act('wu-min', { action: 'approve' });
    expect(c.case.status).toBe('completed');
  });

  it('refuses money with more than two decimals', () => {
    expect(() => givenCase('expense', 'xu-liang', { category: 'travel', amount: 10.005, invoices: 1, payee: 'x', description: 'y' })).toThrow(
      expect.objectContaining({ field: 'fields.amount' }),
    );
  });
});

describe('deadlines', () => {
  it('reminds at the deadline, then escalates to the superior for steps that say so', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    expect(c.case.dueAt).toBe('2026-11-24T09:30:00.000Z'); // one working day: by 17:30 on Tuesday
    expect(c.case.due?.rule.zh).toBe('1 个工作日');
    c.advanceClock(86_400_000 + 8.5 * 3_600_000);
    const reminded = stepOverdue(c.case, c.ctx());
    expect(reminded.trail.map((t) => t.action)).toEqual(['remind']);
    expect(reminded.notifications.map((n) => n.personId)).toEqual(['zhou-tao']);
    // The due time stays (overdue stays overdue); the next chase is a working day later.
    expect(reminded.case.dueAt).toBe('2026-11-24T09:30:00.000Z');
    expect(reminded.case.nextChaseAt).toBe('2026-11-25T09:30:00.000Z');
    expect(reminded.trail[0]!.comment).toBe('第一次催办 First chase');
  });

  it('escalates to the superior on the second miss when the step says so', () => {
    const org = orgChart();
    const c = givenCase('leave', 'xu-liang', leaveFields(2), org);
    const step = c.ctx().definition.steps[0]!;
    c.advanceClock(2 * 86_400_000);
    const ctx = { ...c.ctx(), definition: { ...c.ctx().definition, steps: [{ ...step, onTimeout: 'escalate' as const }, ...c.ctx().definition.steps.slice(1)] } };
    const first = stepOverdue(c.case, ctx);
    expect(first.trail.map((t) => t.action)).toEqual(['remind']);
    const second = stepOverdue(first.case, ctx);
    expect(second.trail.map((t) => t.action)).toEqual(['escalate']);
    expect(second.notifications.map((n) => n.personId)).toEqual(['li-minghua']);
    expect(tasksOf(second.case).map((t) => t.personId).sort()).toEqual(['li-minghua', 'zhou-tao']);
    const third = stepOverdue(second.case, ctx);
    expect(third.trail.map((t) => t.comment)).toEqual(['最后催办 Final chase']);
  });

  it('reminds some working hours before the due time when the step asks for it', () => {
    const base = givenCase('leave', 'xu-liang', leaveFields(2)).ctx();
    const [first, ...rest] = base.definition.steps;
    const ctx = { ...base, definition: { ...base.definition, steps: [{ ...first!, chase: { beforeWorkingHours: 2, everyWorkingDays: 1, escalateTo: 'superior' as const } }, ...rest] as typeof base.definition.steps } };
    const opened = openCase(ctx, { id: 'C9', title: '请假', fields: leaveFields(2), applicantId: 'xu-liang' }).case;
    expect(opened.dueAt).toBe('2026-11-24T09:30:00.000Z');
    expect(opened.nextChaseAt).toBe('2026-11-24T07:30:00.000Z'); // 15:30, two working hours before 17:30
    const out = stepOverdue(opened, { ...ctx, now: Date.parse('2026-11-24T07:30:00Z') });
    expect(out.trail.map((t) => t.action)).toEqual(['remind-before']);
    expect(out.notifications.map((n) => n.personId)).toEqual(['zhou-tao']);
    expect(out.case.nextChaseAt).toBe(opened.dueAt);
  });
});

describe('guards from review', () => {
  it('a step nobody can sign goes to the applicant’s superior, never skipped silently', () => {
    const org = orgChart({ ...demoOrg, people: demoOrg.people.filter((p) => p.id !== 'zhou-tao') });
    const c = givenCase('leave', 'xu-liang', leaveFields(0.5), org);
    expect(c.step).toBe('section-head');
    expect(c.waitingOn).toEqual(['li-minghua']);
    expect(c.trail.map((t) => t.action)).toContain('fallback');
  });

  it('nobody hands a request to its own applicant, and a stand-in never signs their own request', () => {
    const c = givenCase('expense', 'ma-chao', { category: 'office', amount: 20, invoices: 1, payee: '马超', description: '文具' });
    expect(() => c.act('sun-wei', { action: 'transfer', to: 'ma-chao' })).toThrow(expect.objectContaining({ field: 'to' }));
    expect(() => c.act('sun-wei', { action: 'delegate', to: 'ma-chao' })).toThrow(expect.objectContaining({ field: 'to' }));
    const org = orgChart({
      ...demoOrg,
      standIns: [{ principalId: 'li-minghua', standInId: 'zhou-tao', from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' }],
    });
    const own = givenCase('seal-use', 'zhou-tao', { sealType: 'official', documentTitle: '报告', copies: 1, recipient: '市局', purpose: '报送' }, org);
    expect(own.waitingOn).toEqual(['li-minghua']);
    expect(() => own.act('zhou-tao', { action: 'approve' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
  });

  it('a stand-in whose absence starts after the step began may sign, one whose absence ended may not', () => {
    const c = givenCase('seal-use', 'xu-liang', { sealType: 'official', documentTitle: '报告', copies: 1, recipient: '市局', purpose: '报送' });
    c.act('zhou-tao', { action: 'approve' });
    const away = orgChart({
      ...demoOrg,
      standIns: [{ principalId: 'li-minghua', standInId: 'chen-zhiqiang', from: '2026-11-23T00:00:00+08:00', to: '2026-11-24T00:00:00+08:00' }],
    });
    const ctx = { ...c.ctx(), org: away };
    expect(availableActions(c.case, ctx, 'chen-zhiqiang')).toContain('approve');
    expect(availableActions(c.case, { ...ctx, now: Date.parse('2026-11-24T01:00:00Z') }, 'chen-zhiqiang')).not.toContain('approve');
  });

  it('reject only where the step allows it: the cashier returns a claim, she does not reject it', () => {
    const c = givenCase('expense', 'xu-liang', { category: 'travel', amount: 100, invoices: 1, payee: '徐亮', description: '差旅' });
    c.act('zhou-tao', { action: 'approve' });
    c.act('wu-min', { action: 'approve' });
    c.act('li-minghua', { action: 'approve' });
    expect(c.step).toBe('pay');
    expect(availableActions(c.case, c.ctx(), 'wu-min')).not.toContain('reject');
    expect(() => c.act('wu-min', { action: 'reject', comment: '超预算' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
  });

  it('a case returned to its applicant may be withdrawn', () => {
    const c = givenCase('leave', 'xu-liang', leaveFields(2));
    c.act('zhou-tao', { action: 'return', comment: '请补充' });
    expect(availableActions(c.case, c.ctx(), 'xu-liang')).toEqual(['resubmit', 'withdraw', 'comment']);
    c.act('xu-liang', { action: 'withdraw' });
    expect(c.case.status).toBe('withdrawn');
  });

  it('a document returned past its numbering step keeps its number', () => {
    const c = givenCase('outgoing-document', 'xu-liang', { docKind: '浏后勤函', mainRecipients: '市局', urgency: 'normal', confidentiality: 'public' });
    c.act('chen-zhiqiang', { action: 'approve' });
    c.act('li-minghua', { action: 'approve' });
    c.act('xu-liang', { action: 'approve' });
    expect(c.step).toBe('proof-check');
    c.act('liu-fang', { action: 'return', toStep: 'review', comment: '标题有误，重新核稿' });
    c.act('chen-zhiqiang', { action: 'approve' });
    c.act('li-minghua', { action: 'approve' });
    expect(c.case.number).toBe('浏后勤函〔2026〕1号');
    expect(c.trail.filter((t) => t.action === 'number')).toHaveLength(1);
  });
});

describe('deadline extension (信访: once, +30 days, with a reason)', () => {
  it('the person the step names grants it once; the due date moves and the trail and explanation say why', () => {
    const base = givenCase('leave', 'xu-liang', leaveFields(2)).ctx();
    const [first, ...rest] = base.definition.steps;
    const steps = [{ ...first!, deadline: { days: 60 }, extension: { days: 30, by: [{ rule: 'deputy-in-charge-of-applicant-department' as const }] } }, ...rest];
    const ctx = { ...base, definition: { ...base.definition, steps: steps as typeof base.definition.steps } };
    const opened = openCase(ctx, { id: 'X1', title: '信访件', fields: leaveFields(2), applicantId: 'xu-liang' }).case;
    expect(opened.dueAt).toBe('2027-01-22T09:30:00.000Z'); // 23 Nov + 60 days = 22 Jan 2027
    expect(availableActions(opened, ctx, 'li-minghua')).toContain('extend');
    expect(availableActions(opened, ctx, 'zhou-tao')).not.toContain('extend');
    expect(() => decide(opened, ctx, 'zhou-tao', { action: 'extend', comment: '需调查' })).toThrow(expect.objectContaining({ name: 'ForbiddenError' }));
    const extended = decide(opened, ctx, 'li-minghua', { action: 'extend', comment: '涉及多部门，需进一步调查' });
    // 22 January + 30 days = 21 February 2027, a Sunday → Monday 22 February.
    expect(extended.case.dueAt).toBe('2027-02-22T09:30:00.000Z');
    expect(extended.case.due?.extension).toMatchObject({ days: 30, reason: '涉及多部门，需进一步调查', byName: '李明华' });
    expect(extended.trail).toEqual([expect.objectContaining({ action: 'extend', comment: '涉及多部门，需进一步调查', actorName: '李明华' })]);
    expect(() => decide(extended.case, ctx, 'li-minghua', { action: 'extend', comment: '再延' })).toThrow(expect.objectContaining({ code: 'already-extended' }));
  });
});

describe('confidentiality (三密, 003 §9–§10)', () => {
  const secret = { docKind: '浏后勤发', mainRecipients: '市委办', urgency: 'normal', confidentiality: 'secret' };

  it('a secret document is seen by the people handling it and the confidential clerk, not by every leader', () => {
    const c = givenCase('outgoing-document', 'xu-liang', secret);
    expect(c.waitingOn).toEqual(['chen-zhiqiang']);
    const ctx = c.ctx();
    expect(availableActions(c.case, ctx, 'chen-zhiqiang')).toContain('approve');
    expect(availableActions(c.case, ctx, 'yang-jing')).toEqual(['comment']); // the confidential clerk
    expect(availableActions(c.case, ctx, 'wang-jianguo')).toEqual([]); // the head, not involved
    expect(availableActions(c.case, ctx, 'zhou-tao')).toEqual([]);
    c.act('chen-zhiqiang', { action: 'approve' });
    // The deputy who signs it off sees it from then on.
    expect(availableActions(c.case, ctx, 'li-minghua')).toContain('approve');
  });

  it('an internal document is seen by the leaders as before', () => {
    const c = givenCase('outgoing-document', 'xu-liang', { ...secret, confidentiality: 'internal' });
    expect(availableActions(c.case, c.ctx(), 'wang-jianguo')).toEqual(['comment']);
  });
});
