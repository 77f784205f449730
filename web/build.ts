/**
 * How the web form is built: one esbuild bundle of web/src (plain TypeScript, checked by
 * `tsc -p web`) beside the static files of web/public. The local gateway builds it in process
 * when the page asks for it (no build server); CDK builds it at synth time into the bucket.
 */
import { buildSync, context, type BuildOptions, type BuildContext } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WEB_DIR = resolve(import.meta.dirname);
export const WEB_PUBLIC = join(WEB_DIR, 'public');

function options(minify: boolean): BuildOptions {
  return {
    entryPoints: { app: join(WEB_DIR, 'src/main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers the office has: current Chromium-based ones (incl. 360/QQ in speed mode), Safari on phones.
    target: ['chrome110', 'edge110', 'firefox115', 'safari16'],
    sourcemap: 'linked',
    minify,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** Builds the whole site into `outdir` (for deployment): web/public plus app.js. */
export function buildWebSite(outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  cpSync(WEB_PUBLIC, outdir, { recursive: true });
  buildSync({ ...options(true), outdir });
  return outdir;
}

/** Serves app.js from memory, rebuilt incrementally on each request so edits show on reload. */
export function webBundler() {
  let ctx: Promise<BuildContext<BuildOptions & { write: false }>> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const rebuild = async () => {
    ctx ??= context({ ...options(false), outdir: '/app', write: false });
    const result = await (await ctx).rebuild();
    return new Map(result.outputFiles.map((f) => [f.path.replace(/^.*\//, '/'), f.contents]));
  };
  return {
    /** The bundle's files by URL path (`/app.js`, `/app.js.map`). */
    files(): Promise<Map<string, Uint8Array>> {
      const next = queue.then(rebuild, rebuild);
      queue = next.catch(() => undefined);
      return next;
    },
    async dispose() {
      if (ctx) await (await ctx).dispose();
    },
  };
}
