/**
 * bench/picker: how fast the person picker answers in a large organisation. The office director
 * circulates a 收文 to someone among PEOPLE people in DEPARTMENTS sections, in headless Chromium
 * at 4× CPU slowdown (an old office PC): the org chart's download, the time from each character
 * typed (name, then pinyin initials) to the matches drawn and to the next frame, and the time to
 * open the department list. Medians over RUNS rounds of typing.
 *   npm run bench:picker            PEOPLE=2000 DEPARTMENTS=80 RUNS=5
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem } from '../local/system.ts';
import { apiClient } from '../tests/support/api.ts';
import { bigOrg } from '../tests/support/big-org.ts';
import { asOldOfficePc, launchChromium } from '../tests/support/chromium.ts';

const PEOPLE = Number(process.env.PEOPLE ?? 2_000);
const DEPARTMENTS = Number(process.env.DEPARTMENTS ?? 80);
const RUNS = Number(process.env.RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Records, for each character typed into the focused box, when its matches were drawn and the next frame. */
const RECORD = `(() => {
  const input = document.activeElement;
  window.__timings = [];
  input.addEventListener('beforeinput', () => { window.__t0 = performance.now(); }, true);
  input.addEventListener('input', () => {
    const t0 = window.__t0, drawn = performance.now();
    const options = document.querySelectorAll('#' + input.getAttribute('aria-controls') + ' [role=option]').length;
    requestAnimationFrame(() => window.__timings.push({ options, drawnMs: drawn - t0, frameMs: performance.now() - t0 }));
  });
})()`;

const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
const browser = await launchChromium();
try {
  const api = apiClient(system.urls.api);
  const original = (await api.get('chen-zhiqiang', '/api/org')).body;
  const org = bigOrg(PEOPLE, DEPARTMENTS);
  const saved = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: original.version, org });
  if (saved.status !== 200) throw new Error(`PUT /api/org: ${saved.status} ${JSON.stringify(saved.body).slice(0, 200)}`);
  // A 收文 at the office director's 拟办, where he may circulate it.
  const doc = await api.open('liu-fang', 'incoming-document', '省厅关于开展安全生产大检查的通知', {
    fromOrg: '省应急管理厅', docNumber: '省应急〔2026〕12号', receivedOn: new Date().toISOString().slice(0, 10), docCategory: 'superior', urgency: 'normal', confidentiality: 'internal', copies: 1,
  });
  await api.act('liu-fang', doc.id, { action: 'approve' });
  await api.until('liu-fang', doc.id, (c) => c.currentStep === 'propose', 'the proposal');
  const people = (await api.get('chen-zhiqiang', '/api/org')).body.people as { id: string; name: string; initials?: string }[];
  const token = await api.login('chen-zhiqiang');
  const session = JSON.stringify({ token, personId: 'chen-zhiqiang', name: '陈志强', expiresAt: Math.floor(Date.now() / 1000) + 3600 });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  await context.addInitScript(`localStorage.setItem('bangong.session', ${JSON.stringify(session)})`);
  const page = await context.newPage();
  await asOldOfficePc(context, page, { network: false });
  await page.goto(`${system.urls.api}/cases/${doc.id}`);
  await page.locator('[data-action="circulate"]').click();
  const box = page.getByRole('combobox', { name: '传阅给' });
  await box.waitFor();
  const orgLoad = (await page.evaluate(`performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/api/org').map((e) => ({ ms: e.duration, kB: e.encodedBodySize / 1024 }))[0]`)) as { ms: number; kB: number } | undefined;

  const byName: { drawnMs: number; frameMs: number }[] = [];
  const byInitials: { drawnMs: number; frameMs: number }[] = [];
  const opens: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Someone far down the list, a different person each round.
    const someone = people[Math.floor(people.length * 0.75) + run]!;
    for (const [typed, into] of [[someone.name, byName], [someone.initials ?? '', byInitials]] as const) {
      if (!typed) continue;
      await box.fill('');
      await box.focus();
      await page.evaluate(RECORD);
      await page.keyboard.type(typed, { delay: 150 });
      await page.getByRole('option', { name: new RegExp(`^${someone.name}`) }).first().waitFor();
      into.push(...((await page.evaluate('window.__timings')) as { drawnMs: number; frameMs: number }[]));
      await page.keyboard.press('Escape');
    }
    await box.fill('');
    await box.focus();
    opens.push((await page.evaluate(`(() => { const t0 = performance.now(); document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })); return performance.now() - t0; })()`)) as number);
    await page.keyboard.press('Escape');
  }
  await context.close();

  console.log(`bench/picker: ${people.length} people in ${org.departments.length} departments, 4× CPU slowdown, ${RUNS} rounds`);
  if (orgLoad) console.log(`  GET /api/org: ${ms(orgLoad.ms)}, ${orgLoad.kB.toFixed(0)} kB on the wire`);
  for (const [what, timings] of [['a name, each character', byName], ['pinyin initials, each letter', byInitials]] as const) {
    if (timings.length === 0) continue;
    console.log(`  typing ${what}: matches drawn median ${ms(median(timings.map((t) => t.drawnMs)))} (max ${ms(Math.max(...timings.map((t) => t.drawnMs)))}), next frame median ${ms(median(timings.map((t) => t.frameMs)))} (max ${ms(Math.max(...timings.map((t) => t.frameMs)))}) over ${timings.length} keystrokes`);
  }
  console.log(`  opening the department list: median ${ms(median(opens))} (max ${ms(Math.max(...opens))})`);
} finally {
  await browser.close();
  await system.stop();
  rmSync(s3Dir, { recursive: true, force: true });
}
