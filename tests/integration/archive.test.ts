/**
 * The archive (issue #5; 003 §7–§10): access grants to classified files that end by themselves,
 * filing into the catalogue with retention, borrowing chased to its return date, and destruction
 * refused under retention and recorded after it. Time moves on the local system's clock.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ManualClock } from '../../local/clock.ts';
import { topology } from '../../infra/topology.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { bucketReader } from '../support/s3.ts';
import { defaultDeps } from '../../functions/adapters/deps.ts';
import { fileToArchive } from '../../functions/domain/archive/filing.ts';
import { definitionVersion } from '../../functions/domain/definitions/lookup.ts';
import { loadOrgChart } from '../../functions/domain/org/org-service.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n% 涉密文件扫描件\n'), Buffer.alloc(20_000, 5)]);
const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');
const DAY = 86_400_000;

describe('the archive on the local system', () => {
  const clock = new ManualClock(MONDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let objects: ReturnType<typeof bucketReader>['objects'];

  beforeAll(async () => {
    // Ten years pass in this file: without the hourly and daily schedules, which would each fire
    // on the way (they are tested on their own); the workflows' own waits still run.
    system = await givenLocalSystem({ ports: ALL_FREE, clock, topology: { ...topology, schedules: [] } });
    api = apiClient(system.urls.api);
    objects = bucketReader(system.urls.s3).objects;
  });
  afterAll(() => system?.stop());

  const attach = async (user: string, caseId: string, fileName: string) => {
    const asked = await api.post(user, `/api/cases/${caseId}/uploads`, { fileName, contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: pdf })).status).toBe(200);
    const done = await api.post(user, `/api/cases/${caseId}/uploads/${asked.body.uploadId}/complete`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return done.body as { id: string; key: string };
  };
  const completed = (user: string, id: string) => api.until(user, id, (c) => c.status === 'completed', 'completed');
  const register = (user: string, id: string, year = 2026) => api.get(user, `/api/registers/${id}?year=${year}`);

  it('a secret file: 403 and absent from every list without a grant; seen through an approved grant; unseen again when it expires', async () => {
    const secret = await api.open('xu-liang', 'outgoing-document', '关于某专项的机密报告', {
      docKind: '发',
      mainRecipients: '局领导',
      urgency: 'normal',
      confidentiality: 'secret',
    });
    const file = await attach('xu-liang', secret.id, '机密报告.pdf');

    const refused = async () => {
      expect((await api.get('ma-chao', `/api/cases/${secret.id}`)).status).toBe(404);
      const download = await api.post('ma-chao', `/api/cases/${secret.id}/attachments/${file.id}/download`);
      expect(download.status).toBe(403);
      expect(download.body.error.code).toBe('forbidden');
      expect(download.body.error.message).toMatch(/涉密/);
      const lists = [await api.get('ma-chao', '/api/cases?year=2026&limit=100'), await api.get('zhang-xiuying', '/api/cases?year=2026&limit=100')];
      for (const list of lists) expect(list.body.items.map((c: any) => c.id)).not.toContain(secret.id);
      const rows = (await register('zhang-xiuying', 'outgoing-document')).body.rows;
      expect(rows.map((r: any) => r.title)).not.toContain('关于某专项的机密报告');
    };
    await refused();
    // The confidential clerk sees it, in the register too.
    expect((await api.get('yang-jing', `/api/cases/${secret.id}`)).status).toBe(200);
    expect((await register('yang-jing', 'outgoing-document')).body.rows.map((r: any) => r.title)).toContain('关于某专项的机密报告');

    // A request naming nothing that exists opens like any other (so nobody can probe which numbers
    // exist); approved, it grants nothing, and the applicant is told.
    const unknown = await api.post('ma-chao', '/api/cases', { type: 'confidential-access', title: '查阅', fields: { documentRef: 'no-such', purpose: '核对数据', days: 3 } });
    expect(unknown.status).toBe(201);
    await api.act('chen-zhiqiang', unknown.body.id, { action: 'approve', comment: '同意' });
    await api.act('zhang-xiuying', unknown.body.id, { action: 'approve', comment: '同意' });
    const nothing = await completed('ma-chao', unknown.body.id);
    expect(nothing.trail.find((t: any) => t.action === 'grant').detail).toEqual({ granted: false, ref: 'no-such' });
    const told = (await api.get('ma-chao', '/api/notifications')).body.items.find((n: any) => n.caseId === unknown.body.id && n.message.includes('未予授权'));
    expect(told).toBeDefined();

    // 003 §9: request → the office director reviews → the deputy in charge approves → provided.
    const request = await api.open('ma-chao', 'confidential-access', '申请查阅机密报告', { documentRef: secret.id, purpose: '核对专项数据', days: 3 });
    expect(request.currentStep).toBe('review');
    await api.act('chen-zhiqiang', request.id, { action: 'approve', comment: '同意，请分管领导审批' });
    await api.act('zhang-xiuying', request.id, { action: 'approve', comment: '同意查阅3天' });
    const granted = await completed('ma-chao', request.id);
    expect(granted.trail.find((t: any) => t.action === 'grant').detail).toMatchObject({ granted: true, caseId: secret.id });

    expect((await api.get('ma-chao', `/api/cases/${secret.id}`)).status).toBe(200);
    const link = await api.post('ma-chao', `/api/cases/${secret.id}/attachments/${file.id}/download`);
    expect(link.status).toBe(200);
    expect(sha256(Buffer.from(await (await fetch(link.body.url)).arrayBuffer()))).toBe(sha256(pdf));
    expect((await api.get('ma-chao', '/api/cases?year=2026&limit=100')).body.items.map((c: any) => c.id)).toContain(secret.id);

    // A retried or older approval never shortens a live grant.
    const live = await defaultDeps().access.grantsOf('ma-chao', clock.now() + 2 * DAY);
    await defaultDeps().access.grant({ personId: 'ma-chao', caseId: secret.id, until: new Date(clock.now() + DAY).toISOString(), viaCaseId: 'older', grantedAt: new Date(clock.now()).toISOString() });
    expect(await defaultDeps().access.grantsOf('ma-chao', clock.now() + 2 * DAY)).toEqual(live);
    expect(live.has(secret.id)).toBe(true);

    await clock.advance(3 * DAY + 60_000);
    await refused();
  });

  it('a completed case is filed into the catalogue with its item number and retention; destroying it is refused until the period ends, then needs approval and is recorded', async () => {
    await clock.set(Date.parse('2026-12-01T01:00:00Z'));
    const handIn = await api.open('huang-li', 'archive-hand-in', '2026年度文书档案移交', { year: '2026', dueOn: '2026-12-31' });
    const file = await attach('huang-li', handIn.id, '移交清册.pdf');
    await api.act('huang-li', handIn.id, { action: 'approve', comment: '已整理编目' });
    await api.act('chen-zhiqiang', handIn.id, { action: 'approve', comment: '目录审核通过' });
    const filed = await completed('huang-li', handIn.id);
    const number = filed.trail.find((t: any) => t.action === 'file').detail.archiveNumber as string;
    expect(number).toMatch(/^Z123-2026-D10-BGS-\d{4}$/);

    const catalogue = await register('huang-li', 'archive-catalogue');
    expect(catalogue.status).toBe(200);
    // DA/T 22's columns: 序号、档号、文号、责任者、题名、日期、密级、页数、备注 (pages once the 四性检测 has counted them).
    expect(catalogue.body.columns.map((c: any) => c.label.zh)).toEqual(['序号', '档号', '文号', '责任者', '题名', '日期', '密级', '页数', '备注']);
    expect(catalogue.body.rows.find((r: any) => r.number === number)).toMatchObject({
      documentNumber: null,
      responsible: '示范市机关事务管理局',
      title: '2026年度文书档案移交',
      date: '20261201',
      confidentiality: '内部',
      pages: null,
      remarks: '四性检测中；10年，至2036-12-31',
    });
    // Staff who do not keep the archive do not read its catalogue.
    expect((await register('ma-chao', 'archive-catalogue')).status).toBe(403);

    // The catalogue exports to XLSX that reads back, Chinese intact, and to CSV with a BOM.
    const xlsx = await fetch(`${system.urls.api}/api/registers/archive-catalogue/export?year=2026&format=xlsx`, { headers: { authorization: `Bearer ${await api.login('huang-li')}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(encodeURIComponent('归档文件目录'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('归档文件目录（2026年）');
    expect(sheet.getRow(2).values).toContain('档号');
    const line = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(2).value === number)!;
    expect(line.getCell(5).value).toBe('2026年度文书档案移交');
    const csv = Buffer.from(await (await fetch(`${system.urls.api}/api/registers/archive-catalogue/export?year=2026&format=csv`, { headers: { authorization: `Bearer ${await api.login('huang-li')}` } })).arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain(`${number},,示范市机关事务管理局,2026年度文书档案移交,20261201,内部`);

    // Under retention: refused, with the date it ends, and nothing opened.
    const early = await api.post('huang-li', '/api/cases', { type: 'archive-destruction', title: '销毁申请', fields: { archiveNumber: number, reason: '已无保存价值', method: 'shred' } });
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'under-retention', field: 'fields.archiveNumber' });
    expect(early.body.error.message).toContain('2036-12-31');
    const noSuch = await api.post('huang-li', '/api/cases', { type: 'archive-destruction', title: '销毁申请', fields: { archiveNumber: 'Z123-2026-D10-BGS-9999', reason: '无', method: 'shred' } });
    expect(noSuch.status).toBe(400);
    expect((await api.get('huang-li', '/api/cases?mine=true&type=archive-destruction&year=2026')).body.items).toEqual([]);
    expect(await objects(file.key)).toEqual([file.key]);

    // After the period: the office director appraises, the head approves, the files go, the books say so.
    await clock.set(Date.parse('2037-01-05T01:00:00Z'));
    const destruction = await api.open('huang-li', 'archive-destruction', `销毁 ${number}`, { archiveNumber: number, reason: '保管期满，经鉴定无保存价值', method: 'shred' });
    await api.act('chen-zhiqiang', destruction.id, { action: 'approve', comment: '鉴定同意销毁' });
    await api.act('wang-jianguo', destruction.id, { action: 'approve', comment: '同意' });
    const done = await completed('huang-li', destruction.id);
    expect(done.trail.find((t: any) => t.action === 'destroy').detail).toMatchObject({ number, destroyed: true, files: ['移交清册.pdf'] });
    expect(await objects(file.key)).toEqual([]);
    expect((await register('huang-li', 'archive-catalogue')).body.rows.find((r: any) => r.number === number).remarks).toMatch(/^已销毁（2037-01-05）/);
    const destroyed = (await register('huang-li', 'archive-destruction', 2037)).body.rows;
    expect(destroyed).toEqual([expect.objectContaining({ archiveNumber: number, reason: '保管期满，经鉴定无保存价值', method: '粉碎', status: '办结' })]);
    const again = await api.post('huang-li', '/api/cases', { type: 'archive-destruction', title: '再次销毁', fields: { archiveNumber: number, reason: '重复', method: 'shred' } });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('destroyed');
  });

  it('borrowing: approved, provided, chased on the 超期督办 board once the return date passes, then returned and in the register', async () => {
    await clock.set(Date.parse('2037-02-02T01:00:00Z'));
    const handIn = await api.open('huang-li', 'archive-hand-in', '2036年度会议记录移交', { year: '2036', dueOn: '2037-06-30' });
    await api.act('huang-li', handIn.id, { action: 'approve' });
    await api.act('chen-zhiqiang', handIn.id, { action: 'approve' });
    const number = (await completed('huang-li', handIn.id)).trail.find((t: any) => t.action === 'file').detail.archiveNumber as string;

    const tooLong = await api.post('ma-chao', '/api/cases', { type: 'archive-borrowing', title: '借阅', fields: { archiveNumber: number, manner: 'borrow', purpose: '查阅会议记录', borrowedOn: '2037-02-02', returnBy: '2037-04-02' } });
    expect(tooLong.status).toBe(400);
    const loan = await api.open('ma-chao', 'archive-borrowing', '借阅2036年会议记录', { archiveNumber: number, manner: 'borrow', purpose: '查阅会议记录', borrowedOn: '2037-02-02', returnBy: '2037-02-06' });
    await api.act('chen-zhiqiang', loan.id, { action: 'approve' });
    await api.act('huang-li', loan.id, { action: 'approve', comment: '已借出' });
    const out = await api.settled('huang-li', loan.id);
    expect(out.body.currentStep).toBe('return');

    await clock.set(Date.parse('2037-02-10T02:00:00Z'));
    const board = await api.until('chen-zhiqiang', loan.id, () => true);
    expect(board.status).toBe('open');
    const overdue = await api.get('chen-zhiqiang', '/api/overdue');
    const line = overdue.body.items.find((i: any) => i.caseId === loan.id);
    expect(line).toMatchObject({ stepId: 'return', assignees: ['ma-chao'], assigneeNames: ['马超'], department: 'admin-affairs' });
    expect(line.daysOverdue).toBeGreaterThanOrEqual(3);
    expect(line.chases).toBeGreaterThanOrEqual(1);
    expect(overdue.body.departments).toContainEqual(expect.objectContaining({ department: 'admin-affairs', name: expect.objectContaining({ zh: '行政事务科' }) }));
    expect((await api.get('chen-zhiqiang', '/api/overdue?department=finance')).body.items.map((i: any) => i.caseId)).not.toContain(loan.id);
    const exported = await fetch(`${system.urls.api}/api/overdue/export?department=admin-affairs&format=csv`, { headers: { authorization: `Bearer ${await api.login('chen-zhiqiang')}` } });
    const csv = Buffer.from(await exported.arrayBuffer()).toString('utf8');
    expect(csv).toContain('序号,责任部门,事项,类别,当前环节,承办人,应办结时间,超期天数,催办次数');
    expect(csv).toContain('1,行政事务科,借阅2036年会议记录,档案借阅,借阅人归还,马超,2037-02-06');
    // The borrower was chased (催还).
    const notes = (await api.get('ma-chao', '/api/notifications')).body.items;
    expect(notes.some((n: any) => n.caseId === loan.id && n.kind === 'chase')).toBe(true);

    await api.act('ma-chao', loan.id, { action: 'approve', comment: '已归还' });
    await api.act('huang-li', loan.id, { action: 'approve', comment: '验收完好，已入库' });
    await completed('ma-chao', loan.id);
    expect((await api.get('chen-zhiqiang', '/api/overdue')).body.items.map((i: any) => i.caseId)).not.toContain(loan.id);
    const rows = (await register('chen-zhiqiang', 'archive-borrowing', 2037)).body.rows;
    expect(rows).toEqual([expect.objectContaining({ archiveNumber: number, manner: '借出', returnBy: '2037-02-06', applicant: '马超', status: '办结' })]);
  });
  it('a classified item is filed apart: only the confidential clerk finds it in the catalogue or may have it destroyed; filing again changes nothing', async () => {
    await clock.set(Date.parse('2037-02-16T01:00:00Z'));
    const c = await api.open('liu-fang', 'incoming-document', '关于某安保方案的秘密通知', {
      fromOrg: '市公安局',
      docNumber: '市公密〔2037〕3号',
      receivedOn: '2037-02-16',
      docCategory: 'superior',
      urgency: 'normal',
      confidentiality: 'secret',
      copies: 1,
      summary: '安保方案',
    });
    await api.act('liu-fang', c.id, { action: 'approve' });
    await api.act('chen-zhiqiang', c.id, { action: 'approve', fields: { handlingDepartments: ['finance'], dueDate: '2037-02-20', proposal: '拟请计划财务科办理' } });
    await api.act('li-minghua', c.id, { action: 'approve', fields: { instruction: '同意' } });
    await api.act('zhou-tao', c.id, { action: 'approve', fields: { handlingProcess: '按方案落实', handlingResult: '已落实' } });
    await api.act('liu-fang', c.id, { action: 'approve' });
    const filed = await completed('liu-fang', c.id);
    const number = filed.trail.find((t: any) => t.action === 'file').detail.archiveNumber as string;
    expect(number).toMatch(/^Z123-2037-D30-BGS-\d{4}$/);

    const archivist = await register('huang-li', 'archive-catalogue', 2037);
    expect(archivist.body.rows.map((r: any) => r.number)).not.toContain(number);
    const clerk = await register('yang-jing', 'archive-catalogue', 2037);
    expect(clerk.body.rows.find((r: any) => r.number === number)).toMatchObject({ confidentiality: '秘密', responsible: '市公安局', date: '20370216', remarks: expect.stringContaining('30年') });
    const destroy = await api.post('huang-li', '/api/cases', { type: 'archive-destruction', title: '销毁', fields: { archiveNumber: number, reason: '试图销毁', method: 'shred' } });
    expect(destroy.status).toBe(400);
    expect(destroy.body.error.message).toContain('没有这个档号');
    // Someone who may not see it learns nothing from asking to borrow it: the answer is exactly a missing item's.
    const borrowing = (who: string, archiveNumber: string) =>
      api.post(who, '/api/cases', { type: 'archive-borrowing', title: '借阅', fields: { archiveNumber, manner: 'read', purpose: '查阅', borrowedOn: '2037-02-16', returnBy: '2037-02-17' } });
    const missingNumber = number.replace(/\d{4}$/, '9999');
    const [hidden, missing] = [await borrowing('ma-chao', number), await borrowing('ma-chao', missingNumber)];
    expect([hidden.status, missing.status]).toEqual([400, 400]);
    expect(hidden.body.error).toEqual({ ...missing.body.error, message: missing.body.error.message.replace(missingNumber, number) });
    // Someone who handled it is told to ask through the confidential-access process instead.
    const handler = await borrowing('zhou-tao', number);
    expect([handler.status, handler.body.error.code]).toEqual([422, 'classified']);

    // A petition not accepted is filed too, with its decision (fileWhenClosed), by its execution.
    const petition = await api.open('hu-jun', 'petition', '来信反映停车收费问题', { channel: 'letter', receivedOn: '2037-02-16', petitioner: '张某', summary: '停车收费', handlingDepartment: 'admin-affairs' });
    await api.act('hu-jun', petition.id, { action: 'approve' });
    await api.act('zhu-hong', petition.id, { action: 'reject', comment: '不属于本机关职责，已书面告知信访人向物价部门反映' });
    await api.until('hu-jun', petition.id, (p) => p.status === 'rejected', 'rejected');
    await expect
      .poll(async () => (await register('huang-li', 'archive-catalogue', 2037)).body.rows.find((r: any) => r.title === '来信反映停车收费问题'))
      .toMatchObject({ number: expect.stringMatching(/^Z123-2037-D30-XFK-\d{4}$/), remarks: expect.stringContaining('30年') });

    // A retried filing (the task run twice) finds the item and keeps its number: one line, one number.
    const deps = defaultDeps();
    const stored = (await deps.cases.get(c.id))!;
    const again = await fileToArchive(deps, stored, definitionVersion(stored.type, stored.definitionVersion), await loadOrgChart(deps), stored.filedAt!);
    expect(again.number).toBe(number);
    expect((await register('yang-jing', 'archive-catalogue', 2037)).body.rows.filter((r: any) => r.title === '关于某安保方案的秘密通知')).toHaveLength(1);
  });
});
