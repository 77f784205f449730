/**
 * Paper the office recognises, and words it can read: an ordinary 收文 prints its 文件批办单 on one
 * A4 page in the paper form's layout, every opinion signed and dated once; the incoming register
 * prints landscape with its title and a header row on every page and each line opens its case; the
 * 拟办 form has one opinion box; English shows no Chinese, no code names, and the other way round;
 * an unknown address is the app's own "页面不存在" page.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../local/clock.ts';
import { loadPdfjs } from '../../functions/adapters/files/pdfjs.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, ARTIFACTS, approveOnPage, checkA11y, givenBrowser, pageProblems, pdfPages, pick, poll, screenshot, signedIn, visit } from './support.ts';

/** A Friday morning in China: a one-working-day deadline set now passes over the weekend. */
const FRIDAY_9AM = Date.parse('2026-11-20T01:00:00Z');
const A4_PORTRAIT = { width: 794, height: 1123 };
/** The printable width of A4 landscape with the register's 10 mm margins, at 96 px an inch. */
const A4_LANDSCAPE_CONTENT = { width: 1047, height: 718 };

const incoming = (n: number) => ({
  fromOrg: n === 0 ? '示范市财政局' : `示范市第${n}局`,
  docNumber: n === 0 ? '示财发〔2026〕88号' : `示${n}发〔2026〕${n}号`,
  receivedOn: '2026-11-20',
  docCategory: 'superior',
  urgency: 'normal',
  confidentiality: 'internal',
  copies: 2,
  summary: '要求各单位于年底前完成决算报表编制。',
});

describe('paper the office recognises, in words it reads', () => {
  const clock = new ManualClock(FRIDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;
  const as = (user: string, viewport = { width: 1280, height: 800 }) => signedIn(browser, base, user, { now: clock.now(), viewport });
  const pages: Page[] = [];
  /** 刘芳 (文书), signed in once for the file. */
  let clerkPage: Page | undefined;
  const theClerk = async () => {
    if (!clerkPage) pages.push((clerkPage = await as('liu-fang')));
    return clerkPage;
  };
  /** The first test's document, in the register with the others. */
  let first: { id: string; number: string } | undefined;

  beforeAll(async () => {
    [system, browser] = await Promise.all([givenLocalSystem({ ports: ALL_FREE, clock }), givenBrowser()]);
    base = system.urls.api;
    api = apiClient(base);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('an ordinary 收文 prints its routing slip on one A4 page as the paper form, each opinion once with its signer and date; 拟办 has one opinion box', async () => {
    const doc = await api.open('liu-fang', 'incoming-document', '市财政局关于做好2026年度决算工作的通知', incoming(0));
    await api.act('liu-fang', doc.id, { action: 'approve' });
    await api.until('liu-fang', doc.id, (c) => c.currentStep === 'propose', 'the proposal');

    // 陈志强 proposes on the page: the step's own opinion (拟办意见) is the only box to write in.
    const director = await as('chen-zhiqiang');
    pages.push(director);
    await visit(director, `/cases/${doc.id}`);
    await approveOnPage(director, async (form) => {
      expect(await form.locator('textarea').count(), 'one opinion box').toBe(1);
      expect(await form.getByLabel('拟办意见').count()).toBe(1);
      expect(await form.getByLabel(/^意见/).count(), 'no second comment box').toBe(0);
      await checkA11y(director, 'case-propose-form');
      await pick(form, '承办科室', '计划', '计划财务科');
      await pick(form, '牵头科室', '计划', '计划财务科');
      await form.getByLabel('办复期限').fill('2026-12-04');
      await form.getByLabel('拟办意见').fill('拟请计划财务科牵头，于2026-12-04前办复。');
      await form.getByLabel('呈局长批示').check();
    });
    await api.until('chen-zhiqiang', doc.id, (c) => c.currentStep === 'instruct-head', 'the head’s instruction');
    // The head's instruction, with a comment that only repeats its first word (as a phone app might send).
    await api.act('wang-jianguo', doc.id, { action: 'approve', comment: '同意。', fields: { instruction: '同意拟办意见，请周涛同志抓紧落实。', handlingDepartments: ['finance'], leadDepartment: 'finance', dueDate: '2026-12-04' } });
    await api.until('liu-fang', doc.id, (c) => c.currentStep === 'handle', 'handling');
    await api.act('zhou-tao', doc.id, { action: 'approve', fields: { handlingProcess: '已组织科室完成决算报表编制。', handlingResult: '已按期报送市财政局。' } });
    await api.until('liu-fang', doc.id, (c) => c.currentStep === 'close', 'closing');
    await api.act('liu-fang', doc.id, { action: 'approve' });
    const filed = await api.until('liu-fang', doc.id, (c) => c.status === 'completed' && c.filedAt !== undefined, 'filed');
    first = { id: doc.id, number: filed.number };

    const clerk = await theClerk();
    await visit(clerk, `/cases/${doc.id}`);
    const slip = clerk.locator('#routing-slip .slip');
    await poll(() => slip.locator('.slip-box').count()).toBe(4);
    await checkA11y(clerk, 'case-with-slip');
    // The paper form's rows, in its order.
    expect(await slip.locator('th').allTextContents()).toEqual(['来文单位', '来文字号', '收文编号', '收文日期', '紧急程度', '密级', '来文类别', '份数', '标题', '内容摘要', '拟办意见', '领导批示', '承办结果', '办结']);
    expect(await slip.locator('caption').textContent()).toBe('示范市机关事务管理局文件批办单');
    // Each box: the opinion, then who and when.
    const box = (label: string) => slip.locator('tr.slip-box', { has: clerk.locator('th', { hasText: new RegExp(`^${label}$`) }) });
    expect(await box('拟办意见').locator('.slip-text').allTextContents()).toEqual(['拟请计划财务科牵头，于2026-12-04前办复。']);
    expect(await box('拟办意见').locator('.slip-sign').textContent()).toBe('陈志强 2026-11-20');
    expect(await box('领导批示').locator('.slip-text').allTextContents()).toEqual(['同意拟办意见，请周涛同志抓紧落实。']);
    expect(await box('领导批示').locator('.slip-sign').textContent()).toBe('王建国 2026-11-20');
    expect(await box('承办结果').locator('.slip-text').allTextContents()).toEqual(['承办经过：已组织科室完成决算报表编制。', '办理结果：已按期报送市财政局。']);
    expect(await box('承办结果').locator('.slip-sign').textContent()).toBe('周涛 2026-11-20');
    expect(await box('办结').locator('.slip-sign').textContent()).toBe('刘芳 2026-11-20');
    const slipText = (await slip.textContent()) ?? '';
    expect(slipText).not.toMatch(/同意[：:]\s*同意/);
    expect(slipText).not.toContain('批办：');
    await screenshot(clerk, 'paper-case-slip-1280');

    // On paper: the slip alone, one A4 page, with a running header and the page number.
    await clerk.setViewportSize(A4_PORTRAIT);
    await clerk.evaluate("document.body.classList.add('print-slip')");
    await clerk.emulateMedia({ media: 'print' });
    for (const hidden of ['.site-header', '.case-side', '.case-head', '#case-fields', '#case-trail', '#routing-slip button']) expect(await clerk.locator(hidden).first().isHidden(), `${hidden} is not printed`).toBe(true);
    await screenshot(clerk, 'paper-slip-print');
    const pdf = await clerk.pdf({ format: 'A4' });
    writeFileSync(join(ARTIFACTS, 'routing-slip.pdf'), pdf);
    const printed = await pdfPages(pdf);
    expect(printed.length, 'the slip prints on one A4 page').toBe(1);
    expect(printed[0]).toContain('第 1 页，共 1 页');
    expect(printed[0]).toMatch(/^示范市机关事务管理局\s*文件批办单\s*收文〔2026〕\d+号/);
    for (const text of ['来文单位', '拟办意见', '领导批示', '承办结果', '陈志强 2026-11-20', '王建国 2026-11-20', '周涛 2026-11-20']) expect(printed[0]).toContain(text);
    await clerk.emulateMedia({ media: 'screen' });
    await clerk.setViewportSize({ width: 1280, height: 800 });
  });

  it('the incoming register prints on landscape A4 pages, its title on the first, its header row on every one, no header a character a line; on screen each line opens its case and the wide table says it scrolls', async () => {
    // Enough documents for two printed pages.
    const opened: { id: string }[] = [];
    for (let n = 1; n <= 26; n += 6) opened.push(...(await Promise.all(Array.from({ length: Math.min(6, 27 - n) }, (_, i) => api.open('liu-fang', 'incoming-document', `关于第${n + i}项工作的通知（请各科室认真组织学习并抓好贯彻落实）`, incoming(n + i))))));
    const numbers = new Map<string, string>(first ? [[first.number, first.id]] : []);
    for (const settled of await Promise.all(opened.map((c) => api.settled('liu-fang', c.id)))) numbers.set(settled.body.number, settled.body.id);

    const clerk = await theClerk();
    // Each line names its case (`caseId`): until the API's register rows carry it, the test adds it
    // by the register number, as the API is asked to (see the report). Rows that have it are left as they are.
    await clerk.route(
      (url) => url.pathname === '/api/registers/incoming-document',
      async (route) => {
        const response = await route.fetch();
        const register = (await response.json()) as { rows: Record<string, unknown>[] };
        for (const row of register.rows) row.caseId ??= numbers.get(String(row.number));
        await route.fulfill({ response, json: register });
      },
    );
    await visit(clerk, '/registers/incoming-document');
    await poll(() => clerk.locator('.register-table tbody tr').count()).toBeGreaterThanOrEqual(27);
    await checkA11y(clerk, 'register-incoming');

    // On screen: a focusable, labelled region that says it scrolls sideways, with a shadow where there is more.
    const region = clerk.locator('.table-scroll');
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await region.getAttribute('role')).toBe('region');
    expect(await region.getAttribute('aria-label')).toBe('收文登记');
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await poll(() => clerk.locator('.scroll-hint').isVisible()).toBe(true);
    expect(await clerk.locator('.scroll-hint').getAttribute('id')).toBe(await region.getAttribute('aria-describedby'));
    expect(await region.evaluate((el) => el.classList.contains('overflows') && el.classList.contains('at-start'))).toBe(true);
    await screenshot(clerk, 'paper-register-1280');
    // Each line opens its case.
    const rows = clerk.locator('.register-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.every((tr) => tr.querySelector('a[href^="/cases/"]')))).toBe(true);
    // (The first line is whichever was registered first; under the test's stopped clock, any of them.)
    const firstLine = (await rows.first().textContent()) ?? '';
    await rows.first().getByRole('link').click();
    await clerk.waitForURL(/\/cases\//);
    await poll(async () => firstLine.includes((await clerk.locator('h1').textContent()) || '(no title)')).toBe(true);
    await checkA11y(clerk, 'case-from-register');
    await clerk.goBack();
    await poll(() => clerk.locator('.register-table tbody tr').count()).toBeGreaterThanOrEqual(27);

    // In print: the sheet's width, landscape.
    await clerk.setViewportSize(A4_LANDSCAPE_CONTENT);
    await clerk.emulateMedia({ media: 'print' });
    for (const hidden of ['.site-header', '.filters', '.scroll-hint']) expect(await clerk.locator(hidden).first().isHidden(), `${hidden} is not printed`).toBe(true);
    // No header is broken a character a line: two lines at most, and never narrower than two characters.
    const headers = (await clerk.evaluate(`[...document.querySelectorAll('.register-table thead th')].map((th) => {
      const style = getComputedStyle(th);
      const fontSize = parseFloat(style.fontSize);
      const lineHeight = parseFloat(style.lineHeight) || fontSize * 1.55;
      const content = th.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return { text: th.textContent, lines: Math.round(content / lineHeight), width: th.clientWidth / fontSize };
    })`)) as { text: string; lines: number; width: number }[];
    for (const header of headers) {
      expect(header.lines, `${header.text} in at most two lines`).toBeLessThanOrEqual(2);
      expect(header.width, `${header.text} at least two characters wide`).toBeGreaterThanOrEqual(2);
    }
    expect(await clerk.evaluate("document.querySelector('.register-table').getBoundingClientRect().right <= document.documentElement.clientWidth + 1")).toBe(true);
    await screenshot(clerk, 'paper-register-print');
    const pdf = await clerk.pdf({ preferCSSPageSize: true });
    writeFileSync(join(ARTIFACTS, 'register-incoming.pdf'), pdf);
    const printed = await pdfPages(pdf);
    expect(printed.length, 'two pages or more').toBeGreaterThanOrEqual(2);
    expect(printed[0]).toMatch(/收文登记\s*示范市机关事务管理局/);
    expect(printed[0]!.indexOf('收文登记'), 'the title heads the first page of the table').toBeLessThan(printed[0]!.indexOf('来文单位'));
    for (const [i, text] of printed.entries()) {
      expect(text, `page ${i + 1} repeats the header row`).toMatch(/序号\s*编号\s*登记日期\s*标题\s*经办人/);
      expect(text).toContain(`第 ${i + 1} 页，共 ${printed.length} 页`);
    }
    const size = await pdfPageSize(pdf);
    expect(size.width).toBeGreaterThan(size.height);
    await clerk.emulateMedia({ media: 'screen' });
  });

  it('speaks one language at a time: no code names, no "周六 Weekend", no "Incoming documentRouting slip", no "。Completed."; an unknown address is the app’s own page', async () => {
    // A document registered on Friday: its same-day registration counts from 收文日期, and the
    // proposal due the next working day passes over the weekend.
    const doc = await api.open('liu-fang', 'incoming-document', '关于周末值班安排的通知', incoming(40));
    await api.settled('liu-fang', doc.id);
    const clerk = await theClerk();
    await clerk.setViewportSize({ width: 1280, height: 800 });
    await visit(clerk, `/cases/${doc.id}`);
    const due = clerk.locator('#case-due');
    await poll(() => due.textContent()).toContain('起算时间');
    expect(await due.textContent()).toContain('（收文日期）');
    expect(await due.textContent()).not.toContain('receivedOn');
    await checkA11y(clerk, 'case-register-step');
    await clerk.getByRole('button', { name: 'English' }).click();
    await poll(() => clerk.locator('#case-due h2').textContent()).toBe('Due');
    await checkA11y(clerk, 'case-en');
    expect(await due.textContent()).toContain('(Received on)');
    expect(await due.textContent()).not.toContain('receivedOn');
    expect(await clerk.locator('#routing-slip h2').textContent()).toBe('Routing slip');
    expect(await clerk.locator('#routing-slip caption').textContent()).not.toContain('Incoming documentRouting slip');
    expect(await clerk.locator('main').textContent()).not.toContain('receivedOn');

    // Registered: the proposal is due Monday, Saturday and Sunday passed over, each said in its language.
    await api.act('liu-fang', doc.id, { action: 'approve' });
    await api.until('liu-fang', doc.id, (c) => c.currentStep === 'propose', 'the proposal');
    await visit(clerk, `/cases/${doc.id}`);
    await poll(() => due.locator('.skipped li').count()).toBe(2);
    expect(await due.locator('.skipped li').allTextContents()).toEqual(['2026-11-21: Saturday', '2026-11-22: Sunday']);
    await screenshot(clerk, 'case-due-en-1280');
    await clerk.getByRole('button', { name: '中文' }).click();
    await poll(() => due.locator('.skipped li').allTextContents()).toEqual(['2026-11-21：周六', '2026-11-22：周日']);

    // Her messages: the completed document (from the first test) is said in Chinese only, or in English only.
    await clerk.getByRole('link', { name: /^消息/ }).click();
    await poll(() => clerk.locator('.message').count()).toBeGreaterThan(0);
    await checkA11y(clerk, 'messages');
    const completed = clerk.locator('.message', { hasText: '已办结' }).first();
    expect(await completed.locator('.message-text').textContent()).toBe('已办结：市财政局关于做好2026年度决算工作的通知');
    expect(await clerk.locator('.message-list').textContent()).not.toMatch(/Completed|To do:/);
    await clerk.getByRole('button', { name: 'English' }).click();
    await poll(() => clerk.locator('h1').textContent()).toBe('Messages');
    expect(await clerk.locator('.message', { hasText: '市财政局关于做好2026年度决算工作的通知' }).locator('.message-text').allTextContents()).toContain('Completed: 市财政局关于做好2026年度决算工作的通知');
    expect(await clerk.locator('.message-text').allTextContents()).not.toContainEqual(expect.stringMatching(/[\u4e00-\u9fff]{2}：/));
    await checkA11y(clerk, 'messages-en');
    await clerk.getByRole('button', { name: '中文' }).click();

    // An address that is no page: the app's own page, with a way back, in either language.
    await clerk.goto(`${base}/no/such/page`);
    await poll(() => clerk.locator('h1').textContent()).toBe('页面不存在');
    expect(await clerk.title()).toBe('页面不存在 · 办公');
    expect(await clerk.locator('main').textContent()).toContain('/no/such/page');
    await checkA11y(clerk, 'not-found');
    await screenshot(clerk, 'not-found-1280');
    await clerk.getByRole('button', { name: 'English' }).click();
    await poll(() => clerk.locator('h1').textContent()).toBe('Page not found');
    await clerk.getByRole('button', { name: '中文' }).click();
    await clerk.locator('main').getByRole('link', { name: '返回待办' }).click();
    await poll(() => clerk.locator('h1').first().textContent()).toContain('待办事项');
    await checkA11y(clerk, 'inbox-clerk');
    // The API's, the runtime's and files' addresses stay what they are.
    for (const path of ['/api/no-such-route', '/auth/nothing', '/local/nothing', '/no-such-file.js']) {
      const response = await fetch(`${base}${path}`);
      expect(response.headers.get('content-type') ?? '', path).not.toContain('text/html');
    }

    expect(pages.flatMap(pageProblems)).toEqual([]);
  });
});

/** The first page's size in PDF points. */
async function pdfPageSize(pdf: Uint8Array): Promise<{ width: number; height: number }> {
  const { getDocument } = await loadPdfjs();
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const { width, height } = (await doc.getPage(1)).getViewport({ scale: 1 });
  await doc.destroy();
  return { width, height };
}
