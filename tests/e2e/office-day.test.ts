/**
 * A working day in the office, as people use the web form: the office director circulates a
 * document with the person picker (by keyboard, by pinyin initials, a whole section at once); a
 * 科员 finds it under 待阅, apart from 待办, and marks it read, and the case says who has and has
 * not read it; the archivist is told in her messages and opens it from there; the picker keeps up
 * with 2,000 people (bench/picker times it); and on a 375 px phone the inbox shows four items a screen, every target is
 * 44 px, the menu folds behind one button and the decision is the first thing on the case page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../local/clock.ts';
import { bigOrg } from '../support/big-org.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, DESKTOP, PHONE, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn, smallTargets, visit } from './support.ts';

const MONDAY_9AM = Date.parse('2026-11-23T01:00:00Z');

describe('a working day in the office: reading, chasing, being told, picking people, on a phone', () => {
  const clock = new ManualClock(MONDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;
  let doc: { id: string };
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
    doc = await api.open('liu-fang', 'incoming-document', '省厅关于开展安全生产大检查的通知', {
      fromOrg: '省应急管理厅', docNumber: '省应急〔2026〕12号', receivedOn: '2026-11-23', docCategory: 'superior', urgency: 'normal', confidentiality: 'internal', copies: 1,
    });
    await api.act('liu-fang', doc.id, { action: 'approve' });
    await api.until('liu-fang', doc.id, (c) => c.currentStep === 'propose', 'the proposal');
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('the director circulates it with the picker, by keyboard and by pinyin initials; 待阅 is its own list and count; the case says "已阅 1/2，未阅：黄丽"; the archivist is told and opens it from her messages', async () => {
    const director = await as('chen-zhiqiang');
    await visit(director, `/cases/${doc.id}`);
    await director.locator('[data-action="circulate"]').click();
    const form = director.locator('.action-form[data-form="circulate"]');
    const box = form.getByRole('combobox', { name: '传阅给' });
    // The combobox pattern: a text box that controls a listbox, opened by ↓ onto the departments.
    await box.focus();
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await director.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    const listbox = director.getByRole('listbox', { name: '传阅给' });
    expect(await box.getAttribute('aria-controls')).toBe(await listbox.getAttribute('id'));
    expect(await listbox.getAttribute('aria-multiselectable')).toBe('true');
    expect(await listbox.getByRole('option').allTextContents()).toEqual(['办公室5 人›', '计划财务科3 人›', '行政事务科2 人›', '信访科2 人›', '局领导及未分部门人员3 人›']);
    expect(await box.getAttribute('aria-activedescendant')).toBe(await listbox.getByRole('option').first().getAttribute('id'));
    // → opens a department (the tree): its people, and the whole section at once.
    await director.keyboard.press('ArrowDown');
    await director.keyboard.press('ArrowRight');
    await poll(() => listbox.getByRole('option').allTextContents()).toEqual(['‹返回部门列表', '选择全科：计划财务科3 人', '周涛科长 · 计划财务科', '吴敏会计 · 计划财务科', '徐亮科员 · 计划财务科']);
    await checkA11y(director, 'picker-open');
    await screenshot(director, 'picker-department-1280');
    // By pinyin initials: "hl" is 黄丽; Enter takes the active option.
    await box.fill('hl');
    await poll(() => listbox.getByRole('option').first().textContent()).toBe('黄丽档案员 · 办公室');
    await director.keyboard.press('Enter');
    // By name: 徐.
    await box.fill('徐');
    await poll(() => director.getByRole('option').first().textContent()).toBe('徐亮科员 · 计划财务科');
    await director.keyboard.press('Enter');
    expect(await form.locator('.picker-chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-value')))).toEqual(['huang-li', 'xu-liang']);
    // Backspace in the empty box takes off the last one chosen; a whole section goes on at once.
    await director.keyboard.press('Backspace');
    expect(await form.locator('.picker-chip').count()).toBe(1);
    await box.fill('计划');
    await director.getByRole('option', { name: /^选择全科：计划财务科/ }).click();
    expect(await form.locator('.picker-chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-value')))).toEqual(['huang-li', 'zhou-tao', 'wu-min', 'xu-liang']);
    await form.getByRole('button', { name: '移除 周涛' }).click();
    await form.getByRole('button', { name: '移除 吴敏' }).click();
    await screenshot(director, 'picker-chosen-1280');
    await form.locator('[data-submit="circulate"]').click();
    await poll(() => director.locator('.status-area .notice-success').count()).toBe(1);
    const readers = director.locator('#case-readers');
    await poll(() => readers.locator('.readers-summary').textContent()).toBe('已阅 0/2，未阅：黄丽、徐亮');

    // 徐亮 (科员): 待阅 is its own list with its own count, apart from 待办.
    const xu = await as('xu-liang');
    const readLink = xu.locator('.main-nav a[href="/read"]');
    await poll(() => readLink.locator('.count').textContent()).toBe('1 项');
    expect(await xu.locator('.main-nav a[href="/"] .count').isHidden()).toBe(true);
    expect(await xu.locator(`tr[data-case="${doc.id}"]`).count()).toBe(0);
    await readLink.click();
    await poll(() => xu.locator('h1').textContent()).toBe('待阅事项 (1)');
    expect(await xu.locator('.read-table tbody tr').count()).toBe(1);
    // Who sent it round, and when.
    expect(await xu.locator('.read-table tbody tr .sent-by').textContent()).toBe('陈志强 ');
    await checkA11y(xu, 'read-list');
    await screenshot(xu, 'read-1280');
    // Marked read from the list, without opening it.
    await xu.getByRole('button', { name: '将“省厅关于开展安全生产大检查的通知”标为已阅' }).click();
    await poll(() => xu.locator('.status-area .notice-success').textContent()).toBe('已标为已阅：省厅关于开展安全生产大检查的通知');
    expect(await xu.locator('.read-table tbody tr').count()).toBe(0);
    expect(await xu.locator('h1').textContent()).toBe('待阅事项 (0)');
    await visit(xu, `/cases/${doc.id}`);
    const read = xu.locator('#case-readers');
    await poll(() => read.locator('.readers-summary').textContent()).toBe('已阅 1/2，未阅：黄丽');
    expect(await read.locator('.reader.read').textContent()).toContain('徐亮');
    await poll(() => readLink.locator('.count').isHidden()).toBe(true);
    await checkA11y(xu, 'case-read');
    await screenshot(xu, 'case-readers-1280');

    // 黄丽 (档案员) is told: the header counts her unread messages on every page; she opens it from there.
    const huang = await as('huang-li');
    const unread = huang.locator('.messages-link .count');
    await poll(() => unread.textContent()).toMatch(/^[1-9]\d* 条未读$/);
    const before = Number.parseInt((await unread.textContent())!, 10);
    await huang.locator('.main-nav a[href="/registers"]').click();
    await poll(() => huang.locator('h1').textContent()).toBe('登记簿');
    await checkA11y(huang, 'registers');
    expect(await unread.textContent()).toBe(`${before} 条未读`);
    await huang.locator('.messages-link').click();
    await poll(() => huang.locator('h1').textContent()).toBe('消息');
    const message = huang.locator('.message', { hasText: '省厅关于开展安全生产大检查的通知' }).first();
    expect(await message.locator('.message-text').textContent()).toBe('传阅：省厅关于开展安全生产大检查的通知');
    expect(await message.getAttribute('class')).toContain('unread');
    await checkA11y(huang, 'messages');
    await screenshot(huang, 'messages-1280');
    const id = await message.getAttribute('data-id');
    await message.getByRole('link').click();
    await huang.waitForURL(new RegExp(`/cases/${doc.id}$`));
    await poll(() => huang.locator('#case-readers .readers-summary').textContent()).toBe('已阅 1/2，未阅：黄丽');
    await checkA11y(huang, 'case-from-message');
    // She marks it read on its page: everyone has read it.
    await huang.locator('[data-action="mark-read"]').click();
    await huang.locator('[data-submit="mark-read"]').click();
    await poll(() => huang.locator('#case-readers .readers-summary').textContent()).toBe('已阅 2/2，全部已阅');
    await poll(async () => (await api.get('huang-li', '/api/notifications?unread=true&limit=100')).body.items.some((n: { id: string }) => n.id === id)).toBe(false);
    await poll(() => unread.textContent()).toBe(before - 1 === 0 ? '' : `${before - 1} 条未读`);
    expect(pages.flatMap(pageProblems)).toEqual([]);
  });

  it('the picker finds a person among 2,000 by name and by pinyin initials, and lists the 80 sections', async () => {
    const original = (await api.get('chen-zhiqiang', '/api/org')).body;
    const org = bigOrg(2_000, 80);
    const saved = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: original.version, org });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 200)).toBe(200);
    try {
      await poll(async () => (await api.get('chen-zhiqiang', '/api/org')).body.people.length).toBe(2_000);
      // The browser's own clock (a fake one, as the other pages have, would time nothing).
      const director = await signedIn(browser, base, 'chen-zhiqiang');
      pages.push(director);
      await visit(director, `/cases/${doc.id}`);
      await director.locator('[data-action="circulate"]').click();
      const box = director.getByRole('combobox', { name: '传阅给' });
      await checkA11y(director, 'case-2000');
      // How fast it answers is measured by bench/picker (npm run bench:picker), not here.
      await box.focus();
      const someone = org.people[1_500]!;
      await director.keyboard.type(someone.name, { delay: 50 });
      await poll(() => director.getByRole('option', { name: new RegExp(`^${someone.name}`) }).count()).toBeGreaterThan(0);
      // And by pinyin initials (GET /api/org spells each name), e.g. "wgc" for 王国超.
      const initials = ((await api.get('chen-zhiqiang', '/api/org')).body.people as { id: string; initials?: string }[]).find((p) => p.id === someone.id)?.initials;
      expect(initials).toMatch(/^[a-z]+$/);
      await box.fill('');
      await director.keyboard.type(initials!, { delay: 50 });
      await poll(() => director.getByRole('option', { name: new RegExp(`^${someone.name}`) }).count()).toBeGreaterThan(0);
      // The department list opens on ↓ with every section of the 80.
      await box.fill('');
      await director.keyboard.press('ArrowDown');
      await poll(() => director.getByRole('listbox', { name: '传阅给' }).getByRole('option').count()).toBeGreaterThanOrEqual(80);
      await screenshot(director, 'picker-2000-1280');
    } finally {
      const current = (await api.get('chen-zhiqiang', '/api/org')).body;
      const restored = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: current.version, org: original });
      expect(restored.status).toBe(200);
    }
  });

  it('on a 375 × 812 phone: four inbox items a screen, 44 px targets, the menu behind one button, the decision first on the case page; and at 1280 × 800', async () => {
    // 周涛 (科长) has five leave requests waiting.
    const leaves = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => api.open('xu-liang', 'leave', `请假${n}天（家中有事）`, { leaveType: 'personal', startDate: '2026-12-01', endDate: '2026-12-01', days: 1, reason: '家中有事' })),
    );
    for (const l of leaves) await api.until('xu-liang', l.id, (c) => c.currentStep === 'section-head', 'the section head');

    const zhou = await as('zhou-tao', PHONE);
    for (const viewport of [PHONE, DESKTOP]) {
      const size = `${viewport.width}`;
      const SMALL_TARGETS = smallTargets(viewport === PHONE ? 44 : 24);
      await zhou.setViewportSize(viewport);
      await visit(zhou, '/');
      await poll(() => zhou.locator('.inbox-table tbody tr').count()).toBeGreaterThanOrEqual(5);
      const rows = (await zhou.locator('.inbox-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().bottom))) as number[];
      expect(rows.filter((bottom) => bottom <= viewport.height).length, `inbox items whole on the first screen at ${size}`).toBeGreaterThanOrEqual(4);
      expect(await zhou.evaluate(SMALL_TARGETS), `small targets on the inbox at ${size}`).toEqual([]);
      await checkA11y(zhou, `inbox-${size}`);
      await screenshot(zhou, `day-inbox-${size}`);
      const header = zhou.locator('.site-header');
      if (viewport === PHONE) {
        // One row: the brand, the messages and one menu button; the menu opens below it.
        expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
        expect(await zhou.locator('.main-nav').isHidden()).toBe(true);
        const menu = zhou.getByRole('button', { name: /^菜单/ });
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        await menu.click();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        expect(await zhou.locator('.main-nav').isVisible()).toBe(true);
        expect(await zhou.evaluate(SMALL_TARGETS), 'small targets in the open menu').toEqual([]);
        await checkA11y(zhou, 'menu-open-375');
        await screenshot(zhou, 'menu-375');
        await zhou.keyboard.press('Escape');
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        expect(await zhou.evaluate('document.activeElement?.classList.contains("menu-button")')).toBe(true);
      } else {
        // The menu is one row.
        const tops = (await zhou.locator('.main-nav li').evaluateAll((lis) => lis.map((li) => Math.round(li.getBoundingClientRect().top)))) as number[];
        expect(new Set(tops).size).toBe(1);
        expect(await zhou.locator('.menu-button').isHidden()).toBe(true);
      }

      // The case page: the decision is on the first screen, before the fields and the slip.
      await zhou.locator(`tr[data-case="${leaves[0]!.id}"] a`).click();
      await zhou.waitForURL(/\/cases\//);
      const approve = zhou.locator('[data-action="approve"]');
      await poll(() => approve.count()).toBe(1);
      const at = (await approve.boundingBox())!;
      expect(at.y + at.height, `the decision on the first screen at ${size}`).toBeLessThanOrEqual(viewport.height);
      expect(await zhou.evaluate(SMALL_TARGETS), `small targets on the case page at ${size}`).toEqual([]);
      await checkA11y(zhou, `case-${size}`);
      await screenshot(zhou, `day-case-${size}`);
      await approve.click();
      expect(await zhou.locator('.action-form-holder textarea').count()).toBe(1);
      const submit = (await zhou.locator('[data-submit="approve"]').boundingBox())!;
      expect(submit.y + submit.height, `the form's button on the first screen at ${size}`).toBeLessThanOrEqual(viewport.height);
    }
    expect(pages.flatMap(pageProblems)).toEqual([]);
  });
});
