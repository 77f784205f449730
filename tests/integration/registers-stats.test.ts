/**
 * Registers and assessment (issue #6 §2–§3; 000 §五, 004 考核): every register exports to XLSX
 * that reads back with Chinese intact, and GET /api/stats is checked against a month worked out
 * by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { ManualClock } from '../../local/clock.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const HOUR = 3_600_000;
/** Tuesday 1 December 2026, 09:00 in China. */
const TUESDAY_9AM = Date.parse('2026-12-01T01:00:00Z');
const leave = (days: number, reason: string) => ({
  leaveType: 'personal',
  startDate: '2026-12-02',
  endDate: days > 1 ? '2026-12-03' : '2026-12-02',
  days,
  reason,
});

describe('registers and the month’s assessment', () => {
  const clock = new ManualClock(TUESDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  const download = async (user: string, path: string) => {
    const response = await fetch(`${system.urls.api}${path}`, { headers: { authorization: `Bearer ${await api.login(user)}` } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const readBack = async (bytes: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    return book.worksheets[0]!;
  };

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE, clock });
    api = apiClient(system.urls.api);

    // The month, by hand (times in China):
    // Tue 09:00  A: 徐亮 1 day; B: 马超 1 day; C: 徐亮 1 day; D: 周涛 (section head) 2 days.
    // Tue 10:00  周涛 approves A and rejects C; 孙伟 returns B, 马超 resubmits it.
    // Tue 11:00  孙伟 approves B.
    // Fri 10:00  李明华 approves D, three days after it was due.
    const a = await api.open('xu-liang', 'leave', '徐亮请假（A）', leave(1, '办理证件'));
    const b = await api.open('ma-chao', 'leave', '马超请假（B）', leave(1, '家中有事'));
    const c = await api.open('xu-liang', 'leave', '徐亮请假（C）', leave(1, '外出'));
    const d = await api.open('zhou-tao', 'leave', '周涛请假（D）', leave(2, '探亲'));
    await clock.advance(HOUR);
    await api.act('zhou-tao', a.id, { action: 'approve', comment: '同意' });
    await api.act('zhou-tao', c.id, { action: 'reject', comment: '月底结账，不宜请假' });
    await api.act('sun-wei', b.id, { action: 'return', comment: '请补充交接安排' });
    await api.act('ma-chao', b.id, { action: 'resubmit', comment: '已补充', fields: { ...leave(1, '家中有事'), handover: '由徐亮代办' } });
    await clock.advance(HOUR);
    await api.act('sun-wei', b.id, { action: 'approve', comment: '同意' });
    await clock.set(Date.parse('2026-12-04T02:00:00Z'));
    // D fell due on Wednesday and is chased on the way, by one-time schedules each arming the next
    // (how many depends on how far each chase saw the moving clock): once one is armed for a time
    // still to come, no chase is in flight and 李明华's decision cannot race one to the version.
    const resting = () => {
      const armed = system.scheduler.pendingOneTime().filter((s) => (s.input as { caseId: string }).caseId === d.id);
      return armed.length > 0 && armed.every((s) => Date.parse(s.at) > clock.now());
    };
    for (const deadline = Date.now() + 10_000; !resting(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`case ${d.id} was never chased and armed again`);
    }
    expect((await api.get('li-minghua', `/api/cases/${d.id}`)).body.trail.some((t: any) => t.action === 'remind')).toBe(true);
    await api.act('li-minghua', d.id, { action: 'approve', comment: '同意' });
    for (const [user, id] of [['xu-liang', a.id], ['ma-chao', b.id], ['zhou-tao', d.id]] as const) {
      await api.until(user, id, (x) => x.status === 'completed', 'completed');
    }
  });
  afterAll(() => system?.stop());

  it('GET /api/stats: on-time rate, first-pass rate, overdue count and average handling time as worked out by hand', async () => {
    const stats = await api.get('chen-zhiqiang', '/api/stats?month=2026-12');
    expect(stats.status).toBe(200);
    const person = (id: string) => stats.body.people.find((p: any) => p.person === id);
    const department = (id: string) => stats.body.departments.find((d: any) => d.department === id);
    expect(person('zhou-tao')).toMatchObject({ name: '周涛', department: 'finance', completed: 2, onTime: 2, onTimeRate: 1, overdue: 0, averageHandlingHours: 1, closed: 1, firstPass: 1, firstPassRate: 1 });
    expect(person('sun-wei')).toMatchObject({ completed: 2, onTime: 2, onTimeRate: 1, overdue: 0, averageHandlingHours: 1, closed: 0, firstPassRate: null });
    expect(person('li-minghua')).toMatchObject({ completed: 1, onTime: 0, onTimeRate: 0, overdue: 1, averageHandlingHours: 73 });
    expect(person('xu-liang')).toMatchObject({ completed: 0, onTimeRate: null, closed: 2, firstPass: 1, firstPassRate: 0.5 });
    expect(person('ma-chao')).toMatchObject({ closed: 1, firstPass: 0, firstPassRate: 0 });
    // Departments: the decisions of their people (the deputy belongs to none) and the requests from them.
    expect(department('finance')).toMatchObject({ name: '计划财务科', completed: 2, onTime: 2, onTimeRate: 1, overdue: 0, closed: 3, firstPass: 2, firstPassRate: 0.667 });
    expect(department('admin-affairs')).toMatchObject({ completed: 2, onTime: 2, closed: 1, firstPass: 0, firstPassRate: 0 });
    // Nothing happened in November in this system.
    expect((await api.get('chen-zhiqiang', '/api/stats?month=2026-11')).body).toEqual({ month: '2026-11', departments: [], people: [] });
  });

  it('已办: the cases someone acted on, not their own requests', async () => {
    const titles = async (user: string) => (await api.get(user, '/api/cases?handled=true&year=2026')).body.items.map((c: any) => c.title).sort();
    expect(await titles('zhou-tao')).toEqual(['徐亮请假（A）', '徐亮请假（C）']);
    expect(await titles('sun-wei')).toEqual(['马超请假（B）']);
    expect(await titles('xu-liang')).toEqual([]);
  });

  it('each sees the figures they should: staff their own, a section head their section', async () => {
    const own = await api.get('xu-liang', '/api/stats?month=2026-12');
    expect(own.body.departments).toEqual([]);
    expect(own.body.people.map((p: any) => p.person)).toEqual(['xu-liang']);
    const section = await api.get('sun-wei', '/api/stats?month=2026-12');
    expect(section.body.departments.map((d: any) => d.department)).toEqual(['admin-affairs']);
    expect(section.body.people.map((p: any) => p.person).sort()).toEqual(['ma-chao', 'sun-wei']);
    const bad = await api.get('chen-zhiqiang', '/api/stats?month=2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('month');
  });

  it('the assessment exports to XLSX that reads back', async () => {
    const file = await download('chen-zhiqiang', '/api/stats/export?month=2026-12&format=xlsx');
    expect(file.status).toBe(200);
    const sheet = await readBack(file.bytes);
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining(['部门/人员', '及时率', '一次性通过率']));
    const finance = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(2).value === '计划财务科')!;
    expect(finance.getCell(1).value).toBe('部门');
    expect(finance.getCell(9).value).toBe('66.7%');
  });

  it('the leave register shows the month’s requests as the office keeps them', async () => {
    const leaveRegister = await api.get('chen-zhiqiang', '/api/registers/leave?year=2026');
    expect(leaveRegister.status).toBe(200);
    expect(leaveRegister.body.columns.map((c: any) => c.label.zh)).toEqual(expect.arrayContaining(['序号', '登记日期', '标题', '请假类别', '天数', '状态']));
    // Entries made at the same moment keep a stable order; here all four were registered at 09:00.
    expect(leaveRegister.body.rows.map((r: any) => r.seq)).toEqual([1, 2, 3, 4]);
    const lines = leaveRegister.body.rows.map((r: any) => [r.title, r.leaveType, r.days, r.status, r.department]).sort((x: string[], y: string[]) => x[0]!.localeCompare(y[0]!));
    expect(lines).toEqual(
      [
        ['徐亮请假（A）', '事假', 1, '办结', '计划财务科'],
        ['马超请假（B）', '事假', 1, '办结', '行政事务科'],
        ['徐亮请假（C）', '事假', 1, '未批准', '计划财务科'],
        ['周涛请假（D）', '事假', 2, '办结', '计划财务科'],
      ].sort((x, y) => x[0]!.toString().localeCompare(y[0]!.toString())),
    );
    const finance = await api.get('chen-zhiqiang', '/api/registers/leave?year=2026&department=finance');
    expect(finance.body.rows.map((r: any) => r.seq)).toEqual([1, 2, 3]);
    expect((await api.get('chen-zhiqiang', '/api/registers/no-such?year=2026')).status).toBe(404);
    const badYear = await api.get('chen-zhiqiang', '/api/registers/leave?year=20x6');
    expect(badYear.status).toBe(400);
    expect(badYear.body.error.field).toBe('year');
  });

  it('every register exports to XLSX and CSV that read back with the Chinese intact', async () => {
    const registers = (await api.get('chen-zhiqiang', '/api/registers')).body.items as { id: string; name: { zh: string } }[];
    expect(registers.map((r) => r.id)).toEqual(expect.arrayContaining(['leave', 'outgoing-document', 'seal-use', 'petition', 'archive-catalogue', 'archive-borrowing', 'archive-destruction']));
    for (const register of registers) {
      const view = await api.get('chen-zhiqiang', `/api/registers/${register.id}?year=2026`);
      expect(view.status, register.id).toBe(200);
      const xlsx = await download('chen-zhiqiang', `/api/registers/${register.id}/export?year=2026&format=xlsx`);
      expect(xlsx.status, register.id).toBe(200);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const sheet = await readBack(xlsx.bytes);
      expect(sheet.getRow(1).getCell(1).value).toBe(`${register.name.zh}（2026年）`);
      expect(sheet.getRow(2).values).toEqual([undefined, ...view.body.columns.map((c: any) => c.label.zh)]);
      expect(sheet.rowCount).toBe(2 + view.body.rows.length);
      const csv = await download('chen-zhiqiang', `/api/registers/${register.id}/export?year=2026&format=csv`);
      const text = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
      expect(text.split('\r\n')[0]).toBe(view.body.columns.map((c: any) => c.label.zh).join(','));
    }
    const leaveSheet = await readBack((await download('chen-zhiqiang', '/api/registers/leave/export?year=2026&format=xlsx')).bytes);
    const a = leaveSheet.getRows(3, 4)!.find((r) => (r.values as unknown[]).includes('徐亮请假（A）'))!;
    expect(a.values).toEqual(expect.arrayContaining(['徐亮请假（A）', '事假', '办结', '计划财务科', 1]));
    expect((await download('chen-zhiqiang', '/api/registers/leave/export?year=2026&format=pdf')).status).toBe(400);
  });
});
