/**
 * The web form in headless Chromium against the whole local system: a leave request through its
 * approvals, a form that refuses bad input without sending it, a secret case kept from a leader,
 * and the overdue dashboard. Each step is a different demo person in their own browser context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../local/clock.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, DESKTOP, PHONE, caseIdOf, approveOnPage, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn } from './support.ts';

describe('the web form: requests and approvals', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;
  // The system's clock, from a working Monday at 19:00 in China (so nothing depends on when the
  // test runs), moved on to make work overdue; each browser is set to it. Three days on, Thursday
  // 19:00: the first leave (due Tuesday 17:30) is two days overdue, a new one (due Friday 17:30) due soon.
  const clock = new ManualClock(Date.parse('2026-11-23T11:00:00Z'));
  const as = (user: string, viewport = DESKTOP) => signedIn(browser, base, user, { viewport, now: clock.now() });

  beforeAll(async () => {
    [system, browser] = await Promise.all([givenLocalSystem({ ports: ALL_FREE, clock }), givenBrowser()]);
    base = system.urls.api;
    api = apiClient(base);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('a two-day leave asked for on the form is approved by the section head from the inbox, then lands in the deputy’s inbox and is approved there', async () => {
    // 徐亮 (staff, finance) fills in the generated form.
    const xu = await as('xu-liang');
    await xu.getByRole('link', { name: '新建申请' }).click();
    await checkA11y(xu, 'new-request-choose');
    await xu.getByRole('link', { name: /^请假/ }).click();
    await poll(() => xu.getByLabel('请假类别').count()).toBe(1);
    await checkA11y(xu, 'new-request-leave');
    await xu.getByLabel('标题').fill('请假两天（家中有事）');
    await xu.getByLabel('请假类别').selectOption('personal');
    await xu.getByLabel('开始日期').fill('2026-12-01');
    await xu.getByLabel('结束日期').fill('2026-12-02');
    // 天数 is worked out from the dates, not typed.
    await poll(() => xu.getByLabel('天数').textContent()).toBe('2 天');
    await xu.getByLabel('请假事由').fill('家中有事，需回老家处理。');
    await xu.getByRole('button', { name: '提交' }).click();
    await xu.waitForURL(/\/cases\//);
    const id = caseIdOf(xu);
    await poll(() => xu.locator('h1').textContent()).toBe('请假两天（家中有事）');
    await poll(() => xu.locator('.process [aria-current="step"] .step-name').textContent()).toBe('科长审批');
    await checkA11y(xu, 'case-submitted');
    expect(pageProblems(xu)).toEqual([]);

    // 周涛 (section head) ticks it in his inbox and approves it with the batch button.
    const zhou = await as('zhou-tao');
    const row = zhou.locator(`tr[data-case="${id}"]`);
    await poll(() => row.count()).toBe(1);
    await row.getByRole('checkbox').check();
    zhou.once('dialog', (dialog) => void dialog.accept());
    await zhou.getByRole('button', { name: /批量同意/ }).click();
    await poll(() => zhou.locator('.notice-success').textContent()).toContain('已同意 1 件');
    await checkA11y(zhou, 'inbox-after-batch');
    await api.until('xu-liang', id, (c) => c.currentStep === 'deputy', 'the deputy’s step');

    // Three days later it is overdue; a second leave has just reached the deputy.
    await clock.advance(3 * 86_400_000);
    const second = await api.open('xu-liang', 'leave', '请假三天（陪护家人）', { leaveType: 'personal', startDate: '2026-12-07', endDate: '2026-12-09', days: 3, reason: '家人住院陪护' });
    await api.act('zhou-tao', second.id, { action: 'approve', comment: '同意' });
    await api.until('xu-liang', second.id, (c) => c.currentStep === 'deputy', 'the deputy’s step');

    // 李明华 (deputy in charge of finance) finds it in his inbox, soonest due first, and approves it on the case page.
    const li = await as('li-minghua');
    await poll(() => li.locator(`tr[data-case="${id}"]`).count()).toBe(1);
    // Soonest due first: the overdue one on top, in red with its days; the other due soon.
    expect(await li.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')))).toEqual([id, second.id]);
    // Days overdue as the API counts them (a day begun counts as one), the same on the board and in digests.
    const task = ((await api.get('li-minghua', '/api/tasks?limit=100')).body.items as { caseId: string; daysOverdue: number }[]).find((x) => x.caseId === id)!;
    expect(task.daysOverdue).toBeGreaterThanOrEqual(2);
    expect(await li.locator(`tr[data-case="${id}"] .badge-overdue`).textContent()).toBe(`超期 ${task.daysOverdue} 天`);
    expect(await li.locator(`tr[data-case="${second.id}"] .badge-soon`).textContent()).toBe('即将到期');
    await screenshot(li, 'inbox-1280');
    // The same inbox on his phone.
    await li.setViewportSize(PHONE);
    await poll(() => li.locator(`tr[data-case="${id}"]`).count()).toBe(1);
    await checkA11y(li, 'inbox-375');
    await screenshot(li, 'inbox-375');
    await li.setViewportSize(DESKTOP);
    await li.locator(`tr[data-case="${id}"] a`).first().click();
    await li.waitForURL(new RegExp(`/cases/${id}$`));
    await poll(() => li.locator('.process [aria-current="step"] .step-name').textContent()).toBe('分管领导审批');
    await checkA11y(li, 'case-to-approve');
    await approveOnPage(li, (form) => form.getByLabel('意见').fill('同意，注意做好工作交接。'));
    const done = await api.until('xu-liang', id, (c) => c.status === 'completed', 'completed');
    expect(done.trail.filter((t: { action: string }) => t.action === 'approve').map((t: { actorName: string }) => t.actorName)).toEqual(['周涛', '李明华']);

    // The applicant sees it completed, with both opinions on the routing slip.
    await xu.reload();
    await poll(() => xu.locator('.case-meta .status').textContent()).toBe('已办结');
    await poll(() => xu.locator('#routing-slip').textContent()).toContain('同意，注意做好工作交接。');
    await checkA11y(xu, 'case-completed');
    await screenshot(xu, 'case-leave-1280');
    // And on the applicant's phone.
    await xu.setViewportSize(PHONE);
    await poll(() => xu.locator('h1').textContent()).toBe('请假两天（家中有事）');
    await checkA11y(xu, 'case-375');
    await screenshot(xu, 'case-leave-375');
    expect([...pageProblems(xu), ...pageProblems(zhou), ...pageProblems(li)]).toEqual([]);
  });

  it('an invalid form shows each field’s error where the field is and sends nothing', async () => {
    const before = (await api.get('ma-chao', '/api/cases?mine=true&limit=100')).body.items.length;
    const ma = await as('ma-chao');
    const posted: string[] = [];
    ma.on('request', (request) => request.method() === 'POST' && request.url().endsWith('/api/cases') && posted.push(request.url()));
    await ma.goto(`${base}/new/leave`);
    await ma.getByLabel('标题').fill('请假（日期填错）');
    await ma.getByLabel('请假类别').selectOption('sick');
    await ma.getByLabel('开始日期').fill('2026-12-09');
    await ma.getByLabel('结束日期').fill('2026-12-07');
    await ma.getByRole('button', { name: '提交' }).click();

    // A required field left empty is named; the summary takes the focus and links to it.
    const reason = ma.locator('[data-field="reason"]');
    await poll(() => reason.locator('.field-error').textContent()).toBe('请填写请假事由。');
    expect(await reason.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    expect(await ma.locator('.error-summary').isVisible()).toBe(true);
    expect(await ma.evaluate("document.activeElement?.classList.contains('error-summary')")).toBe(true);
    await checkA11y(ma, 'new-request-errors');
    await screenshot(ma, 'new-request-errors-1280');

    // With the fields filled in, the API's own cross-field rule and words, on the field it names.
    await ma.getByLabel('请假事由').fill('发烧，需休息。');
    await ma.getByRole('button', { name: '提交' }).click();
    const endDate = ma.locator('[data-field="endDate"]');
    await poll(() => endDate.locator('.field-error').textContent()).toBe('结束日期不能早于开始日期。');
    expect(await endDate.locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await reason.locator('.field-error').isHidden()).toBe(true);

    // Fixing a field clears its message as you type; still nothing was sent.
    await ma.getByLabel('结束日期').fill('2026-12-10');
    await poll(() => endDate.locator('.field-error').isHidden()).toBe(true);
    expect(posted).toEqual([]);
    expect((await api.get('ma-chao', '/api/cases?mine=true&limit=100')).body.items.length).toBe(before);

    // The draft stays on this device: leaving and coming back brings it back.
    await ma.goto(`${base}/`);
    await ma.goto(`${base}/new/leave`);
    await poll(() => ma.getByLabel('标题').inputValue()).toBe('请假（日期填错）');
    expect(await ma.locator('.notice-info').textContent()).toContain('已恢复');
  });

  it('a leader not involved in a secret document is told clearly that he cannot open it', async () => {
    const secret = await api.open('xu-liang', 'outgoing-document', '关于某专项工作的请示（秘密）', {
      docKind: '字',
      mainRecipients: '市机关事务管理局',
      urgency: 'normal',
      confidentiality: 'secret',
      coDepartments: [],
    });
    const head = await as('wang-jianguo');
    await head.goto(`${base}/cases/${secret.id}`);
    await poll(() => head.locator('h1').textContent()).toBe('无法打开此件');
    expect(await head.locator('[role="alert"]').textContent()).toBe('没有这个件，或者您无权查阅。涉密文件仅限经办人和机要员查阅。如需查阅，请联系机要员。');
    expect(await head.locator('body').textContent()).not.toContain('专项工作');
    await checkA11y(head, 'case-refused');
    await screenshot(head, 'case-secret-refused');
    // The confidential clerk opens it.
    const clerk = await as('yang-jing');
    await clerk.goto(`${base}/cases/${secret.id}`);
    await poll(() => clerk.locator('h1').textContent()).toBe('关于某专项工作的请示（秘密）');
    await checkA11y(clerk, 'case-secret');
  });

  it('the overdue dashboard shows the overdue leave with its days and its department’s count, and the leave register lists the leaves, in Chinese or English', async () => {
    // On to the following Tuesday 19:00: the second leave, due Friday 17:30 at the deputy, is overdue.
    await clock.advance(5 * 86_400_000);
    const overdue = (await api.get('chen-zhiqiang', '/api/overdue')).body as { items: { title: string; department: string; daysOverdue: number }[]; departments: { department: string; name: string | { zh: string }; count: number }[] };
    const late = overdue.items.find((i) => i.title === '请假三天（陪护家人）')!;
    expect(late.daysOverdue).toBeGreaterThan(0);
    const department = overdue.departments.find((d) => d.department === late.department)!;
    expect(department.count).toBeGreaterThan(0);

    const director = await as('chen-zhiqiang');
    await director.getByRole('link', { name: '超期督办' }).click();
    await poll(() => director.locator('h1').textContent()).toBe('超期督办');
    const row = director.locator('#overdue .overdue-table tbody tr', { hasText: '请假三天（陪护家人）' });
    await poll(() => row.count()).toBe(1);
    expect(await row.locator('.badge-overdue').textContent()).toBe(`超期 ${late.daysOverdue} 天`);
    const departmentName = typeof department.name === 'string' ? department.name : department.name.zh;
    const chip = director.locator('#overdue .dept-chip', { hasText: departmentName });
    expect(await chip.locator('.count').textContent()).toBe(String(department.count));
    expect(await director.locator('.notice-error').count()).toBe(0);
    await checkA11y(director, 'dashboard');
    await screenshot(director, 'dashboard-1280');

    await director.getByRole('link', { name: '登记簿' }).click();
    await poll(() => director.locator('h1').textContent()).toBe('登记簿');
    await checkA11y(director, 'registers');
    await director.locator('.process-list a[href="/registers/leave"]').click();
    const leaves = director.locator('.register-table tbody tr');
    await poll(() => leaves.count()).toBeGreaterThanOrEqual(2);
    for (const title of ['请假两天（家中有事）', '请假三天（陪护家人）']) expect(await director.locator('.register-table').textContent()).toContain(title);
    expect(await director.locator('.notice-error').count()).toBe(0);
    await checkA11y(director, 'register');
    await director.getByRole('button', { name: 'English' }).click();
    await poll(() => director.locator('h1').textContent()).toBe('Leave register');
    expect(await director.evaluate('document.documentElement.lang')).toBe('en');
    await checkA11y(director, 'register-en');
    expect(pageProblems(director)).toEqual([]);
  });
});
