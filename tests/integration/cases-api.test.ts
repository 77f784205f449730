import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
/** Leave from Monday 2026-11-23 for `days` working days (within the week). */
/** A leave of `days` from Monday 23 November 2026 (a half day ends at noon); the days are what the calendar works out. */
const leave = (days: number) => ({
  leaveType: 'personal',
  startDate: '2026-11-23',
  endDate: `2026-11-${String(22 + Math.max(1, Math.ceil(days))).padStart(2, '0')}`,
  ...(days % 1 !== 0 ? { endHalf: 'am' } : {}),
  days,
  reason: '家中有事',
});
const outgoing = (coDepartments: string[], important = false) => ({ docKind: '发', mainRecipients: '各科室', coDepartments, important, urgency: 'normal', confidentiality: 'internal' });

describe('the cases API on the local system', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let db: DynamoDBDocumentClient;

  /** Everything stored under a case: the item, trail entries, inbox items. */
  const stored = async (id: string) =>
    (await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CASE#${id}` }, ConsistentRead: true }))).Items ?? [];
  const trailOf = async (id: string) => (await stored(id)).filter((i) => String(i.sk).startsWith('TRAIL#'));

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE });
    api = apiClient(system.urls.api);
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb }));
  });
  afterAll(() => system?.stop());

  describe('refusals write nothing', () => {
    it('no token: 401 from the authorizer, no case', async () => {
      const response = await api.post(undefined, '/api/cases', { type: 'leave', title: 'x', fields: leave(1) });
      expect(response.status).toBe(401);
      const mine = await api.get('xu-liang', '/api/cases?mine=true');
      expect(mine.body.items.filter((c: any) => c.title === 'x')).toEqual([]);
    });

    it('an invalid body: 400 naming the field, in Chinese and English, and no case', async () => {
      const bad = await api.post('xu-liang', '/api/cases', { type: 'leave', title: '无效请假', fields: { ...leave(1), days: -1 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'validation', field: 'fields.days' });
      expect(bad.body.error.message).toMatch(/天数/);
      const missing = await api.post('xu-liang', '/api/cases', { type: 'leave', fields: leave(1) });
      expect(missing.body.error.field).toBe('title');
      const notJson = await api.post('xu-liang', '/api/cases', '{not json');
      expect(notJson.body.error.field).toBe('body');
      const unknownType = await api.post('xu-liang', '/api/cases', { type: 'no-such', title: 't', fields: {} });
      expect(unknownType.status).toBe(400);
      expect(unknownType.body.error.field).toBe('type');
      const mine = await api.get('xu-liang', '/api/cases?mine=true');
      expect(mine.body.items.filter((c: any) => c.title === '无效请假')).toEqual([]);
    });

    it('a non-assignee acting: 403, a stranger: 404; a stale version: 409; a bad action: 400 — the case and trail unchanged', async () => {
      const c = await api.open('xu-liang', 'leave', '请假（拒绝测试）', leave(2));
      // Once the execution has recorded what it waits on, nothing else is written unless someone acts.
      await expect.poll(async () => (await stored(c.id)).some((i) => i.sk === 'WAIT')).toBe(true);
      const before = await stored(c.id);
      const leader = await api.post('li-minghua', `/api/cases/${c.id}/actions`, { action: 'approve', version: 1 });
      expect(leader.status).toBe(403);
      expect(leader.body.error.code).toBe('forbidden');
      const stranger = await api.post('ma-chao', `/api/cases/${c.id}/actions`, { action: 'approve', version: 1 });
      expect(stranger.status).toBe(404);
      const stale = await api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'approve', version: 7 });
      expect(stale.status).toBe(409);
      const noReason = await api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'reject', version: 1 });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.field).toBe('comment');
      const unknown = await api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'approve-all', version: 1 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.field).toBe('action');
      expect(await stored(c.id)).toEqual(before);
    });
  });

  it('GET /api/cases/{id} shows the trail and exactly the caller’s actions; GET /api/tasks the inbox, soonest first', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（查看测试）', leave(2));
    const asApplicant = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(asApplicant.body.actions).toEqual(['withdraw', 'comment']);
    expect(asApplicant.body.trail.map((t: any) => t.action)).toEqual(['submit', 'enter']);
    const asHead = await api.get('zhou-tao', `/api/cases/${c.id}`);
    expect(asHead.body.actions).toEqual(expect.arrayContaining(['approve', 'reject', 'return', 'transfer', 'add-signer']));
    expect((await api.get('ma-chao', `/api/cases/${c.id}`)).status).toBe(404);
    const inbox = await api.get('zhou-tao', '/api/tasks');
    expect(inbox.body.items.map((t: any) => t.caseId)).toContain(c.id);
    const due = inbox.body.items.map((t: any) => t.dueAt ?? '9999');
    expect([...due].sort()).toEqual(due);
  });

  it('leave (002 第二篇 §9): 5 days walks section head → deputy → head, then the office is told; the applicant is told too', async () => {
    const c = await api.open('ma-chao', 'leave', '马超年休假5天', { ...leave(5), leaveType: 'annual' });
    expect(c.currentStep).toBe('section-head');
    await api.act('sun-wei', c.id, { action: 'approve', comment: '同意' });
    await api.act('zhang-xiuying', c.id, { action: 'approve', comment: '同意' });
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '同意，注意交接' });
    const done = await api.until('ma-chao', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.trail.map((t: any) => `${t.actorName}:${t.action}`)).toEqual([
      '马超:submit',
      '系统 System:enter',
      '孙伟:approve',
      '系统 System:enter',
      '张秀英:approve',
      '系统 System:enter',
      '王建国:approve',
      '系统 System:notify',
      '系统 System:complete',
    ]);
    expect((await api.get('wang-jianguo', '/api/tasks')).body.items.map((t: any) => t.caseId)).not.toContain(c.id);
  });

  it('seal use (003 §6): the office director signs for an absent deputy after an admin adds the stand-in; the trail keeps both names', async () => {
    const org = await api.get('chen-zhiqiang', '/api/org');
    const standIns = [{ principalId: 'li-minghua', standInId: 'chen-zhiqiang', from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00', reason: '出差' }];
    const { version, updatedAt, updatedBy, ...input } = org.body;
    const notAdmin = await api.call('xu-liang', 'PUT', '/api/org', { version, org: { ...input, standIns } });
    expect(notAdmin.status).toBe(403);
    const badOrg = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version, org: { ...input, standIns: [{ ...standIns[0], standInId: 'nobody' }] } });
    expect(badOrg.status).toBe(400);
    expect(badOrg.body.error.field).toBe('org.standIns.0.standInId');
    const saved = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version, org: { ...input, standIns } });
    expect(saved.status).toBe(200);
    const stale = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version, org: { ...input, standIns } });
    expect(stale.status).toBe(409);
    // An admin cannot save a chart that leaves them out as an admin: nobody could mend it then.
    const withoutMe = input.people.map((p: any) => (p.id === 'chen-zhiqiang' ? { ...p, active: false } : p));
    const lockout = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: saved.body.version, org: { ...input, standIns, people: withoutMe } });
    expect([lockout.status, lockout.body.error.code]).toEqual([422, 'would-lock-out']);
    // Someone made inactive (they left the bureau) gets in nowhere, though their sign-in still holds.
    expect((await api.get('wu-min', '/api/me')).status).toBe(200);
    const leaver = input.people.map((p: any) => (p.id === 'wu-min' ? { ...p, active: false } : p));
    const withLeaver = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: saved.body.version, org: { ...input, standIns, people: leaver } });
    expect(withLeaver.status).toBe(200);
    for (const path of ['/api/me', '/api/tasks', '/api/definitions']) {
      const refused = await api.get('wu-min', path);
      expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, 'forbidden']);
    }

    const c = await api.open('xu-liang', 'seal-use', '年度预算报告用印', { sealType: 'official', documentTitle: '关于2027年度预算的报告', copies: 3, recipient: '市财政局', purpose: '报送预算' });
    await api.act('zhou-tao', c.id, { action: 'approve' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '代李明华签' });
    await api.act('zhao-lei', c.id, { action: 'approve', comment: '已核对，盖章3份', fields: { stampCount: 3 } });
    const done = await api.until('xu-liang', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.trail.find((t: any) => t.actorName === '陈志强' && t.action === 'approve')).toMatchObject({ onBehalfOfName: '李明华' });
    // Put the org back the way it was for the other tests.
    await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: withLeaver.body.version, org: input });
  });

  it('expense (003 §20): finance returns an incomplete claim to the claimant, who resubmits; it is then paid', async () => {
    const c = await api.open('ma-chao', 'expense', '差旅费报销', { category: 'travel', amount: 1860.5, invoices: 3, payee: '马超', description: '赴省城参加培训' });
    await api.act('sun-wei', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'return', toStep: 'applicant', comment: '缺住宿发票' });
    const returned = await api.get('ma-chao', `/api/cases/${c.id}`);
    expect(returned.body.currentStep).toBe('applicant');
    expect(returned.body.actions).toContain('resubmit');
    await api.act('ma-chao', c.id, { action: 'resubmit', fields: { invoices: 4 }, comment: '已补充发票' });
    await api.act('sun-wei', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'approve' });
    await api.act('zhang-xiuying', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'approve', comment: '已付款', fields: { paymentMethod: 'transfer' } });
    const done = await api.until('ma-chao', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.fields.invoices).toBe(4);
  });

  it('outgoing document (001 §一(一)1): countersign, return inside it, add-signer then return, sign-off, numbering, proof, print, seal, dispatch, filing', async () => {
    const c = await api.open('xu-liang', 'outgoing-document', '关于开展年终安全检查的通知', outgoing(['admin-affairs', 'petitions']));
    expect(c.currentStep).toBe('countersign');
    await api.act('sun-wei', c.id, { action: 'approve', comment: '无意见' });
    await api.act('zhu-hong', c.id, { action: 'return', comment: '请补充信访接待安排' });
    await api.act('xu-liang', c.id, { action: 'resubmit' });
    await api.act('zhu-hong', c.id, { action: 'approve' });
    await api.act('sun-wei', c.id, { action: 'approve' });
    await api.act('chen-zhiqiang', c.id, { action: 'add-signer', people: ['yang-jing'], position: 'before', comment: '请机要员核密级' });
    // The added signer returns it: back to the previous step (the countersign), which is signed again.
    await api.act('yang-jing', c.id, { action: 'return', comment: '密级应为内部' });
    expect((await api.get('xu-liang', `/api/cases/${c.id}`)).body.currentStep).toBe('countersign');
    await api.act('zhu-hong', c.id, { action: 'approve' });
    await api.act('sun-wei', c.id, { action: 'approve' });
    const review = await api.get('chen-zhiqiang', `/api/cases/${c.id}`);
    expect(review.body.assignees.map((a: any) => a.id)).toEqual(['chen-zhiqiang']);
    await api.act('chen-zhiqiang', c.id, { action: 'circulate', people: ['huang-li'], comment: '请档案员阅知' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve', comment: '签发' });
    const numbered = await api.until('xu-liang', c.id, (x) => x.currentStep === 'proof', 'numbered');
    expect(numbered.number).toMatch(/^示事管发〔\d{4}〕\d+号$/);
    await api.act('xu-liang', c.id, { action: 'approve' });
    await api.act('liu-fang', c.id, { action: 'transfer', to: 'yang-jing', comment: '请杨静复核' });
    await api.act('yang-jing', c.id, { action: 'approve' });
    await api.act('xu-liang', c.id, { action: 'approve', fields: { printedCopies: 30 } });
    await api.act('zhao-lei', c.id, { action: 'approve', fields: { stampCount: 30 } });
    await api.act('liu-fang', c.id, { action: 'delegate', to: 'zhao-lei' });
    await api.act('zhao-lei', c.id, { action: 'approve', comment: '已封发', fields: { dispatchMethod: 'paper' } });
    const done = await api.until('xu-liang', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.filedAt).toBeDefined();
    expect(done.trail.map((t: any) => t.action)).toEqual(expect.arrayContaining(['return', 'resubmit', 'add-signer-before', 'circulate', 'number', 'transfer', 'delegate', 'file', 'complete']));
    await api.act('huang-li', c.id, { action: 'comment', comment: '已阅' });
    const read = await api.post('huang-li', `/api/cases/${c.id}/actions`, { action: 'mark-read', version: done.version + 1 });
    expect(read.status).toBe(409); // closed cases take comments only
  });

  it('a page cursor that is not one of ours is a 400 naming the cursor, not a 500', async () => {
    const garbage = await api.get('xu-liang', '/api/cases?cursor=not-a-cursor');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.field).toBe('cursor');
    const foreign = Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'TASK#y', gsi1pk: 'TASKS#zhou-tao', gsi1sk: '9' })).toString('base64url');
    const someoneElses = await api.get('xu-liang', `/api/tasks?cursor=${foreign}`);
    expect(someoneElses.status).toBe(400);
    expect(someoneElses.body.error.field).toBe('cursor');
  });

  it('an admin edits the working calendar; due dates skip the new closure and explain why', async () => {
    const before = await api.get('xu-liang', '/api/calendar?from=2026-09-28&to=2026-10-10');
    expect(before.status).toBe(200);
    expect(before.body.days.find((d: any) => d.date === '2026-10-01')).toMatchObject({ work: false, reason: expect.stringContaining('国庆节') });
    expect(before.body.days.find((d: any) => d.date === '2026-10-10')).toMatchObject({ work: true });
    const badRange = await api.get('xu-liang', '/api/calendar?from=2026-10-10&to=2026-10-01');
    expect(badRange.body.error.field).toBe('to');

    // A closure on every working day of the coming fortnight, so a new case's due date must jump it.
    const today = new Date();
    const closures = Array.from({ length: 14 }, (_, i) => new Date(today.getTime() + (i + 1) * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)).map((date) => ({ date, work: false, reason: '办公楼停电检修' }));
    const notAdmin = await api.call('xu-liang', 'PUT', '/api/calendar', { version: before.body.version, overrides: closures });
    expect(notAdmin.status).toBe(403);
    const invalid = await api.call('chen-zhiqiang', 'PUT', '/api/calendar', { version: before.body.version, overrides: [{ date: '2026-13-01', work: false, reason: 'x' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe('overrides.0.date');
    const saved = await api.call('chen-zhiqiang', 'PUT', '/api/calendar', { version: before.body.version, overrides: closures });
    expect(saved.status).toBe(200);
    expect((await api.call('chen-zhiqiang', 'PUT', '/api/calendar', { version: before.body.version, overrides: [] })).status).toBe(409);

    const c = await api.open('xu-liang', 'leave', '请假（日历）', leave(1));
    const view = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(view.body.due.rule.zh).toBe('1 个工作日');
    expect(view.body.due.skipped.length).toBeGreaterThanOrEqual(10);
    expect(view.body.due.skipped[0].reason).toMatch(/停电检修|周/);
    expect(Date.parse(view.body.dueAt)).toBeGreaterThan(Date.now() + 14 * 86_400_000);
    expect(view.body.trail.find((t: any) => t.action === 'enter').detail.due.rule.zh).toBe('1 个工作日');
    await api.call('chen-zhiqiang', 'PUT', '/api/calendar', { version: saved.body.version, overrides: [] });
  });

  it('an org edit never rewrites past trail entries', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（改名）', leave(0.5));
    await api.act('zhou-tao', c.id, { action: 'approve', comment: '同意' });
    const org = (await api.get('chen-zhiqiang', '/api/org')).body;
    const { version, updatedAt, updatedBy, ...input } = org;
    const renamed = { ...input, people: input.people.map((p: any) => (p.id === 'zhou-tao' ? { ...p, name: '周涛（已调离）' } : p)) };
    const saved = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version, org: renamed });
    expect(saved.status).toBe(200);
    const after = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(after.body.trail.find((t: any) => t.action === 'approve').actorName).toBe('周涛');
    await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: saved.body.version, org: input });
  });

  it('seal use: copy to a reader who marks it read, add a signer after, comment, and an extension refused where the step has none', async () => {
    const c = await api.open('ma-chao', 'seal-use', '合同用印', { sealType: 'contract', documentTitle: '物业服务合同', copies: 2, recipient: '物业公司', purpose: '签订合同' });
    await api.act('sun-wei', c.id, { action: 'copy', people: ['wu-min'], comment: '请财务知悉' });
    const asReader = await api.get('wu-min', `/api/cases/${c.id}`);
    expect(asReader.body.actions).toEqual(['mark-read', 'comment']);
    expect((await api.get('wu-min', '/api/tasks')).body.items.find((t: any) => t.caseId === c.id)).toMatchObject({ kind: 'read' });
    await api.act('wu-min', c.id, { action: 'mark-read' });
    expect((await api.get('wu-min', '/api/tasks')).body.items.map((t: any) => t.caseId)).not.toContain(c.id);
    await api.act('sun-wei', c.id, { action: 'add-signer', people: ['zhu-hong'], position: 'after', comment: '请朱红科长复核' });
    await api.act('sun-wei', c.id, { action: 'approve' });
    const afterAdder = await api.get('ma-chao', `/api/cases/${c.id}`);
    expect(afterAdder.body.currentStep).toBe('section-head');
    expect(afterAdder.body.assignees.map((a: any) => a.id)).toEqual(['zhu-hong']);
    await api.act('zhu-hong', c.id, { action: 'approve' });
    await api.act('ma-chao', c.id, { action: 'comment', comment: '合同已附后' });
    const noExtension = await api.post('zhang-xiuying', `/api/cases/${c.id}/actions`, { action: 'extend', version: (await api.get('ma-chao', `/api/cases/${c.id}`)).body.version, comment: '需要更多时间' });
    expect(noExtension.status).toBe(403);
    await api.act('zhang-xiuying', c.id, { action: 'approve' });
    await api.act('zhao-lei', c.id, { action: 'approve', fields: { stampCount: 2 } });
    const done = await api.until('ma-chao', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.trail.map((t: any) => t.action)).toEqual(expect.arrayContaining(['copy', 'read', 'add-signer-after', 'comment']));
  });

  it('a secret document: 404 to a leader not involved, absent from his lists; the confidential clerk sees it', async () => {
    const c = await api.open('xu-liang', 'outgoing-document', '关于某专项工作的请示（秘密）', { ...outgoing([]), confidentiality: 'secret' });
    expect((await api.get('wang-jianguo', `/api/cases/${c.id}`)).status).toBe(404);
    expect((await api.get('wang-jianguo', '/api/cases?type=outgoing-document&limit=100')).body.items.map((x: any) => x.id)).not.toContain(c.id);
    expect((await api.get('yang-jing', `/api/cases/${c.id}`)).status).toBe(200);
    expect((await api.get('chen-zhiqiang', `/api/cases/${c.id}`)).status).toBe(200);
  });

  it('an admin restarts every open case’s execution (after a state machine fix); open cases still complete', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（重启执行）', leave(2));
    expect((await api.post('xu-liang', '/api/admin/restart-executions')).status).toBe(403);
    const restarted = await api.post('chen-zhiqiang', '/api/admin/restart-executions');
    expect(restarted.status).toBe(200);
    expect(restarted.body.restarted).toBeGreaterThanOrEqual(1);
    await api.act('zhou-tao', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    const done = await api.until('xu-liang', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.trail.filter((t: any) => t.action === 'notify')).toHaveLength(1);
  });

  it('reject and withdraw close the case and clear the inbox', async () => {
    const rejected = await api.open('xu-liang', 'leave', '请假（驳回）', leave(1));
    await api.act('zhou-tao', rejected.id, { action: 'reject', comment: '年底任务重' });
    expect((await api.get('xu-liang', `/api/cases/${rejected.id}`)).body.status).toBe('rejected');
    const withdrawn = await api.open('xu-liang', 'leave', '请假（撤回）', leave(1));
    await api.act('xu-liang', withdrawn.id, { action: 'withdraw' });
    expect((await api.get('xu-liang', `/api/cases/${withdrawn.id}`)).body.status).toBe('withdrawn');
    const inbox = (await api.get('zhou-tao', '/api/tasks')).body.items.map((t: any) => t.caseId);
    expect(inbox).not.toContain(rejected.id);
    expect(inbox).not.toContain(withdrawn.id);
  });

  it('50 concurrent approvals of one task: exactly one succeeds, 49 get 409, one trail entry', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（并发）', leave(2));
    await api.login('zhou-tao');
    const responses = await Promise.all(Array.from({ length: 50 }, () => api.post('zhou-tao', `/api/cases/${c.id}/actions`, { action: 'approve', version: 1 })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(49);
    const approvals = (await trailOf(c.id)).filter((t) => t.entry.action === 'approve');
    expect(approvals).toHaveLength(1);
  });

  it('Idempotency-Key: a retry returns the first response and changes nothing; the key with another body is refused', async () => {
    const headers = { 'idempotency-key': 'create-leave-0001' };
    const body = { type: 'leave', title: '请假（幂等）', fields: leave(1) };
    const first = await api.post('xu-liang', '/api/cases', body, headers);
    const retries = await Promise.all([1, 2, 3].map(() => api.post('xu-liang', '/api/cases', body, headers)));
    expect(first.status).toBe(201);
    for (const retry of retries) expect(retry).toEqual(first);
    const mine = await api.get('xu-liang', '/api/cases?mine=true&limit=100');
    expect(mine.body.items.filter((c: any) => c.title === '请假（幂等）')).toHaveLength(1);
    const other = await api.post('xu-liang', '/api/cases', { ...body, title: '另一件' }, headers);
    expect(other.status).toBe(422);

    const act = { action: 'approve', version: 1, comment: '同意' };
    const approveHeaders = { 'idempotency-key': 'approve-0001-abcd' };
    const approved = await Promise.all([1, 2, 3].map(() => api.post('zhou-tao', `/api/cases/${first.body.id}/actions`, act, approveHeaders)));
    expect(approved.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(approved.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await trailOf(first.body.id)).filter((t) => t.entry.action === 'approve'), JSON.stringify(await trailOf(first.body.id))).toHaveLength(1);
  });
});
