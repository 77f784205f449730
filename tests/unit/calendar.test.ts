import { describe, expect, it } from 'vitest';
import { WorkingCalendar, shanghaiTime } from '../../functions/domain/calendar/working-calendar.ts';
import { computeDue, extendDue } from '../../functions/domain/calendar/deadline.ts';

const at = (date: string, hhmm: string) => shanghaiTime(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const iso = (date: string, hhmm: string) => new Date(at(date, hhmm)).toISOString();
const calendar = new WorkingCalendar();

describe('China’s working-day calendar (Asia/Shanghai)', () => {
  it('knows holidays, weekends and make-up working days (调休) and says why', () => {
    expect(calendar.day('2026-10-01')).toMatchObject({ work: false, reason: expect.stringContaining('国庆节') });
    expect(calendar.day('2026-10-10')).toMatchObject({ work: true, reason: expect.stringContaining('调休上班') }); // a Saturday worked
    expect(calendar.day('2026-02-14')).toMatchObject({ work: true, reason: expect.stringContaining('调休上班') });
    expect(calendar.day('2026-11-28')).toMatchObject({ work: false, reason: expect.stringContaining('周六') });
    expect(calendar.day('2026-11-27')).toMatchObject({ work: true });
  });

  it('counts 3 working days across National Day: from 30 September the document is due 10 October (a make-up Saturday)', () => {
    const due = calendar.addWorkingDays(at('2026-09-30', '10:00'), 3);
    expect(new Date(due.at).toISOString()).toBe(iso('2026-10-10', '17:30'));
    expect(due.skipped.map((d) => d.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
  });

  it('counts across Spring Festival, with its make-up days on 14 and 28 February', () => {
    const due = calendar.addWorkingDays(at('2026-02-13', '16:00'), 2);
    // Friday 13th → Saturday 14th is worked (调休) → then the holiday until the 23rd → Tuesday 24th.
    expect(new Date(due.at).toISOString()).toBe(iso('2026-02-24', '17:30'));
    expect(due.skipped).toHaveLength(9);
  });

  it('counts working hours only inside 09:00–12:00 and 13:30–17:30 on working days', () => {
    expect(new Date(calendar.addWorkingHours(at('2026-11-23', '11:00'), 2).at).toISOString()).toBe(iso('2026-11-23', '14:30'));
    expect(new Date(calendar.addWorkingHours(at('2026-11-27', '17:00'), 1).at).toISOString()).toBe(iso('2026-11-30', '09:30'));
    expect(new Date(calendar.addWorkingHours(at('2026-11-23', '07:00'), 1).at).toISOString()).toBe(iso('2026-11-23', '10:00'));
  });

  it('same day means by 17:30 today, or the next working day when it comes in after hours or on a day off', () => {
    expect(new Date(calendar.sameDay(at('2026-11-23', '10:00')).at).toISOString()).toBe(iso('2026-11-23', '17:30'));
    expect(new Date(calendar.sameDay(at('2026-11-23', '18:00')).at).toISOString()).toBe(iso('2026-11-24', '17:30'));
    expect(new Date(calendar.sameDay(at('2026-10-03', '10:00')).at).toISOString()).toBe(iso('2026-10-08', '17:30'));
  });

  it('takes the organisation’s own closures and next year’s schedule before the data set has them', () => {
    const own = new WorkingCalendar([
      { date: '2026-11-24', work: false, reason: '办公楼停电检修' },
      { date: '2026-11-28', work: true, reason: '年终会议补班' },
    ]);
    expect(own.day('2026-11-24')).toMatchObject({ work: false, reason: '办公楼停电检修', source: 'organisation' });
    const due = own.addWorkingDays(at('2026-11-23', '09:00'), 2);
    expect(new Date(due.at).toISOString()).toBe(iso('2026-11-26', '17:30'));
    expect(due.skipped).toEqual([{ date: '2026-11-24', reason: '办公楼停电检修', text: { zh: '办公楼停电检修', en: '办公楼停电检修' } }]);
    expect(own.isWorkingDay('2026-11-28')).toBe(true);
  });
});

describe('deadline rules explain themselves', () => {
  const fields = { receivedOn: '2026-10-12' };

  it('petition acceptance within 15 days, registered just before National Day: the last day is a working day', () => {
    const due = computeDue({ days: 15 }, at('2026-09-29', '15:00'), calendar, { fields });
    // 29 September + 15 days = 14 October, a Wednesday.
    expect(due.at).toBe(iso('2026-10-14', '17:30'));
    expect(due.rule).toEqual({ zh: '15 日', en: '15 days' });
    expect(due.skipped).toEqual([]);
  });

  it('a period whose last day falls in the holiday ends on the next working day, and says so', () => {
    const due = computeDue({ days: 5 }, at('2026-09-29', '09:00'), calendar, { fields });
    expect(due.at).toBe(iso('2026-10-08', '17:30'));
    expect(due.skipped.map((d) => d.date)).toEqual(['2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect(due.skipped[0]!.reason).toMatch(/顺延/);
  });

  it('an extension counts from the period’s own end, not from a date already moved past a holiday', () => {
    // Accepted 2 August: 60 days end on 1 October (National Day), rolled to 8 October;
    // +30 days count from 1 October: 31 October, a Saturday → Monday 2 November.
    const due = computeDue({ days: 60 }, at('2026-08-02', '10:00'), calendar, { fields });
    expect(due.at).toBe(iso('2026-10-08', '17:30'));
    const extended = extendDue(due, calendar, { days: 30, reason: '需补充调查', byId: 'x', byName: 'x', at: iso('2026-09-01', '10:00') });
    expect(extended.at).toBe(iso('2026-11-02', '17:30'));
  });

  it('one 30-day extension moves the resolution date and records why and who granted it', () => {
    const due = computeDue({ days: 60, from: 'accepted' }, at('2026-10-12', '10:00'), calendar, { fields, fromLabel: '受理' });
    expect(due.rule.zh).toBe('自受理起60 日');
    expect(due.at).toBe(iso('2026-12-11', '17:30'));
    const extended = extendDue(due, calendar, { days: 30, reason: '涉及多个部门，需进一步调查', byId: 'zhang-xiuying', byName: '张秀英', at: iso('2026-12-01', '10:00') });
    // 11 December + 30 days = 10 January 2027, a Sunday → Monday 11 January.
    expect(extended.at).toBe(iso('2027-01-11', '17:30'));
    expect(extended.extension).toMatchObject({ days: 30, byName: '张秀英' });
  });

  it('before day 28 of the month, a date from a field, N working hours', () => {
    // Before the 28th: by the end of the last working day before it.
    expect(computeDue({ beforeDayOfMonth: 28 }, at('2026-11-23', '10:00'), calendar, { fields }).at).toBe(iso('2026-11-27', '17:30'));
    // Past it: next month's; 26 and 27 December are a weekend, so Friday the 25th.
    expect(computeDue({ beforeDayOfMonth: 28 }, at('2026-11-29', '10:00'), calendar, { fields }).at).toBe(iso('2026-12-25', '17:30'));
    // A report's own month, however late its work gets: November's stays due in November.
    expect(computeDue({ beforeDayOfMonth: 28, periodField: 'period' }, at('2026-11-30', '10:00'), calendar, { fields: { period: '2026-11' } }).at).toBe(iso('2026-11-27', '17:30'));
    expect(computeDue({ dateField: 'receivedOn' }, at('2026-10-01', '10:00'), calendar, { fields, fieldLabel: () => '收到日期' })).toMatchObject({ at: iso('2026-10-12', '17:30'), rule: { zh: '按“收到日期”' } });
    expect(computeDue({ workingHours: 4 }, at('2026-11-23', '16:00'), calendar, { fields }).at).toBe(iso('2026-11-24', '11:30'));
  });
});
