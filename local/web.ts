/**
 * The web form on the local gateway: the production build of web/ (web/build.ts: minified,
 * split per page, hashed names) kept in memory, built when first asked for (a system that serves
 * only the API never builds it) and again only after a source file changed; and config.json
 * telling the page how to sign in here (dev login with the demo people). Each file says how long
 * it may be cached, as S3 does in AWS (infra/constructs/web.ts): hashed files under /assets/ for
 * a year, the page itself and config.json revalidated every time. The gateway compresses them
 * and answers If-None-Match.
 */
import { extname } from 'node:path';
import { ASSETS_PATH, webBundler } from '../web/build.ts';
import type { WebFile } from './gateway.ts';
import { PAGE_PATH } from '../web/src/pages.ts';

export interface LocalPerson {
  readonly id: string;
  readonly name: string;
  readonly nameEn?: string;
  readonly title?: string;
  readonly department?: string;
}

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export function createWebAssets(options: { people: () => Promise<readonly LocalPerson[]> }) {
  const bundler = webBundler();
  // The same config is the same body, so the gateway compresses and tags it once.
  let config: { json: string; body: Uint8Array } | undefined;
  return {
    async handle(pathname: string): Promise<WebFile | undefined> {
      if (pathname === '/config.json') {
        const json = JSON.stringify({ apiUrl: '', auth: { mode: 'dev', people: await options.people() } });
        if (config?.json !== json) config = { json, body: new TextEncoder().encode(json) };
        return { type: 'application/json; charset=utf-8', body: config.body, cacheControl: REVALIDATE };
      }
      // Page addresses (/cases/…, /dashboard) are the one page, which routes itself. Opening it
      // is when an edited source is built again.
      const page = PAGE_PATH.test(pathname);
      const site = await bundler.site({ fresh: page });
      const path = page ? '/index.html' : pathname;
      const body = site.get(path);
      if (!body) return undefined;
      return { type: TYPES[extname(path)] ?? 'application/octet-stream', body, cacheControl: path.startsWith(ASSETS_PATH) ? IMMUTABLE : REVALIDATE };
    },
    dispose: () => bundler.dispose(),
  };
}
