/**
 * The headless Chromium that the end-to-end tests and the browser benches drive (Debian's, from
 * apt), and the old office PC the benches play it as: 4× CPU slowdown, 150 ms to the server.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

const FULL = '/usr/bin/chromium';
/** Debian's chromium-headless-shell: the same Blink without the browser around it. */
const SHELL = '/usr/bin/chromium-headless-shell';

/**
 * `shell`: Debian's headless shell where it is installed (the end-to-end tests: less time and CPU
 * than the whole browser for the same pages), else the browser. The benches time pages as a
 * person's browser shows them, so they take the whole browser. CHROMIUM_PATH overrides both.
 *
 * `baselineJit`: pages' scripts run in V8's interpreter and baseline compiler (Sparkplug) only,
 * never its optimizing compilers (Maglev, TurboFan). A test's page lives for seconds, too short
 * for an optimized function to pay back its compiling, and the end-to-end walks are bound by the
 * machine's CPU. What a script does is the same in every tier; the benches, which time pages as a
 * person's browser runs them, keep the default.
 */
export function launchChromium(options: { shell?: boolean; baselineJit?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (options.shell && existsSync(SHELL) ? SHELL : FULL),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.baselineJit ? ['--js-flags=--max-opt=1'] : []),
    ],
  });
}

/** A clerk's old office PC on the bureau's network: the page's CPU 4× slower, 150 ms latency (10/5 Mbit/s) unless `network: false`. */
export async function asOldOfficePc(context: BrowserContext, page: Page, options: { network?: boolean } = {}): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  if (options.network !== false) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (10 * 1024 * 1024) / 8, uploadThroughput: (5 * 1024 * 1024) / 8 });
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}
