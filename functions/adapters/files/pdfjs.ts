/** pdfjs, loaded once per container: its worker runs in this thread (set as `globalThis.pdfjsWorker`, which also survives bundling). */
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

let loaded: Promise<typeof Pdfjs> | undefined;

export function loadPdfjs(): Promise<typeof Pdfjs> {
  loaded ??= (async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs' as string);
    return pdfjs;
  })();
  return loaded;
}
