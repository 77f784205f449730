/**
 * How text becomes search terms. Chinese is written without spaces, and no segmenter knows every
 * person's name or every department's abbreviation, so a run of Han characters gives two kinds of
 * terms: the words the ICU dictionary segmenter finds (Intl.Segmenter, built into Node: no
 * dictionary to load at a cold start) and every two-character run in it. Queries match on the
 * two-character runs (so 安全生产 and 黄丽 are found however either side was segmented) and rank
 * higher where the whole words occur too. Latin words and digits are terms as they are, lower-cased.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
/** What FTS5's tokenizer would split a word at: anything not a letter or a digit (the segmenter keeps `2026.11.23`, `can't`, `a_b` whole). */
const NOT_ALNUM = /[^\p{L}\p{N}]+/u;

/** A word that is not Han, as terms holding letters and digits only. */
const plainTerms = (segment: string) => segment.split(NOT_ALNUM).filter((t) => t !== '');

/** Full-width letters and digits as ASCII, compatibility forms folded, lower case. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function bigramsOf(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Every term a text is indexed under: words of two or more Han characters, Han bigrams, Latin words and numbers. */
export function indexTerms(text: string): string[] {
  const folded = foldText(text);
  const terms: string[] = [];
  for (const run of folded.match(HAN_RUN) ?? []) terms.push(...bigramsOf(run));
  for (const s of segmenter.segment(folded)) {
    if (!s.isWordLike) continue;
    if (HAN.test(s.segment)) {
      // Two-character words are bigrams already.
      if ([...s.segment].length > 2) terms.push(s.segment);
    } else terms.push(...plainTerms(s.segment));
  }
  return terms;
}

export interface QueryTerms {
  /** Every one must occur: the Han bigrams, Latin words and numbers of the query. */
  readonly required: string[];
  /** Whole words of three or more Han characters: a document holding them ranks higher. */
  readonly words: string[];
}

/** The terms a query matches on; empty when it has nothing searchable (punctuation, emoji, a lone Han character). */
export function queryTerms(query: string): QueryTerms {
  const folded = foldText(query);
  const required = new Set<string>();
  for (const run of folded.match(HAN_RUN) ?? []) if ([...run].length > 1) for (const b of bigramsOf(run)) required.add(b);
  const words = new Set<string>();
  for (const s of segmenter.segment(folded)) {
    if (!s.isWordLike) continue;
    if (HAN.test(s.segment)) {
      if ([...s.segment].length > 2) words.add(s.segment);
    } else for (const t of plainTerms(s.segment)) required.add(t);
  }
  return { required: [...required], words: [...words] };
}

const OPENING = /[〔【［\[（(｛{]/g;
const CLOSING = /[〕】］\]）)｝}]/g;

/**
 * A document or register number as compared for an exact look-up: 示财〔2026〕45号, 示财[2026]45号
 * and 示财（２０２６）４５号 are the same number. Whitespace and bracket styles do not count.
 */
export function normalizeNumber(value: string): string {
  return foldText(value).replace(/\s+/g, '').replace(OPENING, '[').replace(CLOSING, ']');
}

/** Whether a query reads as a number to look up (has a digit, and is short and unspaced enough). */
export function looksLikeNumber(query: string): boolean {
  const n = normalizeNumber(query);
  return /\d/.test(n) && n.length >= 3 && n.length <= 60;
}
