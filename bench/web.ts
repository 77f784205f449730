/**
 * bench/web: how fast the web form opens. The production bundle's sizes (minified, gzip, brotli),
 * and the inbox's time to visible content — its first rows on screen — for a section head with
 * 200 tasks, in headless Chromium at 4× CPU slowdown with 150 ms of network latency (a clerk's
 * old office PC on the bureau's network). Median of RUNS cold loads (empty cache each time).
 *   npm run bench:web            TASKS=200 RUNS=7
 *
 * What it measures (changed when the form was split per page, issue 12):
 * - Sizes: every built file under assets/ (hashed names), the inbox's JavaScript — the entry and
 *   the chunks index.html preloads, checked against the scripts the page really loads — and all of it.
 * - Time to first rows: measured in the page, from navigation start to the first task after the
 *   frame that holds the first row. Until then it was the wall time from `page.goto` to Playwright
 *   seeing a row visible, which also counted Playwright's own script, injected into the page (some
 *   250 ms of main thread at 4× slowdown) while the page was still loading; that figure is still
 *   printed beside it. The local gateway serves the build as CloudFront does: brotli, cache headers.
 * - For scale, the same browser under the same conditions opening a page of one heading and no
 *   script or style (one round trip): its first paint is the floor on this machine.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { startLocalSystem } from '../local/system.ts';
import { buildWebSite } from '../web/build.ts';
import { apiClient } from '../tests/support/api.ts';
import { asOldOfficePc, launchChromium } from '../tests/support/chromium.ts';
import { bulkLoad, makeCases } from '../tests/support/bulk-load.ts';

const TASKS = Number(process.env.TASKS ?? 200);
const RUNS = Number(process.env.RUNS ?? 7);
/**
 * In the page, from navigation start: the first task after the frame that has the first inbox row
 * in it (a requestAnimationFrame callback runs just before that frame is painted). Read through
 * CDP, so no Playwright script runs in the page while it loads.
 */
const FIRST_ROWS_PAINTED = `window.__firstRowsPainted = new Promise((resolve) => {
  const seen = () => {
    if (!document.querySelector('tr[data-case]')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { subtree: true, childList: true });
});`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

// The bundle as deployed: every file, then what the inbox (the page at /) loads before its first
// rows — the entry script and the modules index.html preloads for it — and all the scripts.
const site = buildWebSite(mkdtempSync(join(tmpdir(), 'bangong-web-bench-')));
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
const gzipOf = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
console.log('bench/web: the production bundle');
let totalGzip = 0;
for (const file of files(site).filter((f) => /\.(js|css|html)$/.test(f)).sort()) {
  const bytes = readFileSync(file);
  const gzip = gzipOf(file);
  if (file.endsWith('.js')) totalGzip += gzip;
  console.log(`  ${file.slice(site.length + 1).padEnd(34)} ${kb(bytes.length).padStart(7)} · gzip ${kb(gzip).padStart(6)} · brotli ${kb(brotliCompressSync(bytes).length).padStart(6)}`);
}
const index = readFileSync(join(site, 'index.html'), 'utf8');
const inboxScripts = [...index.matchAll(/<script type="module" src="([^"]+)"|<link rel="modulepreload" href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
const inboxGzip = inboxScripts.reduce((sum, url) => sum + gzipOf(join(site, url)), 0);
console.log(`  the inbox's JavaScript (entry and preloaded modules, ${inboxScripts.length} files), gzip: ${kb(inboxGzip)}`);
console.log(`  all JavaScript, gzip: ${kb(totalGzip)}`);
rmSync(site, { recursive: true, force: true });

const s3Dir = mkdtempSync(join(tmpdir(), 'bangong-bench-s3-'));
const system = await startLocalSystem({ s3Dir, ports: { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 } });
const browser = await launchChromium();
try {
  // 200 open leaves of 计划财务科's staff: all wait on its head, 周涛.
  await bulkLoad(system.urls.dynamodb, makeCases(TASKS, { end: Date.now(), spacingMs: 60_000, openEvery: 1, prefix: 'web', applicants: ['xu-liang', 'wu-min'] }));
  const api = apiClient(system.urls.api);
  const token = await api.login('zhou-tao');
  const tasks = (await api.get('zhou-tao', '/api/tasks?limit=100')).body.items.length;
  const session = JSON.stringify({ token, personId: 'zhou-tao', name: '周涛', expiresAt: Math.floor(Date.now() / 1000) + 3600 });
  const times: number[] = [];
  const harnessTimes: number[] = [];
  const blankTimes: number[] = [];
  const blank = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>办公</title><h1>办公</h1>'));
  await new Promise<void>((resolve) => blank.listen(0, '127.0.0.1', resolve));
  for (let run = 0; run <= RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await context.addInitScript(`localStorage.setItem('bangong.session', ${JSON.stringify(session)})`);
    await context.addInitScript(FIRST_ROWS_PAINTED);
    const page = await context.newPage();
    const cdp = await asOldOfficePc(context, page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    // The floor: a one-heading page, one round trip, nothing to run.
    const empty = await context.newPage();
    await asOldOfficePc(context, empty);
    await empty.goto(`http://127.0.0.1:${(blank.address() as { port: number }).port}/`, { waitUntil: 'load' });
    const firstPaint = (await empty.evaluate(`new Promise((resolve) => { const p = () => { const e = performance.getEntriesByName('first-paint')[0]; e ? resolve(e.startTime) : setTimeout(p, 50); }; p(); })`)) as number;
    if (run > 0) blankTimes.push(firstPaint);
    await empty.close();
    const scripts: string[] = [];
    page.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
    const started = performance.now();
    await page.goto(`${system.urls.api}/`, { waitUntil: 'commit' });
    const painted = await cdp.send('Runtime.evaluate', { expression: 'window.__firstRowsPainted', awaitPromise: true, returnByValue: true });
    await page.locator('tr[data-case]').first().waitFor({ state: 'visible', timeout: 60_000 });
    const harness = performance.now() - started;
    // The sizes above are honest only if the page loads no other script before its first rows.
    const unlisted = scripts.filter((url) => !inboxScripts.includes(url));
    if (unlisted.length > 0) console.log(`  (the inbox also loaded ${unlisted.join(', ')})`);
    // The first load warms the local bundler and DynamoDB Local: not counted.
    if (run > 0) times.push(painted.result.value as number), harnessTimes.push(harness);
    await context.close();
  }
  console.log(`the inbox with ${TASKS} tasks (${tasks} on its first page of the API), 4× CPU slowdown, 150 ms latency:`);
  const figures = (values: number[]) => `median ${(median(values) / 1000).toFixed(2)} s (min ${(Math.min(...values) / 1000).toFixed(2)}, max ${(Math.max(...values) / 1000).toFixed(2)}) over ${RUNS} cold loads`;
  console.log(`  time to its first rows on screen: ${figures(times)}`);
  console.log(`  (as measured before: goto → Playwright sees a row visible, its own script's work included: ${figures(harnessTimes)})`);
  console.log(`  for scale, a page of one heading and nothing else, first paint: ${figures(blankTimes)}`);
  blank.close();
} finally {
  await browser.close();
  await system.stop();
  rmSync(s3Dir, { recursive: true, force: true });
}
