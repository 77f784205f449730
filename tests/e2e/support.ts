/**
 * Given: one headless Chromium per test file (Debian's headless shell where it is installed, its
 * pages' scripts never optimized: tests/support/chromium.ts), and pages signed in through the web
 * form as demo people (each in its own browser context, as on separate machines). The local
 * system sends the web form's Content-Security-Policy as CloudFront does, so whatever it refuses
 * (an inline script or style, a call elsewhere) is logged by the page and is a page problem.
 * Screenshots go to tests/e2e/artifacts/ (git-ignored) for a person to look at. Every page a test
 * visits is checked with axe-core (checkA11y): no critical and no serious finding.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { expect } from 'vitest';
import { ROOT } from '../../local/system.ts';
import { loadPdfjs } from '../../functions/adapters/files/pdfjs.ts';

export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');
export const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

export function givenBrowser(): Promise<Browser> {
  return launchChromium({ shell: true, baselineJit: true });
}

/**
 * A page signed in as `user` through the sign-in page, on the inbox. `now` sets the browser's
 * clock to the local system's (a test's ManualClock) so both agree on what is overdue.
 */
export async function signedIn(browser: Browser, base: string, user: string, options: { viewport?: typeof DESKTOP; now?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  if (options.now !== undefined) await context.clock.install({ time: options.now });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // An HTTP error the page answers on screen (a 404 for a case, a 409 when it changed) is not a script problem.
  page.on('console', (message) => message.type() === 'error' && !/^Failed to load resource/.test(message.text()) && problems.push(message.text()));
  // An API that fails (5xx) is a problem even if the page words it well.
  page.on('response', (response) => response.status() >= 500 && new URL(response.url()).pathname.startsWith('/api/') && problems.push(`${response.status()} ${response.request().method()} ${response.url()}`));
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(`${base}/`);
  await page.getByLabel('登录身份').selectOption(user);
  await checkA11y(page, 'sign-in', { once: true });
  await page.getByRole('button', { name: '登录' }).click();
  await poll(() => page.locator('h1').first().textContent()).toContain('待办');
  // Each person's inbox is checked where a test looks at it; here, once a worker, the first one signed in.
  await checkA11y(page, 'inbox', { once: true });
  return page;
}

/**
 * axe-core's source, evaluated in a page that lacks it: through the DevTools protocol, which the
 * page's Content-Security-Policy (scripts from the site only, as CloudFront sends it) does not
 * govern, where a script element from elsewhere would be refused. It stays in the page for the
 * later checks (visit() navigates without reloading).
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/** Pages checked once (`once`) in this test worker, whose files share this module: the same page at the same size, in the same language. */
const checkedOnce = new Set<string>();

/**
 * axe-core on the page as it is now: fails on any critical or serious finding, naming each with
 * where it is. Each run's figures (by impact) are logged and kept in artifacts/axe.jsonl. A page
 * that is the same every time (the sign-in page, visited at each sign-in) is checked `once` per
 * test worker, size and language.
 */
export async function checkA11y(page: Page, name: string, options: { once?: boolean } = {}): Promise<void> {
  const key = `${name}|${page.viewportSize()?.width}|${await page.evaluate('document.documentElement.lang')}`;
  if (options.once && checkedOnce.has(key)) return;
  checkedOnce.add(key);
  const started = Date.now();
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const findings = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)),
  })))`)) as AxeFinding[];
  const count = (impact: string) => findings.filter((f) => f.impact === impact).reduce((n, f) => n + f.nodes.length, 0);
  const figures = { page: name, url: new URL(page.url()).pathname, viewport: page.viewportSize()?.width, ms: Date.now() - started, critical: count('critical'), serious: count('serious'), moderate: count('moderate'), minor: count('minor'), rules: findings.map((f) => `${f.impact}:${f.id}`) };
  mkdirSync(ARTIFACTS, { recursive: true });
  appendFileSync(join(ARTIFACTS, 'axe.jsonl'), `${JSON.stringify(figures)}\n`);
  const blocking = findings.filter((f) => f.impact === 'critical' || f.impact === 'serious');
  expect(blocking, `axe on ${name} (${page.url()}): ${JSON.stringify(blocking, null, 1)}`).toEqual([]);
}

/**
 * Chooses in a person or department picker by typing, as a person does: `what` is typed and the
 * option whose name is `option` (default: what was typed) is clicked.
 */
export async function pick(scope: Page | Locator, label: string, what: string, option = what): Promise<void> {
  const box = scope.getByRole('combobox', { name: label });
  await box.click();
  await box.fill(what);
  const page = 'page' in scope ? scope.page() : scope;
  await page.getByRole('option', { name: new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
}

/** Simplified characters the CJK fonts map to radicals of the CJK Radicals Supplement (no NFKC form). */
const RADICALS: Record<string, string> = { '⻚': '页', '⻅': '见', '⻓': '长', '⻔': '门', '⻢': '马', '⻋': '车', '⻛': '风', '⻜': '飞', '⻥': '鱼', '⻦': '鸟', '⻩': '黄', '⻬': '齐', '⻮': '齿', '⻰': '龙', '⻳': '龟', '⻙': '韦', '⻉': '贝', '⻨': '麦', '⻧': '卤' };

/** The text of each page of a PDF; the fonts' Kangxi radicals (⽂) read as the characters they stand for (文). */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const { getDocument } = await loadPdfjs();
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((x) => ('str' in x ? x.str : '')).join('').replace(/[\u2e80-\u2fdf]/g, (c) => RADICALS[c] ?? c.normalize('NFKC')));
  }
  await doc.destroy();
  return pages;
}

/**
 * Goes to a page of the web form as its own links do (history, no reload): quicker than a fresh
 * load, and axe, once in the page, stays there.
 */
export async function visit(page: Page, path: string): Promise<void> {
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`);
  await page.waitForURL((url) => url.pathname + url.search === path);
}

/** Script errors the page logged (none expected). */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

/**
 * Saves the page as it looks, for a person to look at. Not under CI (nobody looks there, and a
 * full-page capture in Chinese fonts is a good part of a walk's time) unless E2E_SCREENSHOTS=1.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI);
  if (ci && process.env.E2E_SCREENSHOTS !== '1') return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Polls until the page shows what is expected: a shared machine can be slow, so up to 15 s. */
export function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

/**
 * Approves the current step on the case page the browser is on, filling the form with `fill`.
 * If the case changed meanwhile (a chase at the deadline) the page says so and reloads it: as a
 * person would, the decision is made again. Fails with the page's own message if it is refused.
 */
export async function approveOnPage(page: Page, fill: (form: Locator) => Promise<void> = async () => {}): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.locator('[data-action="approve"]').click();
    const form = page.locator('.action-form').first();
    await fill(form);
    await form.locator('[data-submit="approve"]').click();
    const outcome = page.locator('.status-area .notice-success, .status-area .notice-warning, .action-form .notice-error, .action-form .field-error:visible').first();
    try {
      await outcome.waitFor({ timeout: 15_000 });
    } catch (error) {
      await screenshot(page, `failed-decision-${Date.now()}`);
      throw new Error(`No answer to the decision on ${page.url()} (page errors: ${JSON.stringify(pageProblems(page))})`, { cause: error });
    }
    const kind = await outcome.getAttribute('class');
    if (kind?.includes('notice-success')) return;
    if (!kind?.includes('notice-warning')) throw new Error(`The decision was refused: ${await outcome.textContent()}`);
  }
  throw new Error('The case kept changing under the decision');
}

/** The case id of the case page the browser is on. */
export function caseIdOf(page: Page): string {
  return /\/cases\/([^/?#]+)/.exec(page.url())?.[1] ?? '';
}

/**
 * Interactive elements on screen smaller than `min` px either way, with what they are (links inside
 * running text aside, and a file input, whose target is the button that opens it): 44 on a phone,
 * 24 with a mouse (WCAG 2.2 target size, minimum).
 */
export const smallTargets = (min: number) => `[...document.querySelectorAll('header a, header button, main a, main button, main input:not([type=file]), main select, main summary, main textarea')]
  .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.classList.contains('skip-link'))
  .map((el) => {
    const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el) : el;
    const r = target.getBoundingClientRect();
    const inText = el.tagName === 'A' && getComputedStyle(el).display === 'inline' && !!el.closest('p');
    return { what: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.tagName).trim().slice(0, 24), w: Math.round(r.width), h: Math.round(r.height), inText };
  })
  .filter((x) => !x.inText && (x.w < ${min} || x.h < ${min}))`;
