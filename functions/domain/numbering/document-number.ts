/**
 * 发文字号: a number per document kind and year, e.g. 浏后勤发〔2026〕12号 (001 §一(一)1). Numbers
 * are never reused: one voided is recorded as void, and the next document takes the next number.
 */
export function formatDocumentNumber(kind: string, year: number, sequence: number): string {
  return `${kind}〔${year}〕${sequence}号`;
}

/** The year a number belongs to: the calendar year in China (Asia/Shanghai). */
export function numberingYear(at: number): number {
  return new Date(at + 8 * 3_600_000).getUTCFullYear();
}
