/**
 * The archive standards on the web form: the archivist runs the year's 四性检测 (DA/T 70) from the
 * 档案 page, watches it finish, reads its report by property and item, checks one item by its 档号
 * and reads the 断号报告 (DA/T 22); the office director, as admin, checks the daily trail digests
 * over a few days and verifies one case's trail from its page.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ManualClock } from '../../local/clock.ts';
import { topology } from '../../infra/topology.ts';
import { apiClient } from '../support/api.ts';
import { givenLocalSystem } from '../support/local-system.ts';
import { ALL_FREE, checkA11y, givenBrowser, pageProblems, poll, screenshot, signedIn, visit } from './support.ts';

// Monday 30 November 2026, 09:00 in China: the case is filed that day; the page is read the next morning.
const MONDAY_9AM = Date.parse('2026-11-30T01:00:00Z');
const TUESDAY_9AM = Date.parse('2026-12-01T01:00:00Z');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A one-page PDF that opens: the item passes its 可用性 check. */
async function handInList(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595, 842]).drawText('Archive hand-in list 2026', { x: 60, y: 760, size: 18, font });
  return pdf.save();
}

describe('the archive standards on the web form', () => {
  const clock = new ManualClock(MONDAY_9AM);
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let browser: Browser;
  let base: string;
  let filed: { id: string; number: string };

  beforeAll(async () => {
    // Only the trail digest's schedule: it writes Monday's digest as the clock passes Tuesday 01:00.
    [system, browser] = await Promise.all([
      givenLocalSystem({ ports: ALL_FREE, clock, topology: { ...topology, schedules: topology.schedules.filter((s) => s.id === 'TrailDigest') }, archive: true }),
      givenBrowser(),
    ]);
    base = system.urls.api;
    api = apiClient(base);
    // A case filed into the catalogue, as in tests/integration/archive.test.ts.
    const handIn = await api.open('huang-li', 'archive-hand-in', '2026年度文书档案移交', { year: '2026', dueOn: '2026-12-31' });
    const pdf = await handInList();
    const asked = await api.post('huang-li', `/api/cases/${handIn.id}/uploads`, { fileName: '移交清册.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: pdf })).status).toBe(200);
    expect((await api.post('huang-li', `/api/cases/${handIn.id}/uploads/${asked.body.uploadId}/complete`)).status).toBe(200);
    await api.act('huang-li', handIn.id, { action: 'approve', comment: '已整理编目' });
    await api.act('chen-zhiqiang', handIn.id, { action: 'approve', comment: '目录审核通过' });
    const done = await api.until('huang-li', handIn.id, (c) => c.status === 'completed' && c.trail.some((e: any) => e.action === 'file'), 'filed');
    filed = { id: handIn.id, number: done.trail.find((e: any) => e.action === 'file').detail.archiveNumber };
    await system.streams.settle();
    await clock.set(TUESDAY_9AM);
    expect(await system.scheduler.fire('TrailDigest')).toMatchObject({ day: '2026-11-30' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('the archivist runs the 四性检测, reads its report and the 断号报告; the director checks the trail digests and verifies a case', async () => {
    const [huang, chen] = await Promise.all([signedIn(browser, base, 'huang-li', { now: clock.now() }), signedIn(browser, base, 'chen-zhiqiang', { now: clock.now() })]);

    // 档案 is in her menu (an archivist); it opens on this year, with nothing run yet.
    await huang.getByRole('link', { name: '档案', exact: true }).click();
    await poll(() => huang.locator('h1').textContent()).toBe('档案检测与移交');
    await poll(() => huang.locator('#archive-jobs .empty').textContent()).toContain('2026 年度尚无检测或移交任务');
    expect(await huang.locator('#archive-year').inputValue()).toBe('2026');
    await checkA11y(huang, 'archive');

    // 运行四性检测: queued, then done (the list is read again every 2 s), with its summary.
    await huang.getByRole('button', { name: '运行四性检测' }).click();
    // (Said when asked, then replaced by 已完成 once the list says so.)
    await poll(() => huang.locator('#archive-jobs .notice').first().textContent()).toMatch(/已提交四性检测（2026 年度）|四性检测已完成/);
    const job = huang.locator('#archive-jobs tr[data-job]').first();
    await poll(() => job.getAttribute('data-state')).toBe('done');
    expect(await job.textContent()).toContain('完成');
    expect(await job.textContent()).toContain('共 1 件：通过 1，不通过 0');

    // 查看报告: the summary by property, the year's numbering, the item with each check.
    await job.getByRole('button', { name: /^查看报告/ }).click();
    const report = huang.locator('#archive-report');
    await poll(() => report.locator('h2').textContent()).toMatch(/^四性检测报告（2026 年度，2026-12-01）$/);
    expect(await huang.evaluate('document.activeElement?.tagName')).toBe('H2');
    expect(await report.locator('.report-overall').textContent()).toBe('共 1 件：通过 1 件，不通过 0 件。');
    expect(await report.locator('.summary-table tbody th').allTextContents()).toEqual(['真实性', '完整性', '可用性', '安全性']);
    expect(await report.locator('.summary-table tr[data-property="authenticity"] td').first().textContent()).toBe('3');
    expect(await report.locator('.check-table tr[data-check="integrity.item-numbers"]').textContent()).toContain('✓');
    const item = report.locator(`.report-item[data-item="${filed.number}"]`);
    expect(await item.locator('summary').textContent()).toContain('全部通过');
    await item.locator('summary').click();
    expect(await item.locator('tr[data-check="usability.opens"]').textContent()).toContain('移交清册.pdf');
    // 只看不通过 leaves no item: none failed.
    await report.getByLabel('只看不通过').check();
    expect(await item.isHidden()).toBe(true);
    expect(await report.getByText('没有不通过的件。').isVisible()).toBe(true);
    await report.getByLabel('只看不通过').uncheck();
    await checkA11y(huang, 'archive-report');

    // 检测单件: a number that is no item is said under the field; the filed one is checked now.
    const numberField = huang.getByLabel('档号', { exact: true });
    await numberField.fill('Z123-2026-D10-BGS-9999');
    await huang.getByRole('button', { name: '检测', exact: true }).click();
    await poll(() => huang.locator('#check-one-number-error').textContent()).toContain('没有这个档号');
    expect(await numberField.getAttribute('aria-invalid')).toBe('true');
    await numberField.fill(filed.number);
    await huang.getByRole('button', { name: '检测', exact: true }).click();
    await poll(() => huang.locator('#archive-check-one .report-item summary').textContent()).toContain(filed.number);
    expect(await huang.locator('#check-one-number-error').isHidden()).toBe(true);

    // 断号报告: the year's 件号 used 1–1, nothing missing.
    await huang.getByRole('button', { name: '查看断号报告' }).click();
    const gaps = huang.locator('#archive-gaps');
    await poll(() => gaps.locator('.gaps-table tbody tr').count()).toBe(1);
    expect(await gaps.locator('.gaps-table tbody tr').textContent()).toBe('件号：2026-10年-办公室1100');
    expect(await gaps.textContent()).toContain('共 1 个编号序列：断号 0 个，作废 0 个。');
    await screenshot(huang, 'archive');
    expect(pageProblems(huang)).toEqual([]);

    // The director (admin): the digests of four days; Monday's names the filed case, and it verifies.
    await visit(chen, '/archive');
    await poll(() => chen.locator('h1').textContent()).toBe('档案检测与移交');
    await chen.getByLabel('开始日期').fill('2026-11-28');
    await chen.getByLabel('结束日期').fill('2026-12-01');
    await chen.getByRole('button', { name: '核验', exact: true }).click();
    const days = chen.locator('#archive-trail-check .trail-days tbody tr');
    await poll(() => days.count()).toBe(4);
    expect(await chen.locator('#archive-trail-check tr[data-day="2026-11-30"]').textContent()).toBe('2026-11-30有—10');
    expect(await chen.locator('#archive-trail-check tr[data-day="2026-11-29"]').textContent()).toBe('2026-11-29无—00');
    expect(await chen.locator('#archive-trail-check').textContent()).toContain('共核验 1 件，0 件不符。');
    // More than 31 days is said under 结束日期, before asking.
    await chen.getByLabel('开始日期').fill('2026-10-01');
    await chen.getByRole('button', { name: '核验', exact: true }).click();
    expect(await chen.locator('#trail-to-error').textContent()).toBe('一次最多核验 31 天。');
    await checkA11y(chen, 'archive-trail-check');
    await screenshot(chen, 'archive-trail');

    // 核验流程日志 on the case page: 通过, checked against Monday's digest.
    await visit(chen, `/cases/${filed.id}`);
    await chen.getByRole('button', { name: '核验流程日志' }).click();
    await poll(() => chen.locator('#case-trail .verify-result').textContent()).toMatch(/^✓ 通过（\d+ 条，已与 2026-11-30 存证摘要核对）$/);
    await screenshot(chen, 'archive-verify');
    expect(pageProblems(chen)).toEqual([]);
  }, 90_000);
});
