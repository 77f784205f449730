/** A working day in the office, through the API: who may start what, the form's preview, 常用意见, 催办, the directory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/clock.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };

describe('a working day in the office, through the API', () => {
  // Monday 23 November 2026, 09:00 in China.
  const clock = new ManualClock(Date.parse('2026-11-23T01:00:00Z'));
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);
  });
  afterAll(() => system?.stop());

  it('refuses a 科员 registering an incoming document (403, no case, no number drawn) and offers him only what he may start, by group', async () => {
    const before = await api.get('liu-fang', '/api/registers/incoming-document?year=2026');
    const refused = await api.post('xu-liang', '/api/cases', { type: 'incoming-document', title: '关于年终检查的通知', fields: {} });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect(refused.body.error.message).toMatch(/^您不能发起“收文”/);
    expect((await api.get('xu-liang', '/api/cases?mine=true')).body.items).toEqual([]);
    expect((await api.get('liu-fang', '/api/registers/incoming-document?year=2026')).body.rows).toEqual(before.body.rows);

    const all = await api.get('xu-liang', '/api/definitions');
    expect(all.body.items.find((d: any) => d.type === 'incoming-document')).toMatchObject({ canStart: false, group: 'documents', groupName: { zh: '公文', en: 'Documents' } });
    const mine = await api.get('xu-liang', '/api/definitions?startable=true');
    expect(mine.body.items.every((d: any) => d.canStart)).toBe(true);
    expect(mine.body.items.map((d: any) => d.type)).not.toContain('incoming-document');
    expect(mine.body.items.map((d: any) => d.type)).toContain('leave');
    // The clerk may.
    expect((await api.get('liu-fang', '/api/definitions?startable=true')).body.items.map((d: any) => d.type)).toContain('incoming-document');
  });

  it('previews a leave as it is filled in: the days worked out and only the steps it will take, with who signs; nothing is written', async () => {
    const preview = await api.post('xu-liang', '/api/definitions/leave/preview', { fields: { leaveType: 'personal', startDate: '2026-11-26', startHalf: 'pm', endDate: '2026-11-30' } });
    expect(preview.status).toBe(200);
    expect(preview.body.derived).toEqual({ days: 2.5 });
    const steps = Object.fromEntries(preview.body.steps.map((s: any) => [s.id, s]));
    expect(steps['section-head']).toMatchObject({ runs: true, assignees: [{ id: 'zhou-tao', name: '周涛' }] });
    expect(steps.deputy).toMatchObject({ runs: true, assignees: [{ id: 'li-minghua', name: '李明华' }] });
    expect(steps.head.runs).toBe(false);
    // Before the dates are chosen, the steps that depend on the days are not known yet.
    const early = await api.post('xu-liang', '/api/definitions/leave/preview', { fields: { leaveType: 'personal' } });
    expect(early.body.steps.find((s: any) => s.id === 'deputy').runs).toBeNull();
    expect((await api.post('xu-liang', '/api/definitions/incoming-document/preview', { fields: {} })).status).toBe(403);
    expect((await api.get('xu-liang', '/api/cases?mine=true')).body.items).toEqual([]);
    // Sent, the days are the ones worked out.
    const c = await api.open('xu-liang', 'leave', '请假两天半', { leaveType: 'personal', startDate: '2026-11-26', startHalf: 'pm', endDate: '2026-11-30', reason: '家中有事' });
    expect((await api.get('xu-liang', `/api/cases/${c.id}`)).body.fields.days).toBe(2.5);
    const wrong = await api.post('xu-liang', '/api/cases', { type: 'leave', title: '请假', fields: { leaveType: 'personal', startDate: '2026-11-26', endDate: '2026-11-30', days: 5, reason: '事' } });
    expect([wrong.status, wrong.body.error.field]).toEqual([400, 'fields.days']);
  });

  it('previews only what is well formed: crafted values are set aside (never a 5xx, never slow), a long body is refused first', async () => {
    const crafted = await api.post('xu-liang', '/api/definitions/outgoing-document/preview', { fields: { coDepartments: [{ toString: 1 }, 'finance'], title: 7 } });
    expect(crafted.status).toBe(200);
    const many = await api.post('xu-liang', '/api/definitions/outgoing-document/preview', { fields: { coDepartments: Array.from({ length: 2_000 }, (_, i) => `d${i}`) } });
    expect(many.status).toBe(200);
    const big = await api.post('xu-liang', '/api/definitions/outgoing-document/preview', { fields: { coDepartments: Array.from({ length: 6_000 }, (_, i) => `dept-${i}`) } });
    expect([big.status, big.body.error?.field]).toEqual([413, 'body']);
    // A leave over a year is refused as the form is filled, naming the end date.
    const year = await api.post('xu-liang', '/api/definitions/leave/preview', { fields: { leaveType: 'personal', startDate: '2026-12-01', endDate: '2027-12-31' } });
    expect(year.body.issues).toEqual([{ field: 'endDate', message: expect.stringMatching(/^日期跨度不能超过 366 天/) }]);
  });

  it('keeps each person’s 常用意见: the usual ones for their place until they keep their own', async () => {
    const leader = await api.get('wang-jianguo', '/api/me/opinions');
    expect(leader.body).toMatchObject({ own: false, items: expect.arrayContaining(['同意。', '拟同意，请××审定。']) });
    const kept = await api.call('zhou-tao', 'PUT', '/api/me/opinions', { items: ['同意。', '请徐亮阅处。', '同意。'] });
    expect(kept.body).toEqual({ items: ['同意。', '请徐亮阅处。'], own: true });
    expect((await api.get('zhou-tao', '/api/me/opinions')).body.items).toEqual(['同意。', '请徐亮阅处。']);
    const bad = await api.call('zhou-tao', 'PUT', '/api/me/opinions', { items: ['同意\u202e。'] });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'items.0']);
    expect((await api.get('zhou-tao', '/api/me/opinions')).body.items).toEqual(['同意。', '请徐亮阅处。']);
  });

  it('lets the office director chase overdue work from the board: one logged chase, emailed, counted on the board and in the month’s figures', async () => {
    const c = await api.open('ma-chao', 'leave', '请假（待催办）', { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', reason: '事' });
    await api.settled('ma-chao', c.id);
    await clock.set(Date.parse('2026-11-25T02:00:00Z'));
    const board = await api.get('chen-zhiqiang', '/api/overdue');
    const line = board.body.items.find((l: any) => l.caseId === c.id);
    expect(line).toMatchObject({ canChase: true, daysOverdue: 1 });
    expect((await api.get('ma-chao', '/api/overdue')).body.items.find((l: any) => l.caseId === c.id)?.canChase ?? false).toBe(false);
    const chased = await api.post('chen-zhiqiang', `/api/cases/${c.id}/actions`, { action: 'chase', version: line.version, comment: '请今日办结' });
    expect(chased.status, JSON.stringify(chased.body)).toBe(200);
    const after = (await api.get('chen-zhiqiang', '/api/overdue')).body.items.find((l: any) => l.caseId === c.id);
    expect(after).toMatchObject({ chases: line.chases + 1, lastChasedAt: expect.stringMatching(/^2026-/) });
    const told = (await api.get('sun-wei', '/api/notifications')).body.items.find((n: any) => n.caseId === c.id && n.kind === 'chase' && n.message.includes('请今日办结'));
    expect(told).toBeDefined();
    const stats = await api.get('chen-zhiqiang', '/api/stats?month=2026-11');
    expect(stats.body.people.find((p: any) => p.person === 'sun-wei').chased).toBeGreaterThanOrEqual(1);
    // The inbox says the same number of days as the board.
    const inbox = (await api.get('sun-wei', '/api/tasks')).body.items.find((t: any) => t.caseId === c.id);
    expect(inbox.daysOverdue).toBe(line.daysOverdue);
  });

  it('gives every person and department of the org chart the pinyin and initials of the name, for pickers', async () => {
    const org = await api.get('xu-liang', '/api/org');
    expect(org.body.people.find((p: any) => p.id === 'wang-jianguo')).toMatchObject({ pinyin: 'wangjianguo', initials: 'wjg' });
    expect(org.body.departments.find((d: any) => d.id === 'finance')).toMatchObject({ initials: 'jhcwk' });
  });

  it('tells the web form what it shows: who sent something to read and when, the unread count, the case a register line opens, due rules in one language each', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（传阅）', { leaveType: 'personal', startDate: '2026-12-01', endDate: '2026-12-01', reason: '事' });
    const at = await api.settled('xu-liang', c.id);
    await api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'circulate', version: at.body.version, people: ['huang-li'] });
    const toRead = (await api.get('huang-li', '/api/tasks')).body.items.find((t: any) => t.caseId === c.id);
    expect(toRead).toMatchObject({ kind: 'read', sentBy: { id: 'zhou-tao', name: '周涛' }, sentAt: expect.stringMatching(/^2026-/) });
    expect((await api.get('huang-li', `/api/cases/${c.id}`)).body.readers).toEqual([expect.objectContaining({ id: 'huang-li', addedByName: '周涛', addedAt: toRead.sentAt })]);
    const unread = await api.get('huang-li', '/api/notifications/unread-count');
    expect(unread.body).toEqual({ count: (await api.get('huang-li', '/api/notifications?unread=true&limit=100')).body.items.length, more: false });
    expect(unread.body.count).toBeGreaterThan(0);
    // Each notification says what happened as a code and in each language, apart.
    const told = (await api.get('huang-li', '/api/notifications?limit=100')).body.items.find((n: any) => n.caseId === c.id);
    expect(told).toMatchObject({ code: 'to-read', text: { zh: '传阅：请假（传阅）', en: 'Circulated to you: 请假（传阅）' } });
    const register = await api.get('chen-zhiqiang', '/api/registers/leave?year=2026');
    expect(register.body.rows.find((r: any) => r.title === '请假（传阅）').caseId).toBe(c.id);
    expect(register.body.columns.map((col: any) => col.key)).not.toContain('caseId');
    // 收文's 办复期限 rule reads in English without a code name or a Chinese label.
    const incoming = await api.open('liu-fang', 'incoming-document', '关于年底安全检查的通知', { fromOrg: '市安委办', docNumber: '示安〔2026〕9号', receivedOn: '2026-11-23', docCategory: 'superior', urgency: 'normal', confidentiality: 'internal', copies: 1, summary: '安全检查' });
    const due = (await api.settled('liu-fang', incoming.id)).body.due;
    expect(due.rule.en).not.toMatch(/[\u4e00-\u9fff]|receivedOn|\b1 working days\b/);
  });
});
