/**
 * 办事: the approval processes walked to completion through the API by the demo people, each
 * following its seed (named in the title). The clock stands at Monday 23 November 2026, 09:00 in
 * Shanghai, so due times are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/clock.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { petition } from '../support/case-fields.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const shanghai = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

describe('approval processes walked through the API (办事)', () => {
  const clock = new ManualClock(Date.parse(shanghai('2026-11-23', '09:00')));
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  const completed = (user: string, id: string) => api.until(user, id, (x) => x.status === 'completed', 'completed');
  const approvalsOf = (c: any) => c.trail.filter((t: any) => t.action === 'approve').map((t: any) => `${t.stepId}:${t.actorName}`);

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);
  });
  afterAll(() => system?.stop());

  it('leave (002 第二篇 §9): two days for staff, the section head then the deputy in charge; approved leave goes to the office for attendance', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮事假2天', { leaveType: 'personal', startDate: '2026-11-26', endDate: '2026-11-27', days: 2, reason: '家中有事', handover: '工作交吴敏' });
    await api.act('zhou-tao', c.id, { action: 'approve', comment: '同意' });
    await api.act('li-minghua', c.id, { action: 'approve', comment: '同意' });
    const done = await completed('xu-liang', c.id);
    expect(approvalsOf(done)).toEqual(['section-head:周涛', 'deputy:李明华']);
    expect(done.trail.find((t: any) => t.action === 'notify').detail.to).toEqual(['陈志强', '刘芳']);
  });

  it('expense (003 §20 机关财务开支): department leader → finance → the deputy in charge → the deputy in charge of finance → paid, with how it was paid', async () => {
    const c = await api.open('ma-chao', 'expense', '差旅费报销（省城培训）', { category: 'travel', amount: 1860.5, invoices: 3, payee: '马超', description: '赴省城参加公文处理培训' });
    expect(c).toMatchObject({ definitionVersion: 2 });
    await api.act('sun-wei', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'approve', comment: '票据齐全，未超预算' });
    await api.act('zhang-xiuying', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'approve', fields: { paymentMethod: 'transfer' } });
    const done = await completed('ma-chao', c.id);
    expect(approvalsOf(done)).toEqual(['department-leader:孙伟', 'finance-review:吴敏', 'deputy:张秀英', 'finance-deputy:李明华', 'pay:吴敏']);
    expect(done.fields.paymentMethod).toBe('transfer');
  });

  it('special funds (003 §21 专项经费开支): the fund and its department are named; finance confirms, the deputy in charge of finance approves, charged to the department’s fund', async () => {
    const fields = { category: 'special-fund', amount: 12800, invoices: 2, payee: '某软件公司', description: '公文系统维护费', specialFund: '信息化建设专项' };
    const missing = await api.post('ma-chao', '/api/cases', { type: 'expense', title: '专项经费报销（缺科室）', fields });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ field: 'fields.fundDepartment', message: expect.stringMatching(/^请填写列支专项经费的科室/) });
    const c = await api.open('ma-chao', 'expense', '专项经费报销（公文系统维护）', { ...fields, fundDepartment: 'admin-affairs' });
    await api.act('sun-wei', c.id, { action: 'approve', comment: '情况属实' });
    await api.act('wu-min', c.id, { action: 'approve', comment: '财务室确认' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'approve', comment: '科室专项经费列支', fields: { paymentMethod: 'transfer' } });
    const done = await completed('ma-chao', c.id);
    expect(approvalsOf(done)).toEqual(['department-leader:孙伟', 'finance-review:吴敏', 'finance-deputy:李明华', 'pay:吴敏']);
    expect(done.fields).toMatchObject({ specialFund: '信息化建设专项', fundDepartment: 'admin-affairs' });
  });

  it('petition (002 第二篇 §七; 003 §18, §19): registered, accepted within 15 days, the department answers, resolved with its result, reviewed by the leader, replied in writing, filed; then a review asked within 30 days', async () => {
    const c = await api.open('hu-jun', 'petition', '来信反映小区物业服务问题', petition());
    expect(c).toMatchObject({ definitionVersion: 2, currentStep: 'register' });
    // Registered within 3 working days of receipt (a Friday): by Wednesday.
    expect((await api.get('hu-jun', `/api/cases/${c.id}`)).body.dueAt).toBe(shanghai('2026-11-25', '17:30'));
    await api.act('hu-jun', c.id, { action: 'approve', comment: '已登记' });
    await api.act('zhu-hong', c.id, { action: 'approve', comment: '予以受理，已书面告知信访人' });
    await api.act('sun-wei', c.id, { action: 'approve', comment: '同意承办' });
    const resolving = await api.settled('sun-wei', c.id);
    expect(resolving.body.currentStep).toBe('resolve');
    expect(resolving.body.due.rule.zh).toBe('自受理起60 日');
    await api.act('sun-wei', c.id, { action: 'approve', fields: { result: '已约谈物业公司，限期整改，整改到位' } });
    await api.act('zhang-xiuying', c.id, { action: 'approve', comment: '同意答复意见' });
    await api.act('hu-jun', c.id, { action: 'approve', fields: { repliedOn: '2026-11-23' } });
    const done = await completed('hu-jun', c.id);
    expect(done.filedAt).toBeDefined();
    expect(approvalsOf(done)).toEqual(['register:胡军', 'accept:朱红', 'department-answer:孙伟', 'resolve:孙伟', 'leader-review:张秀英', 'reply:胡军']);

    const review = await api.open('hu-jun', 'petition-review', '张某申请复查', { originalCase: c.id, repliedOn: '2026-11-23', requestedOn: '2026-11-23', reason: '对整改效果不满意' });
    await api.act('wang-jianguo', review.id, { action: 'approve', comment: '维持原处理意见，已书面答复' });
    expect((await completed('hu-jun', review.id)).filedAt).toBeDefined();
  });

  it('supervision (004 第一章; 001 §(三)2): a task with its method, deadline and responsible person; done with its result; checked by the office; reported back to the leader', async () => {
    const c = await api.open('chen-zhiqiang', 'supervision', '督办：年终安全检查整改', {
      task: '完成办公楼消防隐患整改',
      method: '逐层排查，建立台账',
      responsible: 'ma-chao',
      deadline: '2026-11-27',
      leader: 'wang-jianguo',
    });
    expect(c).toMatchObject({ definitionVersion: 2, currentStep: 'handle' });
    await api.act('ma-chao', c.id, { action: 'approve', fields: { result: '整改隐患5处，台账已建立' } });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '核查属实' });
    const done = await completed('chen-zhiqiang', c.id);
    expect(done.trail.find((t: any) => t.action === 'notify').detail.to).toEqual(['王建国']);
    expect(done.fields.result).toBe('整改隐患5处，台账已建立');
  });

  it('reception (002 第二篇 §2 招待流程): the department asks → the deputy in charge → the head → the office arranges it', async () => {
    const c = await api.open('sun-wei', 'reception', '接待省局检查组', { guestOrg: '省机关事务管理局检查组', guests: 5, visitDate: '2026-11-25', purpose: '年度工作检查', meal: true, estimatedCost: 600 });
    await api.act('zhang-xiuying', c.id, { action: 'approve', comment: '按公务接待规定安排工作餐' });
    await api.act('wang-jianguo', c.id, { action: 'approve' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { arrangements: '机关食堂工作餐，不安排酒水', actualCost: 450 } });
    const done = await completed('sun-wei', c.id);
    expect(approvalsOf(done)).toEqual(['deputy:张秀英', 'head:王建国', 'arrange:刘芳']);
  });

  it('vehicle use (002 第二篇 §8): a leader agrees, the office assigns car and driver, the car comes back with its mileage', async () => {
    const c = await api.open('ma-chao', 'vehicle-use', '用车：送检材料至市局', { useDate: '2026-11-24', startTime: '09:00', destination: '市机关事务管理局', passengers: 2, purpose: '报送年度检查材料' });
    await api.act('sun-wei', c.id, { action: 'approve' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { vehicle: '浙A·12345', driver: '李师傅' } });
    const early = await api.post('ma-chao', `/api/cases/${c.id}/actions`, { action: 'approve', version: (await api.get('ma-chao', `/api/cases/${c.id}`)).body.version, fields: { mileage: 36.5, returnedOn: '2026-11-20' } });
    expect(early.body.error.field).toBe('fields.returnedOn');
    await api.act('ma-chao', c.id, { action: 'approve', fields: { mileage: 36.5, returnedOn: '2026-11-24' } });
    const done = await completed('ma-chao', c.id);
    expect(done.fields).toMatchObject({ vehicle: '浙A·12345', driver: '李师傅', mileage: 36.5 });
  });

  it('vehicle repair (002 第一篇 计划财务科 ⑶③): proposed → verified on site by the office and finance → repaired with the invoice → checked → signed → approved → paid', async () => {
    const c = await api.open('ma-chao', 'vehicle-repair', '公务车更换刹车片', { vehicle: '浙A·12345', problem: '刹车片磨损，建议更换', estimatedCost: 800, garage: '市汽修一厂' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '实地核定' });
    await api.act('wu-min', c.id, { action: 'approve', comment: '实地核定' });
    await api.act('ma-chao', c.id, { action: 'approve', fields: { actualCost: 760, invoices: 1 } });
    await api.act('wu-min', c.id, { action: 'approve' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve' });
    await api.act('li-minghua', c.id, { action: 'approve' });
    await api.act('wu-min', c.id, { action: 'approve', fields: { paymentMethod: 'transfer' } });
    const done = await completed('ma-chao', c.id);
    expect(approvalsOf(done)).toEqual(['verify:陈志强', 'verify:吴敏', 'repair:马超', 'finance-review:吴敏', 'office-sign:陈志强', 'leader:李明华', 'pay:吴敏']);
  });

  it('office supplies (000 §二.7; 004 第五章): requested, the section head approves, the office issues and records the quantity', async () => {
    const c = await api.open('xu-liang', 'office-supplies', '领用打印纸', { item: 'A4打印纸', spec: '70g', quantity: 5, unit: '包', purpose: '打印报表' });
    await api.act('zhou-tao', c.id, { action: 'approve' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { issuedQuantity: 5 } });
    expect((await completed('xu-liang', c.id)).fields.issuedQuantity).toBe(5);
  });

  it('procurement (001 §二(三) 采购工作流程): request with budget → finance checks it → the deputy in charge → the head for a tender → contract → acceptance → settlement', async () => {
    const c = await api.open('sun-wei', 'procurement', '采购会议室音响设备', { item: '会议室音响设备', specs: '数字会议系统一套', quantity: 1, budget: 86000, method: 'tender', reason: '原设备老化' });
    expect(c.currentStep).toBe('budget-check');
    await api.act('wu-min', c.id, { action: 'approve', fields: { budgetItem: '办公设备购置费' } });
    await api.act('zhang-xiuying', c.id, { action: 'approve' });
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '同意招标采购' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { supplier: '某音响科技公司', contractNumber: 'CG-2026-031', contractAmount: 82500 } });
    await api.act('sun-wei', c.id, { action: 'approve', fields: { acceptedOn: '2026-11-23', acceptanceNotes: '安装调试合格' } });
    await api.act('wu-min', c.id, { action: 'approve', fields: { paidAmount: 82500 } });
    const done = await completed('sun-wei', c.id);
    expect(approvalsOf(done)).toEqual(['budget-check:吴敏', 'deputy:张秀英', 'head:王建国', 'purchase:陈志强', 'accept:孙伟', 'settle:吴敏']);
  });

  it('news release (003 §13): the office checks it, the deputy in charge checks the policy, published the same or next working day', async () => {
    const c = await api.open('liu-fang', 'news-release', '我局开展年终安全大检查', { newsKind: 'work', outlet: '市政府门户网站', summary: '我局组织开展年终安全大检查……' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', comment: '文字已修改' });
    await api.act('li-minghua', c.id, { action: 'approve', comment: '同意发布' });
    const publishing = await api.settled('liu-fang', c.id);
    expect(publishing.body).toMatchObject({ currentStep: 'publish', dueAt: shanghai('2026-11-24', '17:30') });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { publishedOn: '2026-11-23', publishedWhere: '市政府门户网站 部门动态' } });
    expect(approvalsOf(await completed('liu-fang', c.id))).toEqual(['office-review:陈志强', 'leader-review:李明华', 'publish:刘芳']);
  });

  it('media interview (003 §14): the request is verified by the office, decided by the head, and arranged as decided', async () => {
    const c = await api.open('liu-fang', 'media-interview', '市电视台采访节约型机关建设', {
      initiatedBy: 'media',
      outlet: '市电视台',
      reporters: '王记者、李记者',
      topic: '节约型机关建设成效',
      interviewDate: '2026-11-26',
      place: '局机关',
      interviewees: ['chen-zhiqiang'],
    });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { verification: '内容、时间、地点、人员已核实，可以接受采访' } });
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '同意，由陈志强同志受访' });
    await api.act('liu-fang', c.id, { action: 'approve', fields: { heldOn: '2026-11-26' } });
    expect(approvalsOf(await completed('liu-fang', c.id))).toEqual(['verify:陈志强', 'approve:王建国', 'arrange:刘芳']);
  });

  it('website publishing (003 §16): reviewed within a working day, signed off by the head when about the leadership, published within a working day, the draft filed', async () => {
    const c = await api.open('liu-fang', 'web-publishing', '王局长带队检查安全生产工作', { column: '工作动态', infoKind: 'leadership', summary: '11月23日，王建国局长带队检查……' });
    const reviewing = await api.get('chen-zhiqiang', `/api/cases/${c.id}`);
    expect(reviewing.body).toMatchObject({ currentStep: 'review', dueAt: shanghai('2026-11-24', '17:30') });
    await api.act('chen-zhiqiang', c.id, { action: 'approve' });
    await api.act('wang-jianguo', c.id, { action: 'approve', comment: '签发' });
    const publishing = await api.settled('liu-fang', c.id);
    expect(publishing.body.due.rule.zh).toBe('1 个工作日');
    await api.act('liu-fang', c.id, { action: 'approve', fields: { url: 'https://www.example.gov.cn/jgsw/2026/1123.html', publishedOn: '2026-11-23' } });
    const done = await completed('liu-fang', c.id);
    expect(done.filedAt).toBeDefined();
    expect(approvalsOf(done)).toEqual(['review:陈志强', 'sign-off-head:王建国', 'publish:刘芳']);
  });
});
