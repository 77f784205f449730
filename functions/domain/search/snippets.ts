/**
 * The piece of text a result shows, with where the query occurs in it. Highlights are positions,
 * never markup: the page puts the text in as text and marks the ranges, so nothing a person typed
 * into a case can become HTML on someone else's screen.
 */
import { normalizeNumber, queryTerms } from './tokens.ts';

export interface Snippet {
  readonly text: string;
  /** [start, end) in UTF-16 code units of `text`, in order, not overlapping. */
  readonly highlights: [number, number][];
}

/** Characters shown around the first occurrence. */
const CONTEXT = 40;
const LENGTH = 120;

/**
 * The text folded as terms and numbers are (width, case, one bracket style, no spaces), a character
 * at a time, with where each folded code unit came from: a character folding to more or fewer
 * (ﬁ → fi, ２ → 2, a space → nothing) still marks exactly itself.
 */
function foldedWithOrigins(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  for (const ch of text) {
    const f = normalizeNumber(ch);
    for (let k = 0; k < f.length; k++) {
      from.push(at);
      to.push(at + ch.length);
    }
    folded += f;
    at += ch.length;
  }
  return { folded, from, to };
}

/** Where the query's terms occur in the text, merged into runs ([start, end) pairs of the text as given). */
export function occurrences(text: string, query: string): [number, number][] {
  const { folded, from, to } = foldedWithOrigins(text);
  const { required, words } = queryTerms(query);
  const needles = [...new Set([...required, ...words, normalizeNumber(query)])].filter((n) => n.length > 0);
  const marks = new Uint8Array(text.length);
  for (const needle of needles) {
    for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) marks.fill(1, from[at]!, to[at + needle.length - 1]!);
  }
  const ranges: [number, number][] = [];
  for (let i = 0; i < marks.length; i++) {
    if (!marks[i]) continue;
    let j = i;
    while (j < marks.length && marks[j]) j++;
    ranges.push([i, j]);
    i = j;
  }
  return ranges;
}

/** How many characters of the text the query marks (to choose the field that matched best). */
export function coverage(text: string, query: string): number {
  return occurrences(text, query).reduce((n, [a, b]) => n + b - a, 0);
}

/** A window of the text around the first occurrence, with every occurrence in it marked. */
export function snippetOf(text: string, query: string): Snippet {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ranges = occurrences(flat, query);
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - CONTEXT);
  // Not in the middle of a surrogate pair.
  if (start > 0 && /[\udc00-\udfff]/.test(flat[start]!)) start--;
  let end = Math.min(flat.length, start + LENGTH);
  if (end < flat.length && /[\udc00-\udfff]/.test(flat[end]!)) end++;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < flat.length ? '…' : '';
  const shift = prefix.length - start;
  return {
    text: prefix + flat.slice(start, end) + suffix,
    highlights: ranges.filter(([a, b]) => a >= start && b <= end).map(([a, b]) => [a + shift, b + shift]),
  };
}
