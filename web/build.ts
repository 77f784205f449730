/**
 * How the web form is built: web/src (plain TypeScript, checked by `tsc -p web`) bundled by
 * esbuild into minified ES modules split per page, beside the static files of web/public. Every
 * built script and style sheet lives under /assets/ with a content hash in its name, so it can be
 * cached for a year; index.html, generated from web/public/index.html to name them, is the one
 * file a browser must revalidate (with config.json). The inbox, the page most people open first,
 * is in the entry script; index.html preloads the chunks it imports.
 *
 * The same build serves both places: CDK writes it into the site bucket at synth time
 * (infra/constructs/web.ts), the local gateway keeps it in memory (local/web.ts).
 */
import { buildSync, context, type BuildContext, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const WEB_DIR = resolve(import.meta.dirname);
export const WEB_PUBLIC = join(WEB_DIR, 'public');

/** Hashed, never-changing files live under this path; everything else is revalidated. */
export const ASSETS_PATH = '/assets/';

/** web/public files that are entry points of the build; the rest are copied as they are. */
const STYLES = { app: 'app.css', print: 'print.css' } as const;

/** Where in-memory builds pretend to write; only the paths below it matter. */
const MEMORY_OUTDIR = '/site';

const options = {
  entryPoints: [
    { in: 'src/main.ts', out: 'app' },
    ...Object.entries(STYLES).map(([out, file]) => ({ in: `public/${file}`, out })),
  ],
  // Paths in the metafile (and so the hashes) do not depend on where the build is started from.
  absWorkingDir: WEB_DIR,
  bundle: true,
  format: 'esm',
  splitting: true,
  platform: 'browser',
  // Browsers the office has: current Chromium-based ones (incl. 360/QQ in speed mode), Safari on phones.
  target: ['chrome110', 'edge110', 'firefox115', 'safari16'],
  entryNames: 'assets/[name]-[hash]',
  chunkNames: 'assets/[name]-[hash]',
  sourcemap: 'linked',
  minify: true,
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'silent',
  metafile: true,
  write: false,
} satisfies BuildOptions;

type Built = BuildResult<typeof options>;

/** The site by URL path (`/index.html`, `/assets/app-5XK3….js`, `/favicon.svg`). */
export type WebSite = Map<string, Uint8Array>;

/** Builds the whole site into `outdir` (for deployment and bench/web). */
export function buildWebSite(outdir: string): string {
  const site = siteOf(buildSync({ ...options, outdir: MEMORY_OUTDIR }));
  for (const [path, body] of site) {
    const file = join(outdir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
  return outdir;
}

/**
 * The site in memory for the local gateway: built once, on first use, and again only when one
 * of its source files has changed since (checked by modification time when a page is opened), so
 * an edit shows on reload. Files of earlier builds stay served: a page open before the edit can
 * still load its chunks.
 */
export function webBundler() {
  let ctx: Promise<BuildContext<typeof options>> | undefined;
  /** The latest build: the modification times of its inputs. */
  let current: Promise<Map<string, number>> | undefined;
  const served: WebSite = new Map();
  const build = async () => {
    ctx ??= context({ ...options, outdir: MEMORY_OUTDIR });
    const result = await (await ctx).rebuild();
    for (const [path, body] of siteOf(result)) served.set(path, body);
    return modified(Object.keys(result.metafile.inputs));
  };
  return {
    /** The site's files; `fresh` checks the sources first and rebuilds if any changed. */
    async site(options: { fresh?: boolean } = {}): Promise<WebSite> {
      for (;;) {
        const awaited = current;
        const inputs = awaited && (await awaited.catch(() => undefined));
        // Another request started a build meanwhile: that one is the answer.
        if (awaited !== current) continue;
        if (!inputs || (options.fresh && changed(inputs))) {
          current = build();
          await current;
        }
        return served;
      }
    },
    async dispose() {
      if (ctx) await (await ctx).dispose();
    },
  };
}

function siteOf(result: Built): WebSite {
  const site: WebSite = new Map();
  const urlOf = (absolute: string) => `/${relative(MEMORY_OUTDIR, absolute)}`;
  for (const file of result.outputFiles) site.set(urlOf(file.path), file.contents);
  const outputs = outputsByUrl(result.metafile, urlOf);
  const entry = (input: string) => [...outputs].find(([, o]) => o.entryPoint === input)?.[0] ?? missing(input);
  const app = entry('src/main.ts');
  // What the inbox (`/`, whose view main.ts imports itself) runs before its first rows: the chunks the entry imports.
  const preload = staticClosure(outputs, app);
  // zod (some 110 KB gzip) is for the pages that check forms; the inbox must open without it.
  const heavy = [...preload].flatMap((url) => Object.keys(outputs.get(url)?.inputs ?? {})).filter((input) => input.includes('node_modules/zod/'));
  if (heavy.length > 0) throw new Error(`the inbox's scripts would carry zod (${heavy[0]}): import it from a page's view, not from main.ts or what it imports`);
  preload.delete(app);
  const styles = Object.fromEntries(Object.values(STYLES).map((file) => [file, entry(`public/${file}`)]));
  site.set('/index.html', new TextEncoder().encode(indexHtml({ app, styles, preload: [...preload] })));
  for (const name of readdirSync(WEB_PUBLIC)) {
    if (name === 'index.html' || (Object.values(STYLES) as string[]).includes(name) || !statSync(join(WEB_PUBLIC, name)).isFile()) continue;
    site.set(`/${name}`, readFileSync(join(WEB_PUBLIC, name)));
  }
  return site;
}

function outputsByUrl(metafile: Metafile, urlOf: (absolute: string) => string) {
  return new Map(Object.entries(metafile.outputs).map(([path, output]) => [urlOf(resolve(WEB_DIR, path)), { ...output, imports: output.imports.map((i) => ({ ...i, path: urlOf(resolve(WEB_DIR, i.path)) })) }]));
}

function staticClosure(outputs: ReturnType<typeof outputsByUrl>, url: string, seen = new Set<string>()): Set<string> {
  if (seen.has(url)) return seen;
  seen.add(url);
  for (const i of outputs.get(url)?.imports ?? []) if (i.kind === 'import-statement') staticClosure(outputs, i.path, seen);
  return seen;
}

/**
 * web/public/index.html naming the built files: the hashed script and styles, the chunks the
 * entry imports as `modulepreload` (fetched at once, not one after another as each is parsed),
 * and config.json fetched while the scripts load.
 */
function indexHtml(built: { app: string; styles: Record<string, string>; preload: string[] }): string {
  let html = readFileSync(join(WEB_PUBLIC, 'index.html'), 'utf8');
  const swap = (from: string, to: string) => {
    if (!html.includes(from)) throw new Error(`web/public/index.html no longer has ${from}`);
    html = html.replace(from, to);
  };
  for (const [file, url] of Object.entries(built.styles)) swap(`href="/${file}"`, `href="${url}"`);
  swap(
    '<script type="module" src="/app.js"></script>',
    [
      // Fetched as config.ts fetches it (same-origin, no credentials), so that fetch takes this response.
      '<link rel="preload" href="/config.json" as="fetch" crossorigin="anonymous">',
      `<script type="module" src="${built.app}"></script>`,
      ...built.preload.map((url) => `<link rel="modulepreload" href="${url}">`),
    ].join('\n  '),
  );
  return html;
}

/** The modification times of the build's inputs (but for installed packages, which change by `npm install` alone). */
function modified(inputs: string[]): Map<string, number> {
  return new Map(inputs.filter((path) => !path.includes('node_modules/')).map((path) => [resolve(WEB_DIR, path), mtimeOf(resolve(WEB_DIR, path))]));
}

function changed(inputs: Map<string, number>): boolean {
  for (const [path, mtime] of inputs) if (mtimeOf(path) !== mtime) return true;
  return false;
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function missing(input: string): never {
  throw new Error(`the web build has no output for ${input}`);
}
