/**
 * 收文 through the web form, each step by its own person: the clerk registers an incoming
 * document with its scan uploaded from the page, the office director proposes who handles it
 * (拟办), the head instructs (批办), the finance section handles it (承办), the clerk closes it and
 * it is filed (归档); then the routing slip and the register as they print.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { ManualClock } from '../../local/clock.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, caseIdOf, approveOnPage, checkA11y, givenBrowser, pageProblems, pick, poll, screenshot, signedIn } from './support.ts';

const scan = Buffer.concat([Buffer.from('%PDF-1.7\n% 市财政局关于做好年终决算工作的通知（扫描件）\n'), Buffer.alloc(400_000, 0x20), Buffer.from('\n%%EOF\n')]);
/**
 * A working Monday morning in China, on the system's and the browsers' clocks: the same-day
 * registration is not yet due, whatever the time of day the test runs (after 17:30 it would be
 * chased at once, and each chase changes the case under the person deciding).
 */
const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');
const day = (offset: number) => new Date(MONDAY_9AM + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

/** Opens the case from the person's inbox and decides on the current step with the values given. */
async function decide(page: Page, id: string, fill: (form: Locator) => Promise<void>) {
  await poll(() => page.locator(`tr[data-case="${id}"]`).count()).toBe(1);
  await page.locator(`tr[data-case="${id}"] a`).first().click();
  await page.waitForURL(new RegExp(`/cases/${id}$`));
  await poll(() => page.locator('[data-action="approve"]').count()).toBe(1);
  await checkA11y(page, 'case');
  await approveOnPage(page, fill);
}

describe('an incoming document through the web form', () => {
  const clock = new ManualClock(MONDAY_9AM);
  const as = (user: string) => signedIn(browser, base, user, { now: clock.now() });
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    [system, browser] = await Promise.all([givenLocalSystem({ ports: ALL_FREE, clock }), givenBrowser()]);
    base = system.urls.api;
    api = apiClient(base);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('is registered with its scan by the clerk, proposed, instructed, handled, closed and filed', async () => {
    expect((await api.get('liu-fang', '/api/definitions')).body.items.map((d: { type: string }) => d.type)).toContain('incoming-document');

    // 刘芳 (clerk) registers it and drops the scan on the form.
    const clerk = await as('liu-fang');
    await clerk.getByRole('link', { name: '新建申请' }).click();
    await checkA11y(clerk, 'new-request-choose');
    await clerk.getByRole('link', { name: /^收文/ }).click();
    await poll(() => clerk.getByLabel('来文单位').count()).toBe(1);
    await checkA11y(clerk, 'new-request-incoming');
    await clerk.getByLabel('标题').fill('市财政局关于做好2026年度决算工作的通知');
    await clerk.getByLabel('来文单位').fill('示范市财政局');
    await clerk.getByLabel('来文字号').fill('示财发〔2026〕88号');
    await clerk.getByLabel('收文日期').fill(day(0));
    await clerk.getByLabel('来文类别').selectOption('superior');
    await clerk.getByLabel('紧急程度').selectOption('normal');
    await clerk.getByLabel('密级').selectOption('internal');
    await clerk.getByLabel('份数').fill('2');
    await clerk.getByLabel('内容摘要').fill('要求各单位于年底前完成决算报表编制。');
    await clerk.locator('.drop-zone input[type="file"]').setInputFiles({ name: '来文扫描件.pdf', mimeType: 'application/pdf', buffer: scan });
    await poll(() => clerk.locator('.upload-list .file-name').textContent()).toBe('来文扫描件.pdf');
    await clerk.getByRole('button', { name: '提交' }).click();
    await clerk.waitForURL(/\/cases\//);
    const id = caseIdOf(clerk);

    // The scan goes up from the case page with its progress bar, is verified and attached.
    await poll(() => clerk.locator('.upload-item .upload-state').textContent()).toBe('已上传并通过校验');
    await poll(() => clerk.locator('.attachment .file-name').textContent()).toBe('来文扫描件.pdf');
    const attached = (await api.get('liu-fang', `/api/cases/${id}`)).body.attachments;
    expect(attached).toMatchObject([{ fileName: '来文扫描件.pdf', size: scan.length, sha256: createHash('sha256').update(scan).digest('hex') }]);
    // Opening the scan is recorded in the trail, a new version of the case: the page reads it
    // again, so her decision right after is not refused as stale.
    await api.until('liu-fang', id, (c) => c.currentStep === 'register', 'registration');
    const conflicts: string[] = [];
    clerk.on('response', (response) => response.status() === 409 && conflicts.push(response.url()));
    await clerk.getByRole('button', { name: '预览 来文扫描件.pdf' }).click();
    await poll(() => clerk.locator('.preview iframe').count()).toBe(1);
    await checkA11y(clerk, 'case-with-preview');

    // She completes the registration (收文登记).
    await poll(() => clerk.locator('[data-action="approve"]').count()).toBe(1);
    await approveOnPage(clerk);
    expect(conflicts).toEqual([]);
    await api.until('liu-fang', id, (c) => c.currentStep === 'propose', 'the proposal');

    // 陈志强 (office director) proposes: the finance section leads, answer within ten days, for the head.
    const director = await as('chen-zhiqiang');
    await decide(director, id, async (form) => {
      await pick(form, '承办科室', '计划', '计划财务科');
      await pick(form, '牵头科室', '财务', '计划财务科');
      await form.locator('[data-field="dueDate"] input').fill(day(10));
      await form.locator('[data-field="proposal"] textarea').fill(`拟请计划财务科牵头，于${day(10)}前办复。`);
      await form.locator('[data-field="toHead"] input').check();
    });
    await api.until('chen-zhiqiang', id, (c) => c.currentStep === 'instruct-head', 'the head’s instruction');

    // 王建国 (head) instructs; the proposal's departments and date are already filled in.
    const head = await as('wang-jianguo');
    await decide(head, id, async (form) => {
      expect(await form.locator('[data-field="handlingDepartments"] .picker-chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-value')))).toEqual(['finance']);
      expect(await form.getByRole('combobox', { name: '牵头科室' }).inputValue()).toBe('计划财务科');
      await form.locator('[data-field="instruction"] textarea').fill('同意拟办意见，请周涛同志抓紧落实。');
    });
    await api.until('wang-jianguo', id, (c) => c.currentStep === 'handle', 'handling');

    // 周涛 (finance section head) handles it and records the result.
    const finance = await as('zhou-tao');
    await decide(finance, id, async (form) => {
      await form.locator('[data-field="handlingProcess"] textarea').fill('已组织科室完成决算报表编制并经分管领导审核。');
      await form.locator('[data-field="handlingResult"] textarea').fill('已按期报送市财政局。');
    });
    await api.until('zhou-tao', id, (c) => c.currentStep === 'close', 'closing');

    // 刘芳 closes it (办结); it is filed (归档).
    await clerk.goto(`${base}/`);
    await decide(clerk, id, async () => {});
    const filed = await api.until('liu-fang', id, (c) => c.status === 'completed' && c.filedAt !== undefined, 'filed');
    expect(filed.trail.filter((t: { action: string }) => t.action === 'approve').map((t: { actorName: string }) => t.actorName)).toEqual(['刘芳', '陈志强', '王建国', '周涛', '刘芳']);

    // The routing slip carries every opinion, and prints on its own.
    await clerk.reload();
    const slip = clerk.locator('#routing-slip');
    await poll(() => slip.textContent()).toContain('同意拟办意见，请周涛同志抓紧落实。');
    for (const text of [`拟请计划财务科牵头，于${day(10)}前办复。`, '已按期报送市财政局。', '示范市财政局']) expect(await slip.textContent()).toContain(text);
    await poll(() => clerk.locator('.case-meta .status').textContent()).toBe('已办结');
    await checkA11y(clerk, 'case-completed');
    await screenshot(clerk, 'case-incoming-1280');
    await clerk.evaluate("document.body.classList.add('print-slip')");
    await clerk.emulateMedia({ media: 'print' });
    // On paper: the slip alone, without the site's header, the side panels or the rest of the case.
    for (const hidden of ['.site-header', '.case-side', '.case-head', '#case-fields', '#case-attachments', '#case-trail', '#routing-slip button']) {
      expect(await clerk.locator(hidden).first().isHidden(), `${hidden} is not printed`).toBe(true);
    }
    expect(await clerk.locator('#routing-slip .slip').isVisible()).toBe(true);
    expect(await clerk.locator('#routing-slip .slip-org').textContent()).not.toBe('');
    await screenshot(clerk, 'routing-slip-print');
    await clerk.emulateMedia({ media: 'screen' });
    await clerk.evaluate("document.body.classList.remove('print-slip')");

    // It is in the incoming register (收文登记).
    await clerk.goto(`${base}/registers/incoming-document`);
    await poll(() => clerk.locator('h1').textContent()).toBe('收文登记');
    await poll(() => clerk.locator('.register-table').textContent()).toContain('示范市财政局');
    await checkA11y(clerk, 'register');
    await screenshot(clerk, 'register-incoming-1280');
    await clerk.emulateMedia({ media: 'print' });
    for (const hidden of ['.site-header', '.filters', '.toolbar']) expect(await clerk.locator(hidden).first().isHidden(), `${hidden} is not printed`).toBe(true);
    expect(await clerk.locator('.register-table').isVisible()).toBe(true);
    expect(await clerk.locator('.register-scope').isVisible()).toBe(true);
    await screenshot(clerk, 'register-incoming-print');

    expect([...pageProblems(clerk), ...pageProblems(director), ...pageProblems(head), ...pageProblems(finance)]).toEqual([]);
  });
});
