/**
 * Given: one headless Chromium per test file, and pages signed in through the web form as demo
 * people (each in its own browser context, as on separate machines). Screenshots go to
 * tests/e2e/artifacts/ (git-ignored) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../../local/system.ts';

export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');
export const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

export function givenBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
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
  await page.getByRole('button', { name: '登录' }).click();
  await poll(() => page.locator('h1').first().textContent()).toContain('待办');
  return page;
}

/** Script errors the page logged (none expected). */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
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
