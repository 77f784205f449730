/**
 * 办会 and the recurring and yearly work: meetings, the theory study, monthly reports,
 * certificates and their yearly review, the archive hand-in and room booking, walked to
 * completion through the API, each following its seed (named in the title). The clock stands at
 * Thursday 10 December 2026, 09:00 in Shanghai; the last test moves it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/clock.ts';
import { defaultDeps } from '../../functions/adapters/deps.ts';
import { openDueObligations } from '../../functions/domain/obligations/open-obligations.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const shanghai = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`).toISOString();
const NINE_REPORTS = ['caseInvestigation', 'antiCounterfeit', 'antiCounterfeitAnnex', 'monopolyManagement', 'foreignBrandFakes', 'caseStatistics', 'managementCosts', 'genuineCigarettes', 'caseFileRegister'];

describe('meetings and the recurring work walked through the API (办会)', () => {
  const clock = new ManualClock(Date.parse(shanghai('2026-12-10', '09:00')));
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  const completed = (user: string, id: string) => api.until(user, id, (x) => x.status === 'completed', 'completed');
  const approvalsOf = (c: any) => c.trail.filter((t: any) => t.action === 'approve').map((t: any) => `${t.stepId}:${t.actorName}`);

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);
  });
  afterAll(() => system?.stop());

  it('a meeting (001 §一(二); 003 §2): approved, venue, notice by two channels for an important one, papers, sign-in, minutes within 3 days, approved by the chair, distributed, filed', async () => {
    const attendees = ['li-minghua', 'zhang-xiuying', 'zhou-tao', 'sun-wei', 'zhu-hong'];
    const c = await api.open('chen-zhiqiang', 'meeting', '局务会：研究年终考核工作', {
      topic: '研究2026年度考核工作方案',
      meetingKind: 'bureau-affairs',
      important: true,
      meetingDate: '2026-12-11',
      startTime: '09:00',
      chair: 'wang-jianguo',
      attendees,
      agenda: '一、通报年度工作；二、研究考核方案',
    });
    expect(c.currentStep).toBe('deputy');
    await api.act('li-minghua', c.id, { action: 'approve' });
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '同意' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { venue: '三楼大会议室' } });
    // 重要会议“双保险”: every attendee by two channels, else 400 naming who is short.
    const atNotice = await api.settled('liu-fang', c.id);
    expect(atNotice.body.currentStepInputs.map((f: any) => f.key)).toEqual(['byPhone', 'byFax', 'bySms', 'inWriting', 'notifiedOn']);
    const oneWay = await api.post('liu-fang', `/api/cases/${c.id}/actions`, { action: 'approve', version: atNotice.body.version, fields: { byPhone: attendees, bySms: attendees.slice(1), notifiedOn: '2026-12-10' } });
    expect(oneWay.status).toBe(400);
    expect(oneWay.body.error).toMatchObject({ field: 'fields.byPhone', message: expect.stringContaining('li-minghua') });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { byPhone: attendees, bySms: attendees, notifiedOn: '2026-12-10' } });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '会议材料已装袋' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { present: attendees.slice(0, 4), attendanceCount: 4, absences: '朱红出差' } });
    // 会议纪要 3天内完成起草: 3 days from the meeting is a Sunday, so Monday.
    const minutes = await api.settled('liu-fang', c.id);
    expect(minutes.body).toMatchObject({ currentStep: 'minutes', dueAt: shanghai('2026-12-14', '17:30') });
    expect(minutes.body.due.rule.zh).toBe('自会议召开起3 日');
    await api.act('liu-fang', c.id, { action: 'approve', fields: { minutesSummary: '会议原则通过考核方案' } });
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '签发' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { distributedTo: attendees } });
    const done = await completed('chen-zhiqiang', c.id);
    expect(done.filedAt).toBeDefined();
    expect(approvalsOf(done)).toEqual(['deputy:李明华', 'head:王建国', 'venue:刘芳', 'notice:刘芳', 'materials:陈志强', 'sign-in:刘芳', 'minutes:刘芳', 'minutes-approval:王建国', 'distribute:刘芳']);
    expect(done.fields).toMatchObject({ venue: '三楼大会议室', attendanceCount: 4, present: attendees.slice(0, 4) });
    expect(done.fields.byFax).toBeUndefined();
    expect(done.trail.find((t: any) => t.stepId === 'notice' && t.action === 'approve').detail.fields.bySms).toEqual(attendees);
  });

  it('the monthly obligations (000 §二.3; 002 第二篇 §九): the nine reports before the 28th, and the theory study with its notice 3 days before', async () => {
    const opened = await openDueObligations(defaultDeps());
    expect(opened).toEqual(expect.arrayContaining(['obl-monthly-reports-2026-12', 'obl-theory-study-2026-12']));

    const reports = 'obl-monthly-reports-2026-12';
    const compiling = await api.get('liu-fang', `/api/cases/${reports}`);
    expect(compiling.body).toMatchObject({ definitionVersion: 2, currentStep: 'compile', dueAt: shanghai('2026-12-24', '17:30') });
    expect(compiling.body.currentStepInputs.map((f: any) => f.label.zh)).toEqual(expect.arrayContaining(['全国烟草专卖案件查处情况月报表（国烟专表1）', '一般程序案件案卷文书信息月登记表']));
    expect(compiling.body.currentStepInputs).toHaveLength(9);
    const eight = Object.fromEntries(NINE_REPORTS.slice(0, 8).map((k) => [k, true]));
    const short = await api.post('liu-fang', `/api/cases/${reports}/actions`, { action: 'approve', version: compiling.body.version, fields: eight });
    expect(short.body.error.field).toBe('fields.caseFileRegister');
    await api.act('liu-fang', reports, { action: 'approve', fields: { ...eight, caseFileRegister: true } });
    const submitting = await api.settled('chen-zhiqiang', reports);
    expect(submitting.body.dueAt).toBe(shanghai('2026-12-25', '17:30')); // before the 28th (a Monday): Friday the 25th
    await api.act('chen-zhiqiang', reports, { action: 'approve', fields: { submittedOn: '2026-12-10' } });
    expect((await completed('liu-fang', reports)).filedAt).toBeDefined();

    const study = 'obl-theory-study-2026-12';
    const noticing = await api.get('liu-fang', `/api/cases/${study}`);
    // The 20th is a Sunday: the study is on Monday the 21st, the members told by the 17th.
    expect(noticing.body).toMatchObject({ title: '2026年12月 理论中心组学习', currentStep: 'notice', dueAt: shanghai('2026-12-17', '17:30'), fields: { studyDate: '2026-12-21' } });
    const members = ['wang-jianguo', 'li-minghua', 'zhang-xiuying', 'chen-zhiqiang'];
    await api.act('liu-fang', study, { action: 'approve', fields: { notified: members, topic: '学习中央经济工作会议精神' } });
    const studying = await api.settled('liu-fang', study);
    expect(studying.body.dueAt).toBe(shanghai('2026-12-21', '17:30'));
    await api.act('liu-fang', study, { action: 'approve', fields: { present: members, attendanceCount: 4, record: '集中学习2小时' } });
    const done = await completed('liu-fang', study);
    expect(done.fields).toMatchObject({ topic: '学习中央经济工作会议精神', attendanceCount: 4 });
    expect(done.filedAt).toBeDefined();
  });

  it('certificates (000 证件管理岗; 004 第二章 证照管理): a certificate registered with holder, post, number, issue date and expiry; the November–December review lists those to renew, recall and plan', async () => {
    const c = await api.open('ma-chao', 'certificate', '马超行政执法证换证', { holder: 'ma-chao', post: '行政事务科科员', certificateKind: 'enforcement', action: 'renew', reason: '原证将于年底到期' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve' });
    const obtaining = await api.settled('liu-fang', c.id);
    const backwards = await api.post('liu-fang', `/api/cases/${c.id}/actions`, { action: 'approve', version: obtaining.body.version, fields: { certificateNumber: 'ZF-2026-0088', issuedOn: '2026-12-10', expiresOn: '2026-12-01' } });
    expect(backwards.body.error).toMatchObject({ field: 'fields.expiresOn', message: expect.stringMatching(/^有效期至不能早于领证日期/) });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { certificateNumber: 'ZF-2026-0088', issuedOn: '2026-12-10', expiresOn: '2031-12-09' } });
    const done = await completed('ma-chao', c.id);
    expect(done.fields).toMatchObject({ holder: 'ma-chao', post: '行政事务科科员', certificateNumber: 'ZF-2026-0088', expiresOn: '2031-12-09' });

    // Opened in November–December by the obligation (here by the same function the daily schedule runs; once).
    await openDueObligations(defaultDeps());
    expect(await openDueObligations(defaultDeps())).toEqual([]);
    const review = 'obl-certificate-review-2026';
    expect((await api.get('liu-fang', `/api/cases/${review}`)).body).toMatchObject({ definitionVersion: 2, currentStep: 'review', dueAt: shanghai('2026-12-31', '17:30') });
    await api.act('liu-fang', review, { action: 'approve', fields: { reviewedCount: 12, renew: ['ma-chao'], recall: ['hu-jun'], planned: '新进人员2名办理执法证' } });
    await api.act('chen-zhiqiang', review, { action: 'approve', comment: '同意' });
    const reviewed = await completed('liu-fang', review);
    expect(reviewed.fields).toMatchObject({ reviewedCount: 12, renew: ['ma-chao'], recall: ['hu-jun'] });
    expect(reviewed.filedAt).toBeDefined();
  });

  it('the archive hand-in (000 §二.2; 003 §7; 004 第八章): opened in June, the archivist prepares the catalogue, the office director reviews it, handed to the archive room', async () => {
    expect(await openDueObligations(defaultDeps(), Date.parse('2027-06-01T00:00:00Z'))).toContain('obl-archive-hand-in-2027');
    const id = 'obl-archive-hand-in-2027';
    await api.act('huang-li', id, { action: 'approve', comment: '已分类、立卷、编目，盖归档章' });
    await api.act('chen-zhiqiang', id, { action: 'approve', comment: '目录审核无误' });
    const done = await completed('huang-li', id);
    expect(approvalsOf(done)).toEqual(['prepare:黄丽', 'review:陈志强']);
    expect(done.filedAt).toBeDefined();
  });

  // Last: it moves the clock.
  it('meeting-room booking (001 §二(二)): 1–3 days ahead, changed at least a day ahead; booked, set up, cleared up', async () => {
    const booking = { startTime: '14:30', endTime: '17:00', room: 'room-1', attendeeCount: 20, podiumCount: 3, level: 'ordinary', banner: '年终工作推进会', requirements: '座位牌、茶水' };
    const today = await api.post('sun-wei', '/api/cases', { type: 'room-booking', title: '当天订会议室', fields: { ...booking, meetingDate: '2026-12-10' } });
    expect(today.body.error).toMatchObject({ field: 'fields.meetingDate', message: expect.stringMatching(/^会议日期须至少提前 1 天/) });
    const tooEarly = await api.post('sun-wei', '/api/cases', { type: 'room-booking', title: '提前4天订会议室', fields: { ...booking, meetingDate: '2026-12-14' } });
    expect(tooEarly.body.error.message).toMatch(/^会议日期最多提前 3 天/);

    const c = await api.open('sun-wei', 'room-booking', '年终工作推进会用会议室', { ...booking, meetingDate: '2026-12-11' });
    // A change asked for in time: returned to the applicant, who moves it; confirmed in another room.
    await api.act('liu-fang', c.id, { action: 'return', toStep: 'applicant', comment: '一号会议室11日下午已占用，请调整' });
    await api.act('sun-wei', c.id, { action: 'resubmit', fields: { meetingDate: '2026-12-12', startTime: '09:00', endTime: '11:30' } });
    await api.act('liu-fang', c.id, { action: 'return', toStep: 'applicant', comment: '请确认会标内容' });
    // A change is made at least a day before the booked date: on the day itself it is refused.
    await clock.set(Date.parse(shanghai('2026-12-12', '08:00')));
    const version = (await api.get('sun-wei', `/api/cases/${c.id}`)).body.version;
    const late = await api.post('sun-wei', `/api/cases/${c.id}/actions`, { action: 'resubmit', version, fields: { meetingDate: '2026-12-13' } });
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ field: 'fields.meetingDate', message: expect.stringMatching(/^变更须在原定会议日期前至少 1 天办理/) });
    await api.act('sun-wei', c.id, { action: 'resubmit', comment: '会标内容无误' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { room: 'room-2', serviceNotes: '提前半小时开门，备茶水' } });
    await api.act('liu-fang', c.id, { action: 'approve', comment: '会场已布置' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { damage: '无', feedback: '服务周到' } });
    const done = await completed('sun-wei', c.id);
    expect(done.fields).toMatchObject({ meetingDate: '2026-12-12', room: 'room-2', damage: '无' });
    expect(approvalsOf(done)).toEqual(['confirm:刘芳', 'prepare:刘芳', 'after:刘芳']);
  });
});
