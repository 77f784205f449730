/** pdfjs, loaded once per container: its worker runs in this thread (set as `globalThis.pdfjsWorker`, which also survives bundling). */
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

let loaded: Promise<typeof Pdfjs> | undefined;

/**
 * The built-ins that pdfjs's legacy build (through its core-js polyfills) replaces for the whole
 * process on Node 20 (which lacks JSON.rawJSON; Node 22 and Lambda's 24 have it and keep their
 * own): with its JSON.stringify, written in JavaScript, every response, log line and SDK request of
 * `npm start` or a test worker after the first PDF read took many times as long.
 * pdfjs needs none of the replacements (it keeps the functions core-js adds), so they are put back.
 */
const NATIVE = { parse: JSON.parse, stringify: JSON.stringify, push: Array.prototype.push };

export function loadPdfjs(): Promise<typeof Pdfjs> {
  loaded ??= (async () => {
    try {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs' as string);
      return pdfjs;
    } finally {
      JSON.parse = NATIVE.parse;
      JSON.stringify = NATIVE.stringify;
      Array.prototype.push = NATIVE.push;
    }
  })();
  return loaded;
}
