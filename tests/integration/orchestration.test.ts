import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '../../local/clock.ts';
import { DynamoNumbering } from '../../functions/adapters/dynamodb/numbering.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const HOUR = 3_600_000;

describe('orchestration on the local Step Functions endpoint, with the clock moved', () => {
  // Monday 2026-11-23 09:00 in Shanghai.
  const clock = new ManualClock(Date.parse('2026-11-23T01:00:00Z'));
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb }));
  });
  afterAll(() => system?.stop());

  const waitRecorded = async (id: string) =>
    expect
      .poll(async () => {
        const items = (await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk AND sk = :wait', ExpressionAttributeValues: { ':pk': `CASE#${id}`, ':wait': 'WAIT' }, ConsistentRead: true }))).Items;
        return items?.[0]?.stepKey;
      })
      .toBeDefined();

  it('reminds at the step’s deadline (one working day), not before, then escalates to the superior a working day later', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（超期提醒）', { leaveType: 'sick', startDate: '2026-11-24', endDate: '2026-11-25', days: 2, reason: '感冒' });
    await waitRecorded(c.id);
    // Due by 17:30 on Tuesday (one working day).
    await clock.set(Date.parse('2026-11-24T09:29:00Z'));
    const early = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(early.body.dueAt).toBe('2026-11-24T09:30:00.000Z');
    expect(early.body.trail.map((t: any) => t.action)).not.toContain('remind');
    await clock.set(Date.parse('2026-11-24T09:30:00Z'));
    const reminded = await api.until('xu-liang', c.id, (x) => x.trail.some((t: any) => t.action === 'remind'), 'a reminder');
    expect(reminded.dueAt).toBe('2026-11-24T09:30:00.000Z'); // the due time stays; the next chase is a working day later
    // The reminder is in 周涛's notifications, emailed, and the email is in the local outbox.
    const notes = await api.get('zhou-tao', '/api/notifications?unread=true');
    const reminder = notes.body.items.find((n: any) => n.caseId === c.id && n.kind === 'chase');
    expect(reminder).toMatchObject({ link: `/cases/${c.id}`, read: false });
    await expect.poll(async () => (await api.get('zhou-tao', '/api/notifications')).body.items.find((n: any) => n.id === reminder.id)?.email?.status).toBe('sent');
    // (The daily sweep may have emailed him a digest too, on the moved clock: look for the reminder.)
    const outbox = (await api.get('zhou-tao', '/local/outbox?to=zhou-tao@demo.bangong.cn')).body as { messages: { subject: string; text: string }[] };
    const reminderMail = outbox.messages.filter((m) => m.subject.includes('请假（超期提醒）'));
    expect(reminderMail).toEqual([expect.objectContaining({ text: expect.stringContaining('催办') })]);
    const read = await api.post('zhou-tao', '/api/notifications/read', { ids: [reminder.id] });
    expect(read.body.read).toBe(1);
    expect((await api.get('zhou-tao', '/api/notifications?unread=true')).body.items.map((n: any) => n.id)).not.toContain(reminder.id);
    expect((await api.post('zhou-tao', '/api/notifications/read', { ids: [] })).body.error.field).toBe('ids');
    await waitRecorded(c.id);
    await clock.set(Date.parse('2026-11-25T09:30:00Z'));
    const escalated = await api.until('xu-liang', c.id, (x) => x.trail.some((t: any) => t.action === 'escalate'), 'an escalation');
    expect(escalated.trail.find((t: any) => t.action === 'escalate').detail.to).toEqual(['李明华']);
    expect((await api.get('li-minghua', '/api/tasks')).body.items.map((t: any) => t.caseId)).toContain(c.id);
    // The section head can still decide; the execution moves on and is never reminded of a finished step.
    await api.act('zhou-tao', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    await api.until('xu-liang', c.id, (x) => x.status === 'completed', 'completed');
    await clock.advance(10 * 24 * HOUR);
    const done = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(done.body.trail.filter((t: any) => t.action === 'remind' || t.action === 'escalate')).toHaveLength(2);
  });

  it('the hourly safety net replaces an execution that ended while its case was open', async () => {
    const c = await api.open('ma-chao', 'leave', '请假（执行中断）', { leaveType: 'personal', startDate: '2026-11-23', endDate: '2026-11-24', days: 2, reason: '事' });
    await waitRecorded(c.id);
    const { StopExecutionCommand, SFNClient } = await import('@aws-sdk/client-sfn');
    const sfn = new SFNClient({ endpoint: system.urls.stepfunctions });
    await sfn.send(new StopExecutionCommand({ executionArn: `${system.stateMachines.CaseWorkflow!.replace(':stateMachine:', ':execution:')}:${c.id}`, error: 'Outage' }));
    // (The hourly schedule may already be running on the moved clock; either run restarts it once.)
    await system.scheduler.fire('RestartStalledCases');
    const item = await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `CASE#${c.id}`, ':sk': 'CASE' }, ConsistentRead: true }));
    expect(item.Items![0]!.data.execution).not.toBe(c.id);
    await api.act('sun-wei', c.id, { action: 'approve' });
    await api.act('zhang-xiuying', c.id, { action: 'approve' });
    // Only a live execution runs the automatic step that tells the office.
    const done = await api.until('ma-chao', c.id, (x) => x.status === 'completed', 'completed');
    expect(done.trail.map((t: any) => t.action)).toContain('notify');
  });

  it('the hourly safety net files a case closed by a decision after its execution had ended', async () => {
    const c = await api.open('hu-jun', 'petition', '来信（执行中断后不予受理）', { channel: 'letter', receivedOn: '2026-11-23', petitioner: '李某', summary: '噪音', handlingDepartment: 'admin-affairs' });
    // Registered after its same-day deadline (the clock has moved on): chased at once.
    await api.until('hu-jun', c.id, (x) => x.trail.some((t: any) => t.action === 'remind'), 'its first chase');
    await api.act('hu-jun', c.id, { action: 'approve' });
    await waitRecorded(c.id);
    const { StopExecutionCommand, SFNClient } = await import('@aws-sdk/client-sfn');
    const sfn = new SFNClient({ endpoint: system.urls.stepfunctions });
    await sfn.send(new StopExecutionCommand({ executionArn: `${system.stateMachines.CaseWorkflow!.replace(':stateMachine:', ':execution:')}:${c.id}`, error: 'Outage' }));
    // Not accepted: the case closes and is to be filed, but no execution is left to file it.
    await api.act('zhu-hong', c.id, { action: 'reject', comment: '不属于本机关职责，已书面告知' });
    const catalogue = async () => (await api.get('huang-li', '/api/registers/archive-catalogue?year=2026')).body.rows.map((r: any) => r.title);
    expect(await catalogue()).not.toContain('来信（执行中断后不予受理）');
    await system.scheduler.fire('RestartStalledCases');
    expect(await catalogue()).toContain('来信（执行中断后不予受理）');
  });

  it('1,000 concurrent number requests get 1,000 distinct consecutive numbers', async () => {
    const numbering = new DynamoNumbering(db, 'bangong', clock);
    const numbers = await Promise.all(Array.from({ length: 1000 }, () => numbering.allocate('浏后勤函', 2026)));
    const sequences = numbers.map((n) => n.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set(numbers.map((n) => n.number)).size).toBe(1000);
    expect(numbers.find((n) => n.sequence === 12)?.number).toBe('浏后勤函〔2026〕12号');
    // A number that will not be used is recorded as void, and never handed out again.
    await numbering.void(numbers[0]!, '文件撤销 Document withdrawn', 'liu-fang');
    const next = await numbering.allocate('浏后勤函', 2026);
    expect(next.sequence).toBe(1001);
    const voided = (await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'NUMBERS#浏后勤函#2026' } }))).Items!;
    expect(voided).toEqual([expect.objectContaining({ sequence: numbers[0]!.sequence, status: 'void', reason: '文件撤销 Document withdrawn', by: 'liu-fang' })]);
  });

  it('numbers outgoing documents consecutively under concurrency, one each', async () => {
    const fields = { docKind: '字', mainRecipients: '各科室', urgency: 'normal', confidentiality: 'public' };
    const cases = await Promise.all(Array.from({ length: 8 }, (_, i) => api.open('xu-liang', 'outgoing-document', `通知 ${i}`, fields)));
    for (const c of cases) await api.act('chen-zhiqiang', c.id, { action: 'approve' });
    await Promise.all(cases.map((c) => api.act('li-minghua', c.id, { action: 'approve' })));
    const numbered = await Promise.all(cases.map((c) => api.until('xu-liang', c.id, (x) => x.number !== undefined, 'numbered')));
    const sequences = numbered.map((x) => Number(/〕(\d+)号/.exec(x.number)![1])).sort((a, b) => a - b);
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const register = (await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'NUMBERS#示事管字#2026' } }))).Items!;
    expect(register.map((r) => [r.sequence, r.status])).toEqual(sequences.map((s) => [s, 'used']));
  });
});
