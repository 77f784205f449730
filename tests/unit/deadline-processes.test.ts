import { describe, expect, it } from 'vitest';
import { stepOverdue } from '../../functions/domain/cases/engine.ts';
import { givenCase, orgChart } from '../support/engine.ts';

const shanghai = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

describe('petition (信访, DOMAIN.md §6): legal deadlines around National Day', () => {
  const letter = { channel: 'letter', receivedOn: '2026-09-29', petitioner: '张某', summary: '反映小区物业服务问题', handlingDepartment: 'admin-affairs' };

  it('a letter received just before National Day: registration, acceptance, answer, resolution and the one extension', () => {
    const c = givenCase('petition', 'hu-jun', letter, orgChart(), Date.parse(shanghai('2026-09-29', '10:00')));
    expect(c.step).toBe('register');
    // 3 working days from receipt: 30 September, then 8 and 9 October (1–7 October are National Day).
    expect(c.case.dueAt).toBe(shanghai('2026-10-09', '17:30'));
    expect(c.case.due?.rule.zh).toBe('自收到日期起3 个工作日');
    expect(c.case.due?.skipped.map((d) => d.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    c.setClock(shanghai('2026-09-30', '09:00'));
    c.act('hu-jun', { action: 'approve', comment: '已登记' });
    expect(c.step).toBe('accept');
    expect(c.waitingOn).toEqual(['zhu-hong']);
    // 15 days from receipt: 14 October.
    expect(c.case.dueAt).toBe(shanghai('2026-10-14', '17:30'));
    c.setClock(shanghai('2026-10-12', '10:00'));
    c.act('zhu-hong', { action: 'approve', comment: '予以受理，已书面告知信访人' });
    expect(c.case.events.accepted).toBe(shanghai('2026-10-12', '10:00'));
    expect(c.step).toBe('department-answer');
    expect(c.waitingOn).toEqual(['sun-wei']);
    expect(c.case.dueAt).toBe(shanghai('2026-10-19', '17:30')); // 7 days
    c.setClock(shanghai('2026-10-13', '09:00'));
    c.act('sun-wei', { action: 'approve', comment: '同意承办' });
    expect(c.step).toBe('resolve');
    // 60 days from acceptance (12 October): 11 December.
    expect(c.case.dueAt).toBe(shanghai('2026-12-11', '17:30'));
    expect(c.case.due?.rule.zh).toBe('自受理起60 日');
    c.setClock(shanghai('2026-12-01', '09:00'));
    c.act('zhang-xiuying', { action: 'extend', comment: '涉及多个部门，需进一步调查核实' });
    // +30 days: 10 January 2027 is a Sunday, so 11 January.
    expect(c.case.dueAt).toBe(shanghai('2027-01-11', '17:30'));
    expect(c.case.due?.extension?.reason).toBe('涉及多个部门，需进一步调查核实');
    expect(c.trail.at(-1)).toMatchObject({ action: 'extend', actorName: '张秀英' });
    c.act('sun-wei', { action: 'approve', comment: '已办结' });
    c.act('hu-jun', { action: 'approve', comment: '已书面答复' });
    expect(c.case.status).toBe('completed');
    expect(c.case.filedAt).toBeDefined();
  });

  it('coming back to acceptance does not restart the 60 days, a granted extension stays with the step, and none is granted after the period', () => {
    const c = givenCase('petition', 'hu-jun', letter, orgChart(), Date.parse(shanghai('2026-09-29', '10:00')));
    c.act('hu-jun', { action: 'approve' });
    c.setClock(shanghai('2026-10-12', '10:00'));
    c.act('zhu-hong', { action: 'approve' });
    c.act('sun-wei', { action: 'approve' });
    c.setClock(shanghai('2026-12-01', '09:00'));
    c.act('zhang-xiuying', { action: 'extend', comment: '需进一步调查' });
    expect(c.case.dueAt).toBe(shanghai('2027-01-11', '17:30'));
    c.act('sun-wei', { action: 'return', toStep: 'accept', comment: '受理意见需补充' });
    c.setClock(shanghai('2026-12-02', '09:00'));
    c.act('zhu-hong', { action: 'approve', comment: '补充后再次受理' });
    expect(c.case.events.accepted).toBe(shanghai('2026-10-12', '10:00'));
    c.act('sun-wei', { action: 'approve' });
    expect(c.step).toBe('resolve');
    expect(c.case.dueAt).toBe(shanghai('2027-01-11', '17:30'));
    expect(() => c.act('zhang-xiuying', { action: 'extend', comment: '再延' })).toThrow(expect.objectContaining({ code: 'already-extended' }));

    const late = givenCase('petition', 'hu-jun', letter, orgChart(), Date.parse(shanghai('2026-09-29', '10:00')));
    late.act('hu-jun', { action: 'approve' });
    late.act('zhu-hong', { action: 'approve' });
    late.act('sun-wei', { action: 'approve' });
    late.setClock(shanghai('2026-12-20', '09:00')); // past 60 days from 29 September
    expect(() => late.act('zhang-xiuying', { action: 'extend', comment: '太晚了' })).toThrow(expect.objectContaining({ code: 'period-ended' }));
  });

  it('a petition not accepted has its written reason in the trail and is filed', () => {
    const c = givenCase('petition', 'hu-jun', letter, orgChart(), Date.parse(shanghai('2026-09-29', '10:00')));
    c.act('hu-jun', { action: 'approve' });
    c.act('zhu-hong', { action: 'reject', comment: '不属于本机关职责范围，已书面告知信访人向市住建局反映' });
    expect(c.case.status).toBe('rejected');
    expect(c.case.filedAt).toBeDefined();
    expect(c.trail.find((t) => t.action === 'reject')?.comment).toMatch(/书面告知/);
  });

  it('a visit is recorded the same day', () => {
    const c = givenCase('petition', 'hu-jun', { ...letter, channel: 'visit', receivedOn: '2026-11-23' }, orgChart(), Date.parse(shanghai('2026-11-23', '10:00')));
    expect(c.step).toBe('register-visit');
    expect(c.case.dueAt).toBe(shanghai('2026-11-23', '17:30'));
  });

  it('a review must be asked within 30 days of the written reply', () => {
    const review = { originalCase: '20261012-abc', repliedOn: '2026-11-02', reason: '对答复不满意' };
    expect(() => givenCase('petition-review', 'hu-jun', { ...review, requestedOn: '2026-12-05' })).toThrow(expect.objectContaining({ field: 'fields.requestedOn' }));
    // 30 days after 2 November is Wednesday 2 December; after 5 September it is Monday 5 October
    // (National Day), so the window runs to 8 October.
    expect(() => givenCase('petition-review', 'hu-jun', { ...review, requestedOn: '2026-12-03' })).toThrow(expect.objectContaining({ field: 'fields.requestedOn' }));
    expect(givenCase('petition-review', 'hu-jun', { ...review, repliedOn: '2026-09-05', requestedOn: '2026-10-08' }).case.status).toBe('open');
    const c = givenCase('petition-review', 'hu-jun', { ...review, requestedOn: '2026-11-20' });
    expect(c.waitingOn).toEqual(['wang-jianguo']);
    expect(c.case.dueAt).toBe(shanghai('2026-12-21', '17:30')); // 30 days from the request: 20 December is a Sunday
  });
});

describe('supervision (督办, 004 ch.1): first chase, second chase, report to the leader, final chase', () => {
  it('chases a late task in the seed’s order and never after it is done', () => {
    const c = givenCase('supervision', 'chen-zhiqiang', { task: '完成年度档案移交', responsible: 'ma-chao', deadline: '2026-11-25', leader: 'wang-jianguo' });
    expect(c.waitingOn).toEqual(['ma-chao']);
    expect(c.case.dueAt).toBe(shanghai('2026-11-25', '17:30'));
    // A reminder 8 working hours before: 16:30 the day before (7 working hours a day).
    expect(c.case.nextChaseAt).toBe(shanghai('2026-11-24', '16:30'));
    const chases: string[] = [];
    let current = c.case;
    for (const at of ['2026-11-24T16:30', '2026-11-25T17:30', '2026-11-27T17:30', '2026-12-01T17:30', '2026-12-03T17:30', '2026-12-07T17:30']) {
      const out = stepOverdue(current, { ...c.ctx(), now: Date.parse(`${at}:00+08:00`) });
      current = out.case;
      chases.push(...out.trail.map((t) => (t.action === 'remind' ? String(t.comment) : t.action)));
    }
    // …and after the final chase it stops (the daily digest still lists it).
    expect(chases).toEqual(['remind-before', '第一次催办 First chase', '第二次催办 Second chase', 'escalate', '最后催办 Final chase']);
    expect(current.chaseDone).toBe(true);
    // Reported to the leader who assigned it (the supervision's own field).
    expect(current.slots.filter((s) => s.origin === 'escalated').map((s) => s.personId)).toEqual(['wang-jianguo']);
  });

  it('a task done in time is never chased', () => {
    const c = givenCase('supervision', 'chen-zhiqiang', { task: '报送材料', responsible: 'ma-chao', deadline: '2026-11-25', leader: 'wang-jianguo' });
    c.act('ma-chao', { action: 'approve', comment: '已报送' });
    expect(c.step).toBe('check');
    c.act('chen-zhiqiang', { action: 'approve' });
    expect(c.case.status).toBe('completed');
    const late = stepOverdue(c.case, { ...c.ctx(), now: Date.parse('2026-12-10T09:00:00+08:00') });
    expect(late.trail).toEqual([]);
    expect(late.notifications).toEqual([]);
  });
});
