/**
 * Signing in again: in AWS a missing or expired token is refused by the HTTP API's JWT authorizer
 * itself, with its own body ({"message":"Unauthorized"}), before any of Bangong's code runs. The
 * web form must take that 401 as it takes its own: back to the sign-in page, told why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn } from './support.ts';

describe('the web form when the sign-in has expired, and under its security policy', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let browser: Browser;

  beforeAll(async () => {
    [system, browser] = await Promise.all([givenLocalSystem({ ports: ALL_FREE }), givenBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('serves the page under CloudFront’s Content-Security-Policy: the site’s own scripts and styles apply, an inline script or style is refused and shows as a page problem', async () => {
    const page = await signedIn(browser, system.urls.api, 'xu-liang');
    expect(pageProblems(page)).toEqual([]);
    // As an injected bit of markup would: an element of the page's own, not DevTools' evaluation.
    const append = (tag: 'script' | 'style', text: string) =>
      page.evaluate(`{ const element = document.createElement('${tag}'); element.textContent = ${JSON.stringify(text)}; document.head.append(element); }`);
    await append('script', 'window.inlineRan = true');
    const refused = (what: string) => pageProblems(page).some((problem) => problem.includes(what) && problem.includes('Content Security Policy'));
    await poll(() => refused('script')).toBe(true);
    expect(await page.evaluate('window.inlineRan')).toBeUndefined();
    const before = await page.evaluate('getComputedStyle(document.body).display');
    await append('style', 'body { display: none }');
    await poll(() => refused('style')).toBe(true);
    expect(await page.evaluate('getComputedStyle(document.body).display')).toBe(before);
    await page.context().close();
  });

  for (const [who, body] of [
    ['API Gateway’s JWT authorizer (AWS)', '{"message":"Unauthorized"}'],
    ['the local gateway', '{"error":{"code":"unauthenticated","message":"请先登录。Please sign in.","field":null}}'],
  ] as const) {
    it(`returns to the sign-in page, saying the sign-in expired, on a 401 from ${who}`, async () => {
      const page = await signedIn(browser, system.urls.api, 'xu-liang');
      await page.route('**/api/**', (route) => route.fulfill({ status: 401, contentType: 'application/json', body }));
      await page.getByRole('link', { name: '已办' }).click();
      await poll(() => page.getByLabel('登录身份').count()).toBe(1);
      await poll(() => page.locator('.notice-warning').first().textContent()).toContain('登录已过期');
      // Nothing of the person's work stays on screen, and no raw English from the authorizer shows.
      expect(await page.locator('body').textContent()).not.toContain('Unauthorized');
      expect(await page.evaluate('localStorage.getItem("bangong.session")')).toBeNull();
      expect(pageProblems(page)).toEqual([]);
      await checkA11y(page, 'sign-in-expired');
      await screenshot(page, `sign-in-expired-${who.includes('AWS') ? 'aws' : 'local'}`);
      await page.context().close();
    });
  }
});
