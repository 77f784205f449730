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
import { ALL_FREE, DESKTOP, PHONE, approveOnPage, caseIdOf, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn, visit } from './support.ts';

// Monday 23 November 2026, 09:00 in China.
const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');

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
    // Two days: the section head and the deputy in charge sign; the head does not.
    await poll(() => steps.locator('.step-name').allTextContents()).toEqual(['科长审批', '分管领导审批', '交办公室考勤']);
    expect(await xu.locator('.request-process [data-step="section-head"] .step-state').textContent()).toBe('周涛');
    expect(await xu.locator('.request-process [data-step="deputy"] .step-state').textContent()).toBe('李明华');
    await checkA11y(xu, 'new-leave-preview');
    await screenshot(xu, 'new-leave-2-days-1280');

    // The afternoon of the first day: one and a half days.
    await xu.locator('[data-field="startHalf"]').getByLabel('下午').check();
    await poll(() => days.textContent()).toBe('1.5 天');
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
    expect(previews.length - sentBefore, 'previews for a date, four characters typed and a date').toBeLessThanOrEqual(4);

    // On a phone: the halves beside the dates stay usable, the steps below the form.
    await xu.setViewportSize(PHONE);
    await checkA11y(xu, 'new-leave-375');
    await screenshot(xu, 'new-leave-375');
    await xu.setViewportSize(DESKTOP);

    await xu.getByRole('button', { name: '提交' }).click();
    await xu.waitForURL(/\/cases\//);
    const id = caseIdOf(xu);
    await poll(async () => (await api.get('xu-liang', `/api/cases/${id}`)).body.fields).toMatchObject({ days: 1.5, startHalf: 'pm', endHalf: 'pm' });
    expect(pageProblems(xu)).toEqual([]);
  });
});
