/**
 * 办文: each document process walked to completion through the API by the demo people, following
 * its seed (the seed file and section are in each title). The clock stands at Monday 23 November
 * 2026, 09:00 in Shanghai, so due times are exact; the last test moves it to see the chase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '../../local/clock.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { incomingDocument, outgoingDocument } from '../support/case-fields.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
/** An instant in Shanghai as the API writes it. */
const shanghai = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

const incoming = incomingDocument;

describe('document processes walked through the API (办文)', () => {
  const clock = new ManualClock(Date.parse(shanghai('2026-11-23', '09:00')));
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let db: DynamoDBDocumentClient;
  const stored = async (id: string) =>
    (await db.send(new QueryCommand({ TableName: 'bangong', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CASE#${id}` }, ConsistentRead: true }))).Items ?? [];
  const waitRecorded = (id: string) => expect.poll(async () => (await stored(id)).some((i) => i.sk === 'WAIT')).toBe(true);
  const completed = (user: string, id: string) => api.until(user, id, (x) => x.status === 'completed', 'completed');
  const approvalsOf = (c: any) => c.trail.filter((t: any) => t.action === 'approve').map((t: any) => `${t.stepId}:${t.actorName}`);

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: system.urls.dynamodb }));
  });
  afterAll(() => system?.stop());

  it('step inputs in the API: the definition and the case name them; a bad one is 400 naming the field, and nothing is written', async () => {
    const definition = await api.get('liu-fang', '/api/definitions/incoming-document');
    const propose = definition.body.steps.find((s: any) => s.id === 'propose');
    expect(propose.inputs.map((f: any) => f.key)).toEqual(['handlingDepartments', 'leadDepartment', 'dueDate', 'proposal', 'toHead']);
    expect(propose.inputsSchema.required).toEqual(['handlingDepartments', 'dueDate', 'proposal']);
    expect(definition.body.register.columns).toContain('handlingResult');

    const c = await api.open('liu-fang', 'incoming-document', '关于报送年度工作总结的通知（校验）', incoming());
    await api.act('liu-fang', c.id, { action: 'approve' });
    const atPropose = await api.settled('chen-zhiqiang', c.id);
    expect(atPropose.body.currentStep).toBe('propose');
    expect(atPropose.body.currentStepInputs.map((f: any) => f.label.zh)).toEqual(['承办科室', '牵头科室', '办复期限', '拟办意见', '呈局长批示']);
    await waitRecorded(c.id);
    const before = await stored(c.id);
    const act = (fields: unknown) => api.post('chen-zhiqiang', `/api/cases/${c.id}/actions`, { action: 'approve', version: atPropose.body.version, fields });
    const missing = await act({ proposal: '拟请计划财务科办理' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation', field: 'fields.handlingDepartments', message: expect.stringMatching(/^请选择承办科室。/) });
    const noLead = await act({ handlingDepartments: ['finance', 'admin-affairs'], dueDate: '2026-11-27', proposal: '联合办理' });
    expect(noLead.body.error).toMatchObject({ field: 'fields.leadDepartment', message: expect.stringMatching(/^承办科室有多个时，请指定牵头科室/) });
    const badDate = await act({ handlingDepartments: ['finance'], dueDate: '27/11/2026', proposal: '拟请计划财务科办理' });
    expect(badDate.body.error.field).toBe('fields.dueDate');
    const notAnObject = await act(['finance']);
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.error.field).toBe('fields');
    expect(await stored(c.id)).toEqual(before);
  });

  it('outgoing document (001 §一(一)1; 002 第一篇 办公室 ⑶②; 003 §4): draft, countersign, review, sign-off, number, proof, proof check, print, seal, dispatch, file', async () => {
    const c = await api.open('xu-liang', 'outgoing-document', '关于2027年度部门预算编制工作的通知', outgoingDocument());
    expect(c).toMatchObject({ definitionVersion: 3, currentStep: 'countersign' });
    await api.act('sun-wei', c.id, { action: 'approve', comment: '会稿无意见' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '核稿' });
    await api.act('li-minghua', c.id, { action: 'approve', comment: '签发' });
    const numbered = await api.until('xu-liang', c.id, (x) => x.currentStep === 'proof', 'numbered');
    expect(numbered.number).toMatch(/^示事管发〔2026〕\d+号$/);
    await api.act('xu-liang', c.id, { action: 'approve', comment: '校对无误' });
    await api.act('liu-fang', c.id, { action: 'approve', comment: '复核样稿' });
    const atPrint = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(atPrint.body.currentStepInputs.map((f: any) => f.key)).toEqual(['printedCopies']);
    await api.act('xu-liang', c.id, { action: 'approve', fields: { printedCopies: 20 } });
    const atSeal = await api.get('zhao-lei', `/api/cases/${c.id}`);
    // 办发文用印一般在1-2个工作日内盖章 (003 §6).
    expect(atSeal.body).toMatchObject({ currentStep: 'seal', dueAt: shanghai('2026-11-25', '17:30') });
    await api.act('zhao-lei', c.id, { action: 'approve', fields: { stampCount: 20 } });
    await api.act('liu-fang', c.id, { action: 'approve', comment: '已封发', fields: { dispatchMethod: 'paper' } });
    const done = await completed('xu-liang', c.id);
    expect(done.filedAt).toBeDefined();
    expect(done.fields).toMatchObject({ printedCopies: 20, stampCount: 20, dispatchMethod: 'paper' });
    expect(approvalsOf(done)).toEqual(['countersign:孙伟', 'review:陈志强', 'sign-off-deputy:李明华', 'proof:徐亮', 'proof-check:刘芳', 'print:徐亮', 'seal:赵磊', 'dispatch:刘芳']);
  });

  it('a request to the leadership (请示件, 002 第一篇 办公室 ⑶①): drafter → section head → office director → head, then numbered, printed, sealed, filed', async () => {
    const c = await api.open('ma-chao', 'outgoing-document', '关于增配公务用车的请示', {
      docClass: 'request',
      docKind: '字',
      mainRecipients: '局领导',
      urgency: 'normal',
      confidentiality: 'internal',
    });
    expect(c.currentStep).toBe('section-head');
    await api.act('sun-wei', c.id, { action: 'approve', comment: '同意报送' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '核稿' });
    const atHead = await api.settled('wang-jianguo', c.id);
    expect(atHead.body.currentStep).toBe('sign-off-head');
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '同意' });
    const numbered = await api.until('ma-chao', c.id, (x) => x.currentStep === 'proof', 'numbered');
    expect(numbered.number).toMatch(/^示事管字〔2026〕\d+号$/);
    await api.act('ma-chao', c.id, { action: 'approve' });
    await api.act('liu-fang', c.id, { action: 'approve' });
    await api.act('ma-chao', c.id, { action: 'approve', fields: { printedCopies: 3 } });
    await api.act('zhao-lei', c.id, { action: 'approve', fields: { stampCount: 3 } });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { dispatchMethod: 'electronic' } });
    const done = await completed('ma-chao', c.id);
    expect(approvalsOf(done)).toEqual(['section-head:孙伟', 'review:陈志强', 'sign-off-head:王建国', 'proof:马超', 'proof-check:刘芳', 'print:马超', 'seal:赵磊', 'dispatch:刘芳']);
    expect(done.trail.filter((t: any) => t.action === 'skip').map((t: any) => t.stepId)).toEqual(['countersign', 'sign-off-deputy']);
  });

  it('seal use (003 §6; 001 §(三)3): section head → deputy in charge → the seal keeper stamps on the spot and records the count for the register', async () => {
    const c = await api.open('xu-liang', 'seal-use', '采购合同用印', { sealType: 'contract', documentTitle: '办公设备采购合同', copies: 4, recipient: '供应商', purpose: '签订合同' });
    expect(c).toMatchObject({ definitionVersion: 2, currentStep: 'section-head' });
    await api.act('zhou-tao', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    const atStamp = await api.get('zhao-lei', `/api/cases/${c.id}`);
    expect(atStamp.body).toMatchObject({ currentStep: 'stamp', dueAt: shanghai('2026-11-23', '17:30') });
    const noCount = await api.post('zhao-lei', `/api/cases/${c.id}/actions`, { action: 'approve', version: atStamp.body.version });
    expect(noCount.body.error.field).toBe('fields.stampCount');
    await api.act('zhao-lei', c.id, { action: 'approve', comment: '核对无误', fields: { stampCount: 4 } });
    const done = await completed('xu-liang', c.id);
    expect(done.trail.find((t: any) => t.stepId === 'stamp' && t.action === 'approve')).toMatchObject({ actorName: '赵磊', detail: { fields: { stampCount: 4 } } });
  });

  it('seal life cycle (004 第二章 印章刻制、印章管理): carve and register with number, name and in-use date; inspect; retire', async () => {
    const carving = await api.open('zhou-tao', 'seal-carving', '刻制财务专用章', { sealName: '示范市机关事务管理局财务专用章', sealType: 'finance', reason: '原印章磨损严重' });
    await api.act('chen-zhiqiang', carving.id, { action: 'approve', comment: '符合规定' });
    await api.act('wang-jianguo', carving.id, { action: 'approve', comment: '同意刻制' });
    await api.act('zhao-lei', carving.id, { action: 'approve', fields: { appliedOn: '2026-11-23' } });
    await api.act('zhao-lei', carving.id, { action: 'approve', fields: { sealNumber: 'CW-2026-01', inUseOn: '2026-12-01', custodian: 'wu-min' } });
    const carved = await completed('zhou-tao', carving.id);
    expect(carved.fields).toMatchObject({ sealNumber: 'CW-2026-01', sealName: '示范市机关事务管理局财务专用章', inUseOn: '2026-12-01', custodian: 'wu-min' });
    expect(carved.filedAt).toBeDefined();

    const inspection = await api.open('zhao-lei', 'seal-inspection', '2026年第四季度印章检查', { period: '2026年第四季度', scope: '单位公章、党组织印章、合同专用章、财务专用章' });
    await api.act('zhao-lei', inspection.id, { action: 'approve', fields: { sealsChecked: 4, damaged: true, irregularUse: false, findings: '财务专用章磨损，已申请重新刻制；用印登记齐全' } });
    await api.act('chen-zhiqiang', inspection.id, { action: 'approve' });
    expect((await completed('zhao-lei', inspection.id)).fields).toMatchObject({ sealsChecked: 4, damaged: true });

    const retirement = await api.open('zhou-tao', 'seal-retirement', '停用旧财务专用章', { sealNumber: 'CW-2019-01', sealName: '示范市机关事务管理局财务专用章（旧）', reason: '新章已启用' });
    await api.act('chen-zhiqiang', retirement.id, { action: 'approve' });
    await api.act('wang-jianguo', retirement.id, { action: 'approve' });
    await api.act('zhao-lei', retirement.id, { action: 'approve', fields: { retiredOn: '2026-12-01', disposal: 'returned' } });
    expect((await completed('zhou-tao', retirement.id)).fields).toMatchObject({ retiredOn: '2026-12-01', disposal: 'returned' });
  });

  it('duty log (003 §22 日常值班): recorded → the office proposes → a leader instructs → handed on → handled → closed', async () => {
    const c = await api.open('liu-fang', 'duty-log', '市政府办公室来电：通知参加安全生产会议', {
      dutyKind: 'daily',
      dutyDate: '2026-11-23',
      channel: 'meeting-notice',
      source: '市政府办公室 王科长',
      content: '11月25日上午9时在市政府3楼会议室召开安全生产工作会议，请分管领导参加',
    });
    expect(c.currentStep).toBe('propose');
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { handlingDepartments: ['admin-affairs'], dueDate: '2026-11-24', proposal: '拟请行政事务科准备会议材料，呈张局长参会' } });
    await api.act('zhang-xiuying', c.id, { action: 'approve', fields: { instruction: '同意，我参加' } });
    const atHandle = await api.settled('sun-wei', c.id);
    expect(atHandle.body).toMatchObject({ currentStep: 'handle', dueAt: shanghai('2026-11-24', '17:30') });
    await api.act('sun-wei', c.id, { action: 'approve', fields: { handlingResult: '会议材料已备齐，已报张局长' } });
    await api.act('liu-fang', c.id, { action: 'approve' });
    const done = await completed('liu-fang', c.id);
    expect(approvalsOf(done)).toEqual(['propose:陈志强', 'instruct:张秀英', 'handle:孙伟', 'close:刘芳']);
  });

  it('night and holiday duty (003 §23): an urgent report goes to a leader first, then the office proposes; handled and closed', async () => {
    const c = await api.open('ma-chao', 'duty-log', '夜间来电：办公楼水管爆裂', {
      dutyKind: 'night',
      dutyDate: '2026-11-23',
      channel: 'phone',
      source: '物业值班室',
      content: '办公楼二层水管爆裂，已关闭总阀',
      urgent: true,
    });
    expect(c.currentStep).toBe('instruct-first');
    const first = await api.get('wang-jianguo', `/api/cases/${c.id}`);
    expect(first.body.due.rule.zh).toBe('1 个工作小时');
    await api.act('wang-jianguo', c.id, { action: 'approve', fields: { instruction: '请行政事务科立即组织抢修' } });
    const atPropose = await api.settled('chen-zhiqiang', c.id);
    expect(atPropose.body.due.rule.zh).toBe('当日办结');
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { handlingDepartments: ['admin-affairs'], dueDate: '2026-11-23', proposal: '按王局长批示，行政事务科当日修复' } });
    await api.act('sun-wei', c.id, { action: 'approve', fields: { handlingResult: '已更换水管，恢复供水' } });
    await api.act('ma-chao', c.id, { action: 'approve' });
    const done = await completed('ma-chao', c.id);
    expect(approvalsOf(done)).toEqual(['instruct-first:王建国', 'propose:陈志强', 'handle:孙伟', 'close:马超']);
    expect(done.trail.find((t: any) => t.stepId === 'instruct' && t.action === 'skip')).toBeDefined();
  });

  it('an urgent incoming document (002 第二篇 §六.5: 急件当日完成) for the head’s instruction, re-routed by him', async () => {
    const c = await api.open('liu-fang', 'incoming-document', '关于立即开展冬季消防安全检查的紧急通知', incoming({ urgency: 'urgent', docNumber: '市消安〔2026〕9号' }));
    await api.act('liu-fang', c.id, { action: 'approve' });
    const atPropose = await api.settled('chen-zhiqiang', c.id);
    expect(atPropose.body.dueAt).toBe(shanghai('2026-11-23', '17:30'));
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { handlingDepartments: ['admin-affairs'], dueDate: '2026-11-24', proposal: '拟请行政事务科办理，呈王局长批示', toHead: true } });
    const atHead = await api.settled('wang-jianguo', c.id);
    expect(atHead.body).toMatchObject({ currentStep: 'instruct-head', dueAt: shanghai('2026-11-23', '17:30') });
    // 批办 may route it to several departments; with several, a lead.
    await api.act('wang-jianguo', c.id, { action: 'approve', fields: { instruction: '请行政事务科牵头、信访科配合，明日办结', handlingDepartments: ['admin-affairs', 'petitions'], leadDepartment: 'admin-affairs' } });
    const atHandle = await api.settled('sun-wei', c.id);
    expect(atHandle.body.assignees.map((a: any) => a.id)).toEqual(['sun-wei', 'zhu-hong']);
    expect(atHandle.body.dueAt).toBe(shanghai('2026-11-24', '17:30'));
    await api.act('sun-wei', c.id, { action: 'approve', fields: { handlingProcess: '组织全楼检查', handlingResult: '整改隐患3处' } });
    await api.act('zhu-hong', c.id, { action: 'approve', fields: { handlingProcess: '检查接待室', handlingResult: '无隐患' } });
    await api.act('liu-fang', c.id, { action: 'approve' });
    const done = await completed('liu-fang', c.id);
    expect(approvalsOf(done)).toEqual(['register:刘芳', 'propose:陈志强', 'instruct-head:王建国', 'handle:孙伟', 'handle:朱红', 'close:刘芳']);
    expect(done.trail.filter((t: any) => t.stepId === 'handle' && t.action === 'approve').map((t: any) => t.detail.fields.handlingResult)).toEqual(['整改隐患3处', '无隐患']);
  });

  // Last: it moves the clock.
  it('incoming document (001 §一(一)2; 003 §5; 000 §二.1): register and number the same day → 拟办 → 批办 → 承办, chased before its due date → 办结 → 归档', async () => {
    const c = await api.open('liu-fang', 'incoming-document', '关于开展年终安全检查的通知', incoming());
    const registering = await api.settled('liu-fang', c.id);
    expect(registering.body).toMatchObject({ currentStep: 'register', number: expect.stringMatching(/^收文〔2026〕\d+号$/), dueAt: shanghai('2026-11-23', '17:30') });
    await api.act('liu-fang', c.id, { action: 'approve', comment: '已登记，扫描件附后' });
    const proposing = await api.settled('chen-zhiqiang', c.id);
    expect(proposing.body).toMatchObject({ currentStep: 'propose', dueAt: shanghai('2026-11-24', '17:30') });
    const proposal = { handlingDepartments: ['finance', 'admin-affairs'], leadDepartment: 'admin-affairs', dueDate: '2026-11-27', proposal: '拟请行政事务科牵头、计划财务科配合，在11月27日前办复' };
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: proposal });
    // 批办: the deputies in charge of the departments named; one instructs. Ordinary: within 3 working days of registration.
    const instructing = await api.settled('li-minghua', c.id);
    expect(instructing.body).toMatchObject({ currentStep: 'instruct', dueAt: shanghai('2026-11-26', '17:30') });
    expect(instructing.body.assignees.map((a: any) => a.id)).toEqual(['li-minghua', 'zhang-xiuying']);
    await api.act('zhang-xiuying', c.id, { action: 'approve', fields: { instruction: '同意拟办意见' } });
    const handling = await api.settled('sun-wei', c.id);
    expect(handling.body).toMatchObject({ currentStep: 'handle', dueAt: shanghai('2026-11-27', '17:30'), fields: proposal });
    expect(handling.body.due.rule.zh).toBe('按“办复期限”');
    await api.act('zhou-tao', c.id, { action: 'approve', fields: { handlingProcess: '核查财务室消防设施', handlingResult: '已整改' } });
    // 催办: a step still open on its last working day is chased (7 working hours before it is due).
    await waitRecorded(c.id);
    await clock.set(Date.parse(shanghai('2026-11-27', '09:00')));
    const chased = await api.until('sun-wei', c.id, (x) => x.trail.some((t: any) => t.action === 'remind-before'), 'a chase');
    expect(chased.trail.find((t: any) => t.action === 'remind-before').detail.waiting).toEqual(['孙伟']);
    expect((await api.get('sun-wei', '/api/notifications?unread=true')).body.items.find((n: any) => n.caseId === c.id && n.kind === 'chase')).toBeDefined();
    await api.act('sun-wei', c.id, { action: 'approve', fields: { handlingProcess: '组织全局安全检查', handlingResult: '检查完毕，已书面报市局' } });
    await api.act('liu-fang', c.id, { action: 'approve', comment: '办结' });
    const done = await completed('liu-fang', c.id);
    expect(done.filedAt).toBeDefined();
    expect(approvalsOf(done)).toEqual(['register:刘芳', 'propose:陈志强', 'instruct:张秀英', 'handle:周涛', 'handle:孙伟', 'close:刘芳']);
    expect(done.trail.map((t: any) => t.action)).toEqual(expect.arrayContaining(['number', 'file', 'complete']));
    expect(done.fields).toMatchObject({ ...proposal, instruction: '同意拟办意见', handlingResult: '检查完毕，已书面报市局' });
  });
});
