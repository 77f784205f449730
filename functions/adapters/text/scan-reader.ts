/** The ScanReader port over extract-text.ts: one OCR worker per warm function, reused file after file. */
import type { ScanReader } from '../../domain/search/read-scan-texts.ts';
import { createOcr, extractText, TextExtractionError, type Ocr } from './extract-text.ts';

let ocr: Ocr | undefined;

export function scanReader(): ScanReader {
  return {
    async read(bytes, contentType, { fromPage, deadline }) {
      ocr ??= createOcr();
      try {
        const text = await extractText(bytes, contentType, { fromPage, deadline, ocr });
        return { ok: true, pages: text.pages.map((p) => p.text), pageCount: text.pageCount, next: text.next };
      } catch (error) {
        if (error instanceof TextExtractionError) return { ok: false, reason: error.reason, message: error.message };
        throw error;
      }
    },
  };
}

/** Ends the OCR worker (a local runtime stopping; Lambda just freezes it). */
export async function closeScanReader(): Promise<void> {
  await ocr?.close();
  ocr = undefined;
}
