/**
 * 全文检索: cases, their opinions and the pages of their scans, ranked, within what the caller
 * may see. Visibility is decided on every candidate before it is ranked or counted, by the rule
 * every other read uses (engine.ts: canView), so a case the caller may not see is never returned,
 * counted or hinted at.
 */
import type { Text } from '../definitions/definition.ts';
import type { CaseStatus } from '../cases/case.ts';
import { canView, canViewFacts } from '../cases/engine.ts';
import { ValidationError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Caller, Deps, ScanTextStore, SearchIndexStore } from '../ports.ts';
import type { CaseFacts } from './documents.ts';
import type { CaseAccess, CaseHit, Match } from './search-index.ts';
import { coverage, snippetOf, type Snippet } from './snippets.ts';
import { queryTerms, looksLikeNumber } from './tokens.ts';
import { attachmentKey } from '../archive/archive.ts';

export interface SearchQuery {
  readonly q: string;
  readonly type?: string;
  readonly year?: number;
  readonly status?: CaseStatus;
  readonly department?: string;
  /** Opened on or after / on or before (YYYY-MM-DD, Beijing time). */
  readonly from?: string;
  readonly to?: string;
  readonly sort: 'relevance' | 'date';
  readonly limit: number;
  readonly cursor?: string;
}

/** Sealed page cursors (adapters/dynamodb/cursors.ts). */
export interface PageCursors {
  seal(position: Record<string, unknown> | undefined, scope: string): Promise<string | undefined>;
  open(cursor: string | undefined, scope: string, attributes: readonly string[]): Promise<Record<string, unknown> | undefined>;
}

export interface SearchDeps extends Pick<Deps, 'org' | 'access' | 'clock'> {
  /** The cases of the page shown, read as they are now (Pick: get). */
  readonly cases: Pick<Deps['cases'], 'get'>;
  readonly search: SearchIndexStore;
  readonly scanTexts: Pick<ScanTextStore, 'pages'>;
  readonly cursors: PageCursors;
}

export interface SearchMatch {
  readonly kind: Match['kind'];
  /** Where it matched, as the office says it: 标题, a field's label, 意见, the file and page. */
  readonly label: Text;
  readonly snippet: Snippet;
  readonly field?: string;
  readonly opinion?: { readonly actorName: string; readonly at: string; readonly stepName?: string };
  readonly attachment?: { readonly id: string; readonly fileName: string; readonly page: number };
}

/** How many results one page holds at most, and how far into the results a cursor may go. */
export const SEARCH_PAGE_MAX = 50;
const RESULTS_MAX = 1_000;

/** A query the index can answer: at least two characters of something searchable. */
export function checkQuery(q: string): void {
  const terms = queryTerms(q);
  if (terms.required.length === 0 && terms.words.length === 0 && !looksLikeNumber(q)) {
    throw new ValidationError('请输入至少两个字或一个词进行检索。Type at least two characters or a word to search for.', 'q');
  }
}

export async function searchCases(deps: SearchDeps, caller: Caller, query: SearchQuery) {
  checkQuery(query.q);
  const now = deps.clock.now();
  const scope = `search|${caller.personId}|${JSON.stringify([query.q, query.type, query.year, query.status, query.department, query.from, query.to, query.sort])}`;
  const position = await deps.cursors.open(query.cursor, scope, ['offset']);
  const offset = position ? Number(position.offset) : 0;

  const [org, grants, years] = await Promise.all([loadOrgChart(deps), deps.access.grantsOf(caller.personId, now), deps.search.years()]);
  const wanted = years.filter((y) => query.year === undefined || y === query.year);
  const shards = await Promise.all(wanted.map((y) => deps.search.shard(y)));
  const fromAt = query.from ? Date.parse(`${query.from}T00:00:00+08:00`) : -Infinity;
  const toAt = query.to ? Date.parse(`${query.to}T23:59:59.999+08:00`) : Infinity;
  const admit = (f: CaseAccess) =>
    (query.type === undefined || f.type === query.type) &&
    (query.status === undefined || f.status === query.status) &&
    (query.department === undefined || f.departmentId === query.department) &&
    (fromAt === -Infinity || Date.parse(f.createdAt) >= fromAt) &&
    (toAt === Infinity || Date.parse(f.createdAt) <= toAt) &&
    canViewFacts(f, org, caller.personId, grants);

  // Each shard's best up to the end of this page; merged, the page is cut from them.
  const through = Math.min(offset + query.limit, RESULTS_MAX);
  const results = shards.map((s) => s.search(query.q, admit, { limit: through, order: query.sort }));
  const hits = results.flatMap((r) => r.hits);
  // A number typed whole finds its case first, by relevance and by date alike.
  const numbered = (h: CaseHit) => (h.matches[0]?.kind === 'number' ? 1 : 0);
  hits.sort(
    query.sort === 'date'
      ? (a, b) => numbered(b) - numbered(a) || b.access.createdAt.localeCompare(a.access.createdAt) || b.score - a.score
      : (a, b) => b.score - a.score || b.access.createdAt.localeCompare(a.access.createdAt),
  );
  const matched = results.reduce((n, r) => n + r.total, 0);
  const total = Math.min(matched, RESULTS_MAX);
  const page = hits.slice(offset, through);
  // The index may be seconds behind the table: each case shown is read as it is now and shown
  // only if the caller may see it now (someone removed from it, a case made 秘密 since).
  const live = await Promise.all(page.map((h) => deps.cases.get(h.access.id)));
  const shown = page.filter((_, i) => live[i] !== undefined && canView(live[i]!, org, caller.personId, grants));
  // One read of a scan's text however many of its pages matched.
  const texts = new Map<string, Promise<string[] | undefined>>();
  const pagesOf = (key: string) => {
    if (!texts.has(key)) texts.set(key, deps.scanTexts.pages(key).catch(() => undefined));
    return texts.get(key)!;
  };
  const items = await Promise.all(shown.map((h) => resultOf({ ...deps, scanTexts: { pages: pagesOf } }, h, query.q)));
  const end = offset + page.length;
  return {
    items,
    total,
    /** More than RESULTS_MAX matched: the query should be narrowed. */
    truncated: matched > RESULTS_MAX,
    next: end < total ? await deps.cursors.seal({ offset: String(end) }, scope) : undefined,
  };
}

async function resultOf(deps: SearchDeps, hit: CaseHit, q: string) {
  const f = hit.facts();
  const matches = await Promise.all(hit.matches.map((m) => matchOf(deps, f, m, q)));
  return {
    case: {
      id: f.id,
      type: f.type,
      typeName: f.typeName,
      title: f.title,
      number: f.number,
      status: f.status,
      year: f.year,
      departmentId: f.departmentId,
      applicantName: f.applicantName,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
    },
    score: Math.round(hit.score * 1000) / 1000,
    matches: matches.filter((m): m is SearchMatch => m !== undefined),
  };
}

async function matchOf(deps: SearchDeps, f: CaseFacts, m: Match, q: string): Promise<SearchMatch | undefined> {
  switch (m.kind) {
    case 'number':
    case 'case': {
      // The value that holds most of the query: the title, the number, or a text field.
      const part = [...f.parts].sort((a, b) => coverage(b.text, q) - coverage(a.text, q))[0]!;
      return { kind: m.kind, label: part.label, field: part.key, snippet: snippetOf(part.text, q) };
    }
    case 'opinion': {
      const o = f.opinions.find((x) => x.id === m.ref);
      if (!o) return undefined;
      return { kind: 'opinion', label: { zh: '意见', en: 'Opinion' }, snippet: snippetOf(o.text, q), opinion: { actorName: o.actorName, at: o.at, stepName: o.stepName } };
    }
    case 'page': {
      const scan = f.scans.find((s) => s.attachmentId === m.ref);
      if (!scan) return undefined;
      // A 秘密/机密 scan's words are read only through a download, which the trail records: its
      // match says where, not what.
      const pages = f.classified ? undefined : await deps.scanTexts.pages(attachmentKey(f.id, scan.attachmentId));
      const text = pages?.[m.page! - 1] ?? '';
      return {
        kind: 'page',
        label: { zh: `${scan.fileName} 第 ${m.page} 页`, en: `${scan.fileName}, page ${m.page}` },
        snippet: snippetOf(text, q),
        attachment: { id: scan.attachmentId, fileName: scan.fileName, page: m.page! },
      };
    }
  }
}

