/**
 * A working day on the web form, for the API's newer calls: 新建申请 offers only what a person may
 * start, by group, with a search and their most used first; a leave's days are worked out as the
 * dates are picked, and the form shows the steps the request will take and who signs; a case page
 * greys the steps that will not come and words its due time in each language; 常用意见 are kept,
 * edited and put in the opinion box with one click; and the office director chases overdue work
 * from the board (催办), once an hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../local/clock.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, DESKTOP, PHONE, approveOnPage, caseIdOf, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn, smallTargets, visit } from './support.ts';

// Monday 23 November 2026, 09:00 in China.
const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');

/** An API failure a test made on purpose (page.route): not a problem of the page's own. */
function forgive(page: Page, path: string): void {
  const problems = pageProblems(page);
  problems.splice(0, problems.length, ...problems.filter((p) => !(/^5\d\d /.test(p) && new URL(p.split(' ')[2]!).pathname === path)));
}
const unavailable = { status: 503, json: { error: { code: 'unavailable', message: '服务暂时不可用。Service unavailable.' } } };

describe('a working day on the web form: starting, previewing, 常用意见, 催办', () => {
  const clock = new ManualClock(MONDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;
  const pages: Page[] = [];
  const as = async (user: string, viewport = DESKTOP) => {
    const page = await signedIn(browser, base, user, { now: clock.now(), viewport });
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    [system, browser] = await Promise.all([givenLocalSystem({ ports: ALL_FREE, clock }), givenBrowser()]);
    base = system.urls.api;
    api = apiClient(base);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const cards = (page: Page, group: string) => page.locator(`[data-group="${group}"] .process-card strong`).allTextContents();

  it('新建申请 offers only what the person may start, by group, with a search and their most used first', async () => {
    // 徐亮 (科员) may not register incoming documents; 刘芳 (文书) may.
    const xu = await as('xu-liang');
    await xu.getByRole('link', { name: '新建申请' }).click();
    await poll(() => xu.locator('.process-group h2').first().textContent()).toBe('公文');
    expect(await xu.locator('[data-group="favourites"]').count()).toBe(0);
    expect(await cards(xu, 'group-documents')).not.toContain('收文');
    expect(await cards(xu, 'group-approvals')).toContain('请假');
    expect(await xu.locator('.process-group h2').allTextContents()).toEqual(expect.arrayContaining(['公文', '审批', '印章', '会议']));
    await checkA11y(xu, 'new-choose');
    await screenshot(xu, 'new-choose-1280');

    // The search narrows as typed, in Chinese or English; nothing matching says so.
    const search = xu.getByLabel('查找事项');
    await search.fill('请假');
    await poll(() => xu.locator('.process-card:visible strong').allTextContents()).toEqual(['请假']);
    expect(await xu.locator('.process-group:visible h2').allTextContents()).toEqual(['审批']);
    await search.fill('seal');
    await poll(() => xu.locator('.process-card:visible strong').allTextContents()).toContain('用印申请');
    expect(await xu.locator('.process-card:visible').count()).toBeLessThan(6);
    await search.fill('没有这种事');
    await poll(() => xu.getByText('没有匹配的事项').isVisible()).toBe(true);
    expect(await xu.locator('.process-card:visible').count()).toBe(0);
    await checkA11y(xu, 'new-choose-empty');

    const liu = await as('liu-fang');
    await visit(liu, '/new');
    await poll(() => cards(liu, 'group-documents')).toContain('收文');

    // Once he has asked for leave, 请假 heads his page under 常用.
    await api.open('xu-liang', 'leave', '请假一天（体检）', { leaveType: 'personal', startDate: '2026-12-03', endDate: '2026-12-03', reason: '体检' });
    await visit(xu, '/');
    await visit(xu, '/new');
    await poll(() => xu.locator('.process-group h2').first().textContent()).toBe('常用');
    expect(await cards(xu, 'favourites')).toEqual(['请假']);
    // On a phone.
    await xu.setViewportSize(PHONE);
    await checkA11y(xu, 'new-choose-375');
    await screenshot(xu, 'new-choose-375');
    expect(pageProblems(xu)).toEqual([]);
    expect(pageProblems(liu)).toEqual([]);

    // Someone who may start nothing is told so, with no search over an empty page.
    const startable = (url: URL) => url.pathname === '/api/definitions' && url.searchParams.get('startable') === 'true';
    await xu.route(startable, (route) => route.fulfill({ json: { items: [] } }));
    await visit(xu, '/');
    await visit(xu, '/new');
    await poll(() => xu.locator('main .empty').textContent()).toBe('您目前没有可发起的事项。');
    expect(await xu.locator('main input[type="search"]').count()).toBe(0);
    await xu.unroute(startable);
  });

  it('a leave form works out the days from the dates and halves, shows only the steps it will take with who signs, and says a wrong date beside it', async () => {
    const xu = await as('xu-liang');
    const previews: string[] = [];
    xu.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/definitions/leave/preview') && previews.push(r.postData() ?? ''));
    await visit(xu, '/new/leave');
    await poll(() => xu.getByLabel('请假类别').count()).toBe(1);
    const steps = xu.locator('.request-process .step');
    // Before the dates, the steps that depend on the days are not known yet.
    await poll(() => xu.locator('.request-process [data-step="deputy"] .badge-maybe').textContent()).toBe('视情况');
    const days = xu.getByLabel('天数');
    expect(await days.evaluate((el) => el.tagName)).toBe('OUTPUT');
    await xu.getByLabel('标题').fill('请假两天（家中有事）');
    await xu.getByLabel('请假类别').selectOption('personal');
    await xu.getByLabel('开始日期').fill('2026-12-01');
    await xu.getByLabel('结束日期').fill('2026-12-02');
    await poll(() => days.textContent()).toBe('2 天');
    // The days are said as they change; the steps are not re-read at each change (no live region).
    expect(await days.getAttribute('aria-live')).toBe('polite');
    expect(await days.getAttribute('tabindex')).toBe('-1');
    expect(await xu.locator('.preview-steps').getAttribute('aria-live')).toBeNull();
    // Two days: the section head and the deputy in charge sign; the head does not.
    await poll(() => steps.locator('.step-name').allTextContents()).toEqual(['科长审批', '分管领导审批', '交办公室考勤']);
    expect(await xu.locator('.request-process [data-step="section-head"] .step-state').textContent()).toBe('周涛');
    expect(await xu.locator('.request-process [data-step="deputy"] .step-state').textContent()).toBe('李明华');
    await checkA11y(xu, 'new-leave-preview');
    await screenshot(xu, 'new-leave-2-days-1280');

    // The afternoon of the first day: one and a half days, the same steps (the list is not redrawn).
    await xu.locator('.request-process ol').evaluate((el) => el.setAttribute('data-kept', ''));
    await xu.locator('[data-field="startHalf"]').getByLabel('下午').check();
    await poll(() => days.textContent()).toBe('1.5 天');
    expect(await xu.locator('.request-process ol[data-kept]').count()).toBe(1);
    // The title changes nothing the preview works out: it is not asked again.
    const sentForTitle = previews.length;
    await xu.getByLabel('标题').fill('请假一天半（家中有事）');
    await xu.waitForTimeout(400);
    expect(previews.length, 'previews for a title typed').toBe(sentForTitle);
    // A week: the head signs too.
    await xu.getByLabel('结束日期').fill('2026-12-07');
    await poll(() => days.textContent()).toBe('4.5 天');
    await poll(() => steps.locator('.step-name').allTextContents()).toEqual(['科长审批', '分管领导审批', '局长审批', '交办公室考勤']);
    expect(await xu.locator('.request-process [data-step="head"] .step-state').textContent()).toBe('王建国');

    // An end before the start is said beside the end date at once, and typing goes on.
    const sentBefore = previews.length;
    await xu.getByLabel('结束日期').fill('2026-11-30');
    const endDate = xu.locator('[data-field="endDate"]');
    await poll(() => endDate.locator('.field-error').textContent()).toBe('结束日期不能早于开始日期。');
    await poll(() => days.textContent()).toBe('—');
    expect(await xu.getByLabel('请假事由').isEditable()).toBe(true);
    await checkA11y(xu, 'new-leave-wrong-date');
    await screenshot(xu, 'new-leave-wrong-date-1280');
    // Debounced: a burst of changes is one preview.
    await xu.getByLabel('请假事由').pressSequentially('家中有事', { delay: 20 });
    await xu.getByLabel('结束日期').fill('2026-12-02');
    await poll(() => days.textContent()).toBe('1.5 天');
    await poll(() => endDate.locator('.field-error').isHidden()).toBe(true);
    expect(previews.length - sentBefore, 'previews for a date, four characters of free text typed and a date').toBeLessThanOrEqual(2);

    // The preview failing after a good answer: the old figure goes rather than stand wrong.
    const previewUrl = (url: URL) => url.pathname === '/api/definitions/leave/preview';
    await xu.route(previewUrl, (route) => route.fulfill(unavailable));
    await xu.getByLabel('结束日期').fill('2026-12-03');
    await poll(() => days.textContent()).toBe('—');
    expect(await xu.locator('.request-process').textContent()).toContain('暂时无法显示流程');
    await xu.unroute(previewUrl);
    forgive(xu, '/api/definitions/leave/preview');
    await xu.getByLabel('结束日期').fill('2026-12-02');
    await poll(() => days.textContent()).toBe('1.5 天');

    // On a phone: the halves beside the dates stay usable, the steps below the form.
    await xu.setViewportSize(PHONE);
    expect(await xu.evaluate(smallTargets(44)), 'small targets on the leave form on a phone').toEqual([]);
    await checkA11y(xu, 'new-leave-375');
    await screenshot(xu, 'new-leave-375');
    await xu.setViewportSize(DESKTOP);

    // In English: the panel, the steps and the days, with no Chinese of the page's own.
    await xu.getByRole('button', { name: 'English' }).click();
    await poll(() => xu.locator('#request-process-heading').textContent()).toBe('Who will sign');
    await poll(() => steps.locator('.step-name').allTextContents()).toEqual(['Section head approves', 'Deputy in charge approves', 'To the office for attendance']);
    await poll(() => xu.getByLabel('Days').textContent()).toBe('1.5 days');
    expect(await xu.locator('[data-field="startHalf"] legend').textContent()).toBe('Starting');
    expect(await xu.locator('.field-choices .choice').allTextContents()).toEqual([' Morning', ' Afternoon', ' Morning', ' Afternoon']);
    await checkA11y(xu, 'new-leave-en');
    await xu.getByRole('button', { name: '中文' }).click();
    await poll(() => xu.locator('#request-process-heading').textContent()).toBe('办理流程');
    await xu.getByRole('button', { name: '提交' }).click();
    await xu.waitForURL(/\/cases\//);
    const id = caseIdOf(xu);
    await poll(async () => (await api.get('xu-liang', `/api/cases/${id}`)).body.fields).toMatchObject({ days: 1.5, startHalf: 'pm', endHalf: 'pm' });
    expect(pageProblems(xu)).toEqual([]);
  });

  it('a 科长 keeps his own 常用意见 in the editor (add, check, move, save) and puts one in the opinion box with one click; the approval’s trail shows it', async () => {
    const leave = await api.open('xu-liang', 'leave', '请假一天（办理证件）', { leaveType: 'personal', startDate: '2026-12-04', endDate: '2026-12-04', reason: '办理证件' });
    await api.until('xu-liang', leave.id, (c) => c.currentStep === 'section-head', 'the section head');
    const zhou = await as('zhou-tao');
    // His opinions cannot be read: the editor is not opened empty (saving it would lose them all).
    const opinionsUrl = (url: URL) => url.pathname === '/api/me/opinions';
    const keptBefore = (await api.get('zhou-tao', '/api/me/opinions')).body;
    await zhou.route(opinionsUrl, (route) => (route.request().method() === 'GET' ? route.fulfill(unavailable) : route.continue()));
    await visit(zhou, `/cases/${leave.id}`);
    await zhou.locator('[data-action="approve"]').click();
    const form = zhou.locator('.action-form[data-form="approve"]');
    const box = form.getByLabel('意见');
    const manage = form.getByRole('button', { name: '管理常用意见' });
    await manage.click();
    await poll(() => form.locator('.opinion-problem .notice-error').textContent()).toMatch(/^暂时无法读取您的常用意见/);
    expect(await zhou.getByRole('dialog').count()).toBe(0);
    expect((await api.get('zhou-tao', '/api/me/opinions')).body).toEqual(keptBefore);
    await zhou.unroute(opinionsUrl);
    forgive(zhou, '/api/me/opinions');
    // Read once they can be: the editor opens with them, and the row shows them.
    await manage.click();
    const dialog = zhou.getByRole('dialog', { name: '常用意见' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('textbox').first().inputValue()).toBe('同意。');
    // The editor: a modal dialog, closed by Escape with the focus back on the way in.
    await zhou.keyboard.press('Escape');
    // The dialog is hidden when it closes, and its close event (which moves the focus) comes a task later.
    await poll(() => dialog.count()).toBe(0);
    await poll(() => zhou.evaluate('document.activeElement?.textContent')).toBe('管理常用意见');
    // The usual ones for a section head until he keeps his own.
    await poll(() => form.locator('.opinion-chip').allTextContents()).toEqual(expect.arrayContaining(['同意。', '拟同意，请××审定。']));
    // One click: the whole box when empty, at the cursor otherwise.
    await form.locator('.opinion-chip', { hasText: /^同意。$/ }).click();
    expect(await box.inputValue()).toBe('同意。');
    await box.evaluate((el) => (el as unknown as { setSelectionRange(from: number, to: number): void }).setSelectionRange(0, 0));
    await form.locator('.opinion-chip', { hasText: /^已办结。$/ }).click();
    expect(await box.inputValue()).toBe('已办结。同意。');
    // A placeholder (××) comes selected, to be typed over with the name.
    await box.fill('');
    await form.locator('.opinion-chip', { hasText: '拟同意，请××审定。' }).click();
    expect(await box.evaluate((el) => { const b = el as unknown as { selectionStart: number; selectionEnd: number }; return [b.selectionStart, b.selectionEnd]; })).toEqual([5, 7]);
    // What is typed in the box stays through a save of the opinions.
    await box.fill('草稿，未完。');

    await manage.click();
    const inputs = dialog.getByRole('textbox');
    const before = await inputs.count();
    await dialog.getByRole('button', { name: '添加一条' }).click();
    // Written with a hidden direction mark (as pasted from elsewhere): the API's words, beside that line.
    await inputs.nth(before).fill('拟同意，请李局长审定。\u202e');
    await dialog.getByRole('button', { name: '保存' }).click();
    const error = dialog.locator('.opinion-editor-item').nth(before).locator('.field-error');
    await poll(() => error.textContent()).toMatch(/^常用意见/);
    expect(await inputs.nth(before).getAttribute('aria-invalid')).toBe('true');
    await checkA11y(zhou, 'opinion-editor');
    await screenshot(zhou, 'opinion-editor-1280');
    await inputs.nth(before).fill('拟同意，请李局长审定。');
    // Moved to the top by keyboard: 上移 keeps the focus on the line moved.
    for (let i = before; i > 0; i--) await dialog.getByRole('button', { name: `上移 第 ${i + 1} 条` }).click();
    expect(await inputs.first().inputValue()).toBe('拟同意，请李局长审定。');
    // Its error went with it (said until the next save).
    expect(await dialog.locator('.opinion-editor-item').first().locator('.field-error').textContent()).toMatch(/^常用意见/);
    await dialog.getByRole('button', { name: '删除 第 2 条' }).click();
    expect(await inputs.count()).toBe(before);
    await dialog.getByRole('button', { name: '保存' }).click();
    await poll(() => dialog.count()).toBe(0);
    const kept = (await api.get('zhou-tao', '/api/me/opinions')).body;
    expect(kept.own).toBe(true);
    expect(kept.items[0]).toBe('拟同意，请李局长审定。');
    expect(kept.items).not.toContain('同意。');
    await poll(() => zhou.locator('.status-area .notice-success').textContent()).toBe('常用意见已保存。');
    // Shown in place: the row has the saved ones, the box what was typed, the focus its way in.
    expect(await form.locator('.opinion-chip').first().textContent()).toBe('拟同意，请李局长审定。');
    expect(await box.inputValue()).toBe('草稿，未完。');
    await poll(() => zhou.evaluate('document.activeElement?.textContent')).toBe('管理常用意见');
    // Every line deleted, one by one: the focus lands on 添加一条, not lost; cancelled, nothing kept changes.
    await manage.click();
    await poll(() => dialog.isVisible()).toBe(true);
    for (let n = await inputs.count(); n > 0; n--) await dialog.getByRole('button', { name: '删除 第 1 条' }).click();
    expect(await zhou.evaluate('document.activeElement?.textContent')).toBe('添加一条');
    await dialog.getByRole('button', { name: '取消' }).click();
    await poll(() => dialog.count()).toBe(0);

    // One click and the decision: the trail shows his words.
    await approveOnPage(zhou, (f) => f.locator('.opinion-chip', { hasText: '拟同意，请李局长审定。' }).click());
    await poll(() => zhou.locator('#case-trail').textContent()).toContain('拟同意，请李局长审定。');
    const trail = (await api.get('xu-liang', `/api/cases/${leave.id}`)).body.trail as { action: string; comment?: string }[];
    expect(trail.find((e) => e.action === 'approve')?.comment).toBe('拟同意，请李局长审定。');
    await checkA11y(zhou, 'case-opinion-approved');
    // On a phone: the row wraps, each opinion a whole target.
    await zhou.setViewportSize(PHONE);
    await visit(zhou, '/');
    const another = await api.open('xu-liang', 'leave', '请假一天（手机上审批）', { leaveType: 'personal', startDate: '2026-12-10', endDate: '2026-12-10', reason: '事' });
    await api.until('xu-liang', another.id, (c) => c.currentStep === 'section-head', 'the section head');
    await visit(zhou, `/cases/${another.id}`);
    await zhou.locator('[data-action="approve"]').click();
    await poll(() => zhou.locator('.action-form .opinion-chip').first().textContent()).toBe('拟同意，请李局长审定。');
    expect(await zhou.evaluate(smallTargets(44)), 'small targets with the opinions on a phone').toEqual([]);
    await checkA11y(zhou, 'case-opinions-375');
    await screenshot(zhou, 'case-opinions-375');
    expect(pageProblems(zhou)).toEqual([]);
  });

  it('a case page greys the steps that will not come (不经过) and words its due time in the chosen language, weekend days included', async () => {
    // Friday 27 November, 10:00: a one-day leave's section head is due Monday, the weekend passed over.
    await clock.set(Date.parse('2026-11-27T02:00:00Z'));
    const leave = await api.open('ma-chao', 'leave', '请假一天（周五提交）', { leaveType: 'personal', startDate: '2026-12-08', endDate: '2026-12-08', reason: '事' });
    await api.until('ma-chao', leave.id, (c) => c.currentStep === 'section-head', 'the section head');
    const ma = await as('ma-chao');
    await visit(ma, `/cases/${leave.id}`);
    const process = ma.locator('#case-process');
    await poll(() => process.locator('.step-skipped .step-name').allTextContents()).toEqual(['分管领导审批', '局长审批']);
    expect(await process.locator('.step-skipped .step-state').first().textContent()).toBe('不经过');
    const due = ma.locator('#case-due');
    await poll(() => due.locator('.skipped li').allTextContents()).toEqual(['2026-11-28：周六', '2026-11-29：周日']);
    expect(await due.locator('dd').first().textContent()).toBe('1 个工作日');
    await checkA11y(ma, 'case-skipped-steps');
    await screenshot(ma, 'case-skipped-1280');
    await ma.getByRole('button', { name: 'English' }).click();
    await poll(() => due.locator('h2').textContent()).toBe('Due');
    expect(await process.locator('.step-skipped .step-state').first().textContent()).toBe('not needed');
    expect(await due.locator('dd').first().textContent()).toBe('1 working day');
    expect(await due.locator('.skipped li').allTextContents()).toEqual(['2026-11-28: Saturday', '2026-11-29: Sunday']);
    expect(await due.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    await checkA11y(ma, 'case-skipped-steps-en');
    await ma.getByRole('button', { name: '中文' }).click();
    await poll(() => due.locator('h2').textContent()).toBe('办理期限');
    expect(pageProblems(ma)).toEqual([]);
  });

  it('the office director chases overdue work from the board (催办): the line says 已催办 with the time and counts it; chased again within the hour, the case page says when to try again', async () => {
    // Tuesday 1 December, 10:00: the leave sent on Friday waited on its section head since Monday.
    await clock.set(Date.parse('2026-12-01T02:00:00Z'));
    const late = (await api.get('ma-chao', '/api/cases?mine=true')).body.items.find((c: { title: string }) => c.title === '请假一天（周五提交）') as { id: string };
    const line = async () => ((await api.get('chen-zhiqiang', '/api/overdue')).body.items as { caseId: string; chases: number; canChase: boolean }[]).find((l) => l.caseId === late.id);
    await poll(async () => (await line())?.canChase).toBe(true);
    const chasesBefore = (await line())!.chases;

    const director = await as('chen-zhiqiang');
    await visit(director, '/dashboard');
    const row = director.locator('.overdue-table tr', { has: director.locator(`a[href="/cases/${late.id}"]`) });
    await poll(() => row.count()).toBe(1);
    expect(await row.locator('.chase-count').textContent()).toBe(String(chasesBefore));
    await checkA11y(director, 'board-chase');
    // The 催办 column is not printed, its head included.
    expect(await director.locator('.overdue-table th.no-print').textContent()).toBe('催办');
    // The case changed under the board and the board cannot be read again: said, the button usable.
    const actionsUrl = (url: URL) => url.pathname === `/api/cases/${late.id}/actions`;
    const overdueUrl = (url: URL) => url.pathname === '/api/overdue';
    await director.route(actionsUrl, (route) => route.fulfill({ status: 409, json: { error: { code: 'stale-version', message: '此件已有变化。The case changed.' } } }));
    await director.route(overdueUrl, (route) => route.fulfill(unavailable));
    await row.getByRole('button', { name: /^催办/ }).click();
    await poll(() => row.locator('.notice-error').count()).toBe(1);
    expect(await row.getByRole('button', { name: /^催办/ }).isEnabled()).toBe(true);
    forgive(director, '/api/overdue');
    // Read again, the line is off the board: the case has moved on, nothing to chase.
    await director.unroute(overdueUrl);
    await director.route(overdueUrl, (route) => route.fulfill({ json: { departments: [], items: [] } }));
    await row.getByRole('button', { name: /^催办/ }).click();
    await poll(() => row.locator('.chase-moved-on').textContent()).toBe('此件已不在超期之列（已办理或转到下一环节），无需催办。');
    expect(await row.getByRole('button', { name: /^催办/ }).count()).toBe(0);
    await director.unroute(overdueUrl);
    await director.unroute(actionsUrl);
    await visit(director, '/');
    await visit(director, '/dashboard');
    await poll(() => row.getByRole('button', { name: /^催办/ }).count()).toBe(1);

    await row.getByRole('button', { name: /^催办/ }).click();
    await poll(() => row.locator('.chased').textContent()).toBe('已催办 10:00');
    // The answer takes the button's place and the focus.
    expect(await row.locator('.chased:focus').count()).toBe(1);
    expect(await row.locator('.chase-count').textContent()).toBe(String(chasesBefore + 1));
    expect((await line())!.chases).toBe(chasesBefore + 1);
    const told = (await api.get('sun-wei', '/api/notifications')).body.items.find((n: { caseId?: string; kind: string }) => n.caseId === late.id && n.kind === 'chase');
    expect(told).toBeDefined();
    await checkA11y(director, 'board-chased');
    await screenshot(director, 'board-chased-1280');
    await director.setViewportSize(PHONE);
    expect(await director.evaluate(smallTargets(44)), 'small targets on the board on a phone').toEqual([]);
    await checkA11y(director, 'board-chased-375');
    await screenshot(director, 'board-chased-375');
    await director.setViewportSize(DESKTOP);

    // On the case page, within the hour: the API's answer (429) said as a warning, the page goes on.
    await row.getByRole('link').click();
    await director.waitForURL(new RegExp(`/cases/${late.id}$`));
    await director.locator('[data-action="chase"]').click();
    // A chase's note takes no usual opinions.
    expect(await director.locator('[data-form="chase"] .opinion-row').count()).toBe(0);
    await director.locator('[data-submit="chase"]').click();
    const warning = director.locator('.action-form .notice-warning');
    await poll(() => warning.textContent()).toMatch(/^此件刚催办过，请 \d+ 分钟后再催。$/);
    expect(await director.locator('.action-form .notice-error').count()).toBe(0);
    expect((await line())!.chases).toBe(chasesBefore + 1);
    expect(await director.locator('.last-chase').textContent()).toBe('已催办 2026/12/01 10:00 · 陈志强');
    await checkA11y(director, 'case-chase-too-soon');
    await screenshot(director, 'case-chase-too-soon-1280');
    // The board read afresh still says it was chased, and when, instead of offering the button.
    await visit(director, '/dashboard');
    await poll(() => row.locator('.chased').textContent()).toBe('已催办 10:00');
    expect(await row.getByRole('button', { name: /^催办/ }).count()).toBe(0);
    expect(pages.flatMap(pageProblems)).toEqual([]);
  });
});
