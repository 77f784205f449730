/**
 * The web form on the local gateway: app.js built in process from web/src (esbuild, no build
 * server), and config.json telling the page how to sign in here (dev login with the demo people).
 * In AWS the same files come from S3 through CloudFront (infra/constructs/web.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEB_PUBLIC, webBundler } from '../web/build.ts';
import { PAGE_PATH } from '../web/src/pages.ts';

export interface WebAsset {
  readonly type: string;
  readonly body: Uint8Array;
}

export interface LocalPerson {
  readonly id: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly title?: string;
  readonly department?: string;
}

export function createWebAssets(options: { people: () => Promise<readonly LocalPerson[]> }) {
  const bundler = webBundler();
  return {
    async handle(pathname: string): Promise<WebAsset | undefined> {
      if (pathname === '/config.json') {
        const config = { apiUrl: '', auth: { mode: 'dev', people: await options.people() } };
        return { type: 'application/json; charset=utf-8', body: new TextEncoder().encode(JSON.stringify(config)) };
      }
      // Page addresses (/cases/…, /dashboard) are the one page, which routes itself.
      if (PAGE_PATH.test(pathname)) return { type: 'text/html; charset=utf-8', body: await readFile(join(WEB_PUBLIC, 'index.html')) };
      if (pathname !== '/app.js' && pathname !== '/app.js.map') return undefined;
      const file = (await bundler.files()).get(pathname);
      return file && { type: pathname.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8', body: file };
    },
    dispose: () => bundler.dispose(),
  };
}
