/**
 * 全文检索 on the web form (issue #13): the box in the header of every page finds cases by their
 * words, marked where they occur; the filters narrow the results and stay in the address; a 秘密
 * case is found by no one outside it; a query with too little in it is answered under the box; a
 * file's page in the results opens the case with the preview at that page; and the case page says
 * per file whether its text is being read, was read, or failed (with 重新识别).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ManualClock } from '../../local/clock.ts';
import { topology } from '../../infra/topology.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, ARTIFACTS, PHONE, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn, smallTargets } from './support.ts';

// Monday 23 November 2026, 09:00 in China.
const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A three-page PDF with a text layer; the words are on page 3 only. */
async function threePagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const line of ['Cover page', 'Contents', 'Warehouse inspection checklist for the flood season']) pdf.addPage([595, 842]).drawText(line, { x: 60, y: 760, size: 18, font });
  return pdf.save();
}

/** A PNG signature and then nothing a decoder can read: its text fails as corrupt. */
const BROKEN_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode('not an image at all, only bytes')]);

/** What the focused element is: its id, tag name, class or text. */
const focused = (page: Page, what: 'id' | 'tagName' | 'className' | 'textContent') => page.evaluate<string | undefined>(`document.activeElement?.${what}`);

describe('全文检索 on the web form', () => {
  const clock = new ManualClock(MONDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;
  let notice: { id: string };
  let secret: { id: string };
  let leave: { id: string };
  let liu: Page;
  let signingIn: Promise<{ liu: Page; ma: Page; phone: Page }> | undefined;
  /**
   * The clerk, a colleague outside the cases, and the clerk on a phone: signed in side by side,
   * once, while the index catches up with the cases and files (quicker than one after another).
   */
  const people = () =>
    (signingIn ??= Promise.all([
      signedIn(browser, base, 'liu-fang'),
      signedIn(browser, base, 'ma-chao'),
      signedIn(browser, base, 'liu-fang', { viewport: PHONE }),
      system.streams.settle(),
    ]).then(([clerk, ma, phone]) => {
      liu = clerk;
      return { liu: clerk, ma, phone };
    }));

  const upload = async (caseId: string, fileName: string, contentType: string, bytes: Uint8Array) => {
    const asked = await api.post('liu-fang', `/api/cases/${caseId}/uploads`, { fileName, contentType, size: bytes.length, sha256: sha256(bytes) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: bytes })).status).toBe(200);
    const done = await api.post('liu-fang', `/api/cases/${caseId}/uploads/${asked.body.uploadId}/complete`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return done.body.id as string;
  };
  /** Types into the header's box and presses Enter, as a person does. */
  const searchFor = async (page: Page, words: string) => {
    const box = page.getByRole('searchbox', { name: '全文检索' });
    await box.fill(words);
    await box.press('Enter');
  };
  const count = (page: Page) => page.locator('h1 .result-count').textContent();

  beforeAll(async () => {
    [system, browser] = await Promise.all([givenLocalSystem({ ports: ALL_FREE, clock, topology: { ...topology, schedules: [] }, search: true }), givenBrowser()]);
    base = system.urls.api;
    api = apiClient(base);
    [notice, secret, leave] = await Promise.all([
      api.open('liu-fang', 'incoming-document', '关于开展2026年度安全生产大检查的通知', {
        fromOrg: '市应急管理局',
        docNumber: '示财〔2026〕45号',
        receivedOn: '2026-11-23',
        docCategory: 'superior',
        urgency: 'normal',
        confidentiality: 'internal',
        summary: '各单位于十二月十日前完成消防设施和危险化学品仓库的自查，报送自查报告。',
      }),
      api.open('liu-fang', 'incoming-document', '关于安全生产专项督查线索的函', { fromOrg: '市纪委监委', receivedOn: '2026-11-23', docCategory: 'peer', urgency: 'normal', confidentiality: 'secret' }),
      // Markup typed into a title is text on every screen, never HTML.
      api.open('liu-fang', 'leave', '参加“<b>安全生产</b>”培训请假', { leaveType: 'personal', startDate: '2026-11-25', endDate: '2026-11-25', days: 1, reason: '参加市里组织的培训' }),
    ]);
    await Promise.all([upload(notice.id, '附件2.pdf', 'application/pdf', await threePagePdf()), upload(notice.id, '附件3.png', 'image/png', BROKEN_PNG)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('finds 安全生产 from the header box on the inbox, marks it, and narrows by the filters kept in the address', async () => {
    await people();
    await searchFor(liu, '安全生产');
    await liu.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === '安全生产');
    await poll(() => count(liu)).toBe('找到 3 件');
    expect(await liu.locator('h1').textContent()).toContain('“安全生产”的检索结果');
    // The heading has the focus: a screen reader says the query and the count.
    expect(await focused(liu, 'tagName')).toBe('H1');
    const found = liu.locator(`.search-result[data-case="${notice.id}"]`);
    expect(await found.locator('.search-result-title mark').allTextContents()).toEqual(['安全生产']);
    expect(await found.locator('.search-result-meta').textContent()).toContain('收文');
    expect(await found.locator('.search-result-meta').textContent()).toContain('2026-11-23');
    // The title with markup in it: its words are marked, the markup is shown as typed.
    const typed = liu.locator(`.search-result[data-case="${leave.id}"] .search-result-title`);
    expect(await typed.textContent()).toBe('参加“<b>安全生产</b>”培训请假');
    expect(await typed.locator('b').count()).toBe(0);
    expect(await typed.locator('mark').allTextContents()).toEqual(['安全生产']);
    await checkA11y(liu, 'search-results');
    await screenshot(liu, 'search-results-1280');

    // A filter reads the results again in place: the count is said, the focus stays on the filter.
    await liu.getByLabel('类别').focus();
    await liu.getByLabel('类别').selectOption({ label: '收文' });
    await poll(() => count(liu)).toBe('找到 2 件');
    await poll(() => liu.locator('.search-announcer').textContent()).toBe('找到 2 件');
    expect(new URL(liu.url()).searchParams.get('type')).toBe('incoming-document');
    expect(await focused(liu, 'id')).toBe('search-type');
    expect(await liu.locator(`.search-result[data-case="${leave.id}"]`).count()).toBe(0);
    await liu.getByLabel('状态').selectOption('open');
    await poll(() => new URL(liu.url()).searchParams.get('status')).toBe('open');
    await poll(() => count(liu)).toBe('找到 2 件');

    // Dates before the cases: nothing, with what to try; clearing the filters brings them back.
    await liu.getByLabel('截止日期').fill('2026-11-22');
    await poll(() => count(liu)).toBe('找到 0 件');
    expect(await liu.locator('.search-empty').textContent()).toContain('没有找到与“安全生产”相关的件。');
    expect(await liu.locator('.search-empty li').allTextContents()).toHaveLength(3);
    expect(new URL(liu.url()).searchParams.get('to')).toBe('2026-11-22');
    await checkA11y(liu, 'search-empty');
    // A range the wrong way round: the API's 400 is said under the date it names.
    await liu.getByLabel('起始日期').fill('2026-11-30');
    await poll(() => liu.locator('#search-to-error').textContent()).toContain('截止日期不能早于起始日期');
    expect(await liu.getByLabel('截止日期').getAttribute('aria-invalid')).toBe('true');
    await liu.locator('.search-filters').getByRole('button', { name: '清除筛选' }).click();
    await poll(() => count(liu)).toBe('找到 3 件');
    expect([...new URL(liu.url()).searchParams.keys()]).toEqual(['q']);

    // A new query typed on the results page keeps the filters set there.
    await liu.getByLabel('排序').selectOption('date');
    await poll(() => new URL(liu.url()).searchParams.get('sort')).toBe('date');
    await searchFor(liu, '大检查');
    await poll(() => count(liu)).toBe('找到 1 件');
    expect(new URL(liu.url()).searchParams.get('sort')).toBe('date');
    expect(await liu.getByLabel('排序').inputValue()).toBe('date');

    // Printed: the results on A4, without the filters and buttons.
    await liu.emulateMedia({ media: 'print' });
    expect(await liu.locator('.search-filter-box').isVisible()).toBe(false);
    expect(await liu.locator('.site-header').isVisible()).toBe(false);
    writeFileSync(join(ARTIFACTS, 'search-results-print.pdf'), await liu.pdf({ format: 'A4', preferCSSPageSize: true }));
    await liu.emulateMedia({ media: 'screen' });
    expect(pageProblems(liu)).toEqual([]);
  });

  it('never shows a 秘密 case to someone outside it: the clerk who registered it finds it, a colleague finds nothing', async () => {
    await people();
    await searchFor(liu, '督查线索');
    await poll(() => count(liu)).toBe('找到 1 件');
    expect(await liu.locator(`.search-result[data-case="${secret.id}"]`).count()).toBe(1);
    // In English the page is drawn again in its words; the case's own words stay as written.
    await liu.getByRole('button', { name: 'English' }).click();
    await poll(() => liu.locator('h1').textContent()).toBe('Results for “督查线索” 1 case');
    expect(await liu.locator('.search-result-meta').textContent()).toContain('In progress');
    expect(await liu.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('督查线索');
    await screenshot(liu, 'search-results-en-1280');
    await liu.getByRole('button', { name: '中文' }).click();
    await poll(() => count(liu)).toBe('找到 1 件');

    const { ma } = await people();
    await searchFor(ma, '督查线索');
    await poll(() => count(ma)).toBe('找到 0 件');
    expect(await ma.locator('.search-result').count()).toBe(0);
    expect(await ma.locator('.search-empty-title').textContent()).toBe('没有找到与“督查线索”相关的件。');
    await checkA11y(ma, 'search-nothing');
    expect(pageProblems(ma)).toEqual([]);
  });

  it('says under the box what is wrong with a query of one character, and "/" puts the cursor in the box', async () => {
    await liu.getByRole('link', { name: /^待办/ }).click();
    await poll(() => liu.locator('h1').first().textContent()).toContain('待办');
    await liu.locator('body').press('/');
    expect(await focused(liu, 'id')).toBe('site-search-q');
    // Nothing typed: said at once, and no search is made.
    await liu.keyboard.press('Enter');
    await poll(() => liu.locator('#site-search-error').textContent()).toBe('请输入检索词。');
    expect(new URL(liu.url()).pathname).toBe('/');

    await searchFor(liu, '安');
    const error = liu.locator('#site-search-error');
    await poll(() => error.textContent()).toBe('请输入至少两个字或一个词进行检索。');
    expect(await error.isVisible()).toBe(true);
    const box = liu.getByRole('searchbox', { name: '全文检索' });
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await box.getAttribute('aria-describedby')).toContain('site-search-error');
    // Under the box: the error's top is below the box's bottom, and it lines up with it.
    const [boxAt, errorAt] = [await box.boundingBox(), await error.boundingBox()];
    expect(errorAt!.y).toBeGreaterThanOrEqual(boxAt!.y + boxAt!.height);
    expect(Math.abs(errorAt!.x - boxAt!.x)).toBeLessThan(60);
    expect(await liu.locator('main .error-summary').textContent()).toContain('请输入至少两个字或一个词进行检索。');
    await checkA11y(liu, 'search-error');
    await screenshot(liu, 'search-error-1280');
  });

  it('loads more with the cursor the API gives, saying how many are shown, and hints to narrow a truncated search', async () => {
    // The API as if there were a page after the first (and more than it lists): the second page is the first again.
    const searched = (url: URL) => url.pathname === '/api/search';
    await liu.route(searched, async (route) => {
      const url = new URL(route.request().url());
      const cursor = url.searchParams.get('cursor');
      url.searchParams.delete('cursor');
      const response = await route.fetch({ url: url.toString() });
      const body = await response.json();
      await route.fulfill({ response, json: cursor === 'page-2' ? { ...body, total: body.total * 2 } : { ...body, total: body.total * 2, truncated: true, next: 'page-2' } });
    });
    await searchFor(liu, '安全生产');
    await poll(() => count(liu)).toBe('找到 6 件');
    expect(await liu.locator('main .notice-warning').textContent()).toContain('只列出前 6 件');
    expect(await liu.locator('.search-shown').textContent()).toBe('已显示 3 件，共 6 件');
    await liu.getByRole('button', { name: '加载更多' }).click();
    await poll(() => liu.locator('.search-result').count()).toBe(6);
    expect(await liu.locator('.search-announcer').textContent()).toBe('已显示 6 件，共 6 件');
    expect(await liu.getByRole('button', { name: '加载更多' }).isVisible()).toBe(false);
    // The focus is on the first of the new results.
    expect(await focused(liu, 'tagName')).toBe('A');
    expect(await liu.evaluate<boolean>(`document.activeElement === document.querySelectorAll('.search-result h2 a')[3]`)).toBe(true);
    await liu.unroute(searched);
  });

  it('says per file how its text was read, reads a failed one again (重新识别), and opens a file’s page from the results in the preview at that page', async () => {
    // Per file: read (pages), or failed (why) with 重新识别, which starts it again.
    await liu.goto(`${base}/cases/${notice.id}`);
    const pdfLine = liu.locator('.attachment', { hasText: '附件2.pdf' }).locator('.text-state');
    const pngLine = liu.locator('.attachment', { hasText: '附件3.png' }).locator('.text-state');
    await poll(() => pdfLine.textContent()).toBe('已识别 3 页');
    await poll(() => pngLine.locator('.text-status').textContent()).toMatch(/^识别失败：\S/);
    await checkA11y(liu, 'case-text-states');
    await screenshot(liu, 'case-text-states-1280');
    await pngLine.getByRole('button', { name: '重新识别 附件3.png' }).click();
    await poll(() => pngLine.locator('.text-status').textContent()).toBe('文字识别中…');
    // The button is gone: the focus is on what the line now says.
    expect(await focused(liu, 'className')).toBe('text-said');
    // The page reads the case again while it is pending, and says when it has failed again.
    await poll(() => pngLine.locator('.text-status').textContent()).toMatch(/^识别失败：/);
    expect(await pngLine.getByRole('button', { name: '重新识别 附件3.png' }).count()).toBe(1);

    // The PDF's text layer is found on its third page: the result opens the preview there.
    await searchFor(liu, 'warehouse');
    await poll(() => count(liu)).toBe('找到 1 件');
    await screenshot(liu, 'search-page-match-1280');
    const page = liu.locator('.search-result .match-page');
    expect(await page.textContent()).toContain('附件2.pdf 第 3 页');
    expect(await liu.locator('.search-result .search-matches mark').first().textContent()).toBe('Warehouse');
    await page.click();
    await liu.waitForURL((url) => url.pathname === `/cases/${notice.id}` && url.searchParams.get('attachment') !== null && url.searchParams.get('page') === '3');
    const frame = liu.locator('.preview iframe.preview-frame');
    await poll(() => frame.getAttribute('src')).toMatch(/^blob:.*#page=3$/);
    expect(await liu.locator('.preview h3').textContent()).toBe('预览：附件2.pdf（第 3 页）');
    expect(await focused(liu, 'textContent')).toBe('预览：附件2.pdf（第 3 页）');
    expect(pageProblems(liu)).toEqual([]);
  });

  it('works on a 375 px phone: the box behind its own button, the results as cards with 44 px targets', async () => {
    const { phone } = await people();
    const box = phone.getByRole('searchbox', { name: '全文检索' });
    expect(await box.isVisible()).toBe(false);
    const toggle = phone.getByRole('button', { name: '全文检索' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await focused(phone, 'id')).toBe('site-search-q');
    await searchFor(phone, '安全生产');
    await poll(() => count(phone)).toBe('找到 3 件');
    // The box stays open with the words; the filters fold under their summary.
    expect(await box.inputValue()).toBe('安全生产');
    expect(await phone.locator('.search-filter-box').getAttribute('open')).toBeNull();
    expect(await phone.evaluate(smallTargets(44))).toEqual([]);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await checkA11y(phone, 'search-results-375');
    await screenshot(phone, 'search-results-375');
    await phone.locator('.search-filter-box summary').click();
    expect(await phone.evaluate(smallTargets(44))).toEqual([]);
    await screenshot(phone, 'search-filters-375');
    // The case page's text states on a phone: 重新识别 is a 44 px target too.
    await phone.locator(`.search-result[data-case="${notice.id}"] h2 a`).click();
    await poll(() => phone.locator('.attachment .text-retry').count()).toBe(1);
    const retry = await phone.locator('.attachment .text-retry').boundingBox();
    expect(retry!.height).toBeGreaterThanOrEqual(44);
    await screenshot(phone, 'case-text-states-375');
    expect(pageProblems(phone)).toEqual([]);
  });
});
