/**
 * One shard of the search index: the cases opened in one year, their opinions and the pages of
 * their scans, in an SQLite database with an FTS5 full-text table (BM25 ranking), run in
 * WebAssembly. Text is indexed under the terms of tokens.ts, written out space-separated, so
 * FTS5's own tokenizer only has to split on spaces. The database is the shard's stored form as it
 * is: saving is a copy of its bytes, loading hands them back, nothing to parse or rebuild.
 *
 * A shard is replaced a case at a time (every document of a case is derived again from the case),
 * so applying the same change twice, or changes out of order, ends in the same shard.
 */
import sqlite3InitModule, { type Database, type Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { CaseFacts } from './documents.ts';
import { indexTerms, looksLikeNumber, normalizeNumber, queryTerms } from './tokens.ts';

export type MatchKind = 'number' | 'case' | 'opinion' | 'page';

/** One document of a case that matched. */
export interface Match {
  readonly kind: MatchKind;
  readonly score: number;
  /** The opinion's id, or the scan's attachment id. */
  readonly ref?: string;
  /** The page of the scan (1-based). */
  readonly page?: number;
}

/** What visibility and the filters are decided on, for every case of the shard, before any ranking. */
export type CaseAccess = Pick<CaseFacts, 'id' | 'type' | 'year' | 'status' | 'departmentId' | 'createdAt' | 'viewers' | 'classified'>;

export interface CaseHit {
  /** What the shard keeps in memory of the case (its id, dates, visibility). */
  readonly access: CaseAccess;
  /** Everything the index keeps of it, read when a result is shown (most hits of a shard never are). */
  facts(): CaseFacts;
  readonly score: number;
  /** Its best-scoring documents first (at most three). */
  readonly matches: Match[];
}

export interface ShardResults {
  /** The best `limit` cases (or the newest, by date). */
  readonly hits: CaseHit[];
  /** How many cases matched in all (after visibility and filters). */
  readonly total: number;
}

let engine: Promise<Sqlite3Static> | undefined;
const sqlite = () => (engine ??= sqlite3InitModule());

/**
 * A document's rowid is its case's number (`cases.cid`) times DOCS_PER_CASE plus its own: the
 * full-text index alone says which case a match is of, with no join.
 */
const DOCS_PER_CASE = 65_536;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, cid INTEGER NOT NULL UNIQUE, type TEXT, year INTEGER, status TEXT, department TEXT, created_at TEXT, viewers TEXT, classified INTEGER, facts TEXT) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS documents (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT, page INTEGER);
  CREATE TABLE IF NOT EXISTS numbers (number TEXT, case_id TEXT, PRIMARY KEY (number, case_id)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS numbers_case ON numbers (case_id);
  CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, text, content='', contentless_delete=1, tokenize='ascii', detail='column');
`;

/** How the title weighs against the rest in BM25. */
const TITLE_WEIGHT = 3;

export class SearchShard {
  /** What visibility and the filters need, for every case, kept in memory. */
  private readonly access = new Map<string, CaseAccess & { readonly cid: number }>();
  private readonly byCid = new Map<number, string>();
  private nextCid = 1;

  private constructor(
    private readonly sqlite3: Sqlite3Static,
    private readonly db: Database,
  ) {
    this.db.exec(SCHEMA);
    this.db.exec({
      sql: 'SELECT id, cid, type, year, status, department, created_at, viewers, classified FROM cases',
      rowMode: 'array',
      callback: (row) => {
        const [id, cid, type, year, status, department, createdAt, viewers, classified] = row as [string, number, string, number, CaseFacts['status'], string | null, string, string, number];
        this.remember({ id, cid, type, year, status, departmentId: department ?? undefined, createdAt, viewers: JSON.parse(viewers) as string[], classified: classified === 1 });
      },
    });
  }

  /** A shard from its stored bytes, or an empty one. */
  static async open(stored?: Uint8Array): Promise<SearchShard> {
    const sqlite3 = await sqlite();
    const db = new sqlite3.oo1.DB(':memory:');
    if (stored && stored.byteLength > 0) {
      // A plain Uint8Array (a Node Buffer is a subclass the allocator does not recognise).
      const pointer = sqlite3.wasm.allocFromTypedArray(new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength));
      const flags = sqlite3.capi.SQLITE_DESERIALIZE_FREEONCLOSE | sqlite3.capi.SQLITE_DESERIALIZE_RESIZEABLE;
      const rc = sqlite3.capi.sqlite3_deserialize(db.pointer!, 'main', pointer, stored.byteLength, stored.byteLength, flags);
      if (rc !== 0) {
        db.close();
        throw new Error(`The stored search shard could not be opened (SQLite ${rc})`);
      }
    }
    return new SearchShard(sqlite3, db);
  }

  get caseCount(): number {
    return this.access.size;
  }

  get documentCount(): number {
    return Number(this.db.selectValue('SELECT count(*) FROM documents'));
  }

  facts(caseId: string): CaseFacts | undefined {
    const json = this.db.selectValue('SELECT facts FROM cases WHERE id = ?', [caseId]);
    return typeof json === 'string' ? (JSON.parse(json) as CaseFacts) : undefined;
  }

  /**
   * Puts a case in the shard as it is now: its values, opinions and the pages of its scans.
   * `pages` has the text of scans whose pages are not in the shard yet (by attachment id); scans
   * already indexed with as many pages and still listed in `facts.scans` keep their pages.
   */
  put(facts: CaseFacts, pages: ReadonlyMap<string, readonly string[]> = new Map()): void {
    this.db.transaction(() => {
      const before = this.facts(facts.id);
      const cid = this.access.get(facts.id)?.cid ?? this.nextCid;
      const kept = new Set(
        facts.scans.filter((s) => !pages.has(s.attachmentId) && before?.scans.some((b) => b.attachmentId === s.attachmentId && b.pages === s.pages)).map((s) => s.attachmentId),
      );
      // The documents kept (pages of unchanged scans) keep their numbers; new ones come after the last.
      let seq = this.discard(cid, kept);
      const add = (kind: string, title: string, text: string, ref: string | null = null, page: number | null = null) => {
        if (seq >= DOCS_PER_CASE) return;
        const rowid = cid * DOCS_PER_CASE + seq++;
        this.db.exec({ sql: 'INSERT INTO documents (rowid, kind, ref, page) VALUES (?, ?, ?, ?)', bind: [rowid, kind, ref, page] });
        this.db.exec({ sql: 'INSERT INTO fts (rowid, title, text) VALUES (?, ?, ?)', bind: [rowid, terms(title), terms(text)] });
      };
      add('case', facts.title, facts.parts.filter((p) => p.key !== 'title').map((p) => p.text).join('\n'));
      for (const o of facts.opinions) add('opinion', '', o.text, o.id);
      const scans = facts.scans.flatMap((s) => {
        if (kept.has(s.attachmentId)) return [s];
        const texts = pages.get(s.attachmentId);
        if (!texts) return [];
        texts.forEach((text, i) => add('page', '', text, s.attachmentId, i + 1));
        return [{ ...s, pages: texts.length }];
      });
      const stored: CaseFacts = { ...facts, scans };
      this.db.exec({
        sql: 'INSERT OR REPLACE INTO cases (id, cid, type, year, status, department, created_at, viewers, classified, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        bind: [facts.id, cid, facts.type, facts.year, facts.status, facts.departmentId ?? null, facts.createdAt, JSON.stringify(facts.viewers), facts.classified ? 1 : 0, JSON.stringify(stored)],
      });
      this.db.exec({ sql: 'DELETE FROM numbers WHERE case_id = ?', bind: [facts.id] });
      for (const n of new Set(facts.numbers)) this.db.exec({ sql: 'INSERT OR IGNORE INTO numbers (number, case_id) VALUES (?, ?)', bind: [n, facts.id] });
      this.remember({ ...accessOf(stored), cid });
    });
  }

  /** Takes a case and everything of it out (destroyed, or moved to another year's shard). */
  remove(caseId: string): void {
    const known = this.access.get(caseId);
    if (!known) return;
    this.db.transaction(() => {
      this.discard(known.cid, new Set());
      this.db.exec({ sql: 'DELETE FROM numbers WHERE case_id = ?', bind: [caseId] });
      this.db.exec({ sql: 'DELETE FROM cases WHERE id = ?', bind: [caseId] });
    });
    this.access.delete(caseId);
    this.byCid.delete(known.cid);
  }

  /**
   * The cases matching the query that `admit` lets through: how many, and the best `limit` of them
   * (or the newest, by date). `admit` decides for every case of the shard before the query runs,
   * so a case the caller may not see is never ranked, counted or returned.
   */
  search(query: string, admit: (c: CaseAccess) => boolean, options: { limit: number; order: 'relevance' | 'date' }): ShardResults {
    const admitted: number[] = [];
    const hidden: number[] = [];
    for (const c of this.access.values()) (admit(c) ? admitted : hidden).push(c.cid);
    if (admitted.length === 0) return { hits: [], total: 0 };
    const { required, words } = queryTerms(query);
    const visible = new Set(admitted);
    // A number typed whole: its cases first, whether or not their text matched too.
    const numberHits: string[] = [];
    if (looksLikeNumber(query)) {
      this.db.exec({
        sql: 'SELECT case_id FROM numbers WHERE number = ?',
        bind: [normalizeNumber(query)],
        rowMode: 'array',
        callback: (row) => {
          const id = String((row as unknown[])[0]);
          const cid = this.access.get(id)?.cid;
          if (cid !== undefined && visible.has(cid)) numberHits.push(id);
        },
      });
    }
    const match = matchExpression(required, words);
    const found = new Map<string, { score: number; matches: Match[] }>();
    let total = 0;
    if (match) {
      // Whichever is shorter of who may be seen and who may not is handed to the query.
      const notIn = hidden.length < admitted.length;
      const restrict = hidden.length === 0 ? '' : `AND (fts.rowid / ${DOCS_PER_CASE}) ${notIn ? 'NOT IN' : 'IN'} (SELECT cid FROM chosen)`;
      this.withChosen(notIn ? hidden : admitted, () => {
        total = Number(this.db.selectValue(`SELECT count(DISTINCT fts.rowid / ${DOCS_PER_CASE}) FROM fts WHERE fts MATCH ? ${restrict}`, [match]));
        const wanted = options.limit + numberHits.length;
        if (options.order === 'date') this.newest(match, restrict, wanted, found);
        else this.best(match, restrict, wanted, found);
      });
    }
    const hits: { id: string; score: number; matches: Match[] }[] = [];
    for (const id of numberHits) {
      const text = found.get(id);
      found.delete(id);
      if (!text && (!match || !this.db.selectValue(`SELECT 1 FROM fts WHERE fts MATCH ? AND fts.rowid / ${DOCS_PER_CASE} = ? LIMIT 1`, [match, this.access.get(id)!.cid]))) total++;
      hits.push({ id, score: NUMBER_SCORE, matches: [{ kind: 'number' as const, score: NUMBER_SCORE }, ...(text?.matches ?? [])].slice(0, 3) });
    }
    for (const [id, hit] of found) hits.push({ id, ...hit });
    const top = hits.slice(0, options.limit);
    this.describe(top.flatMap((h) => h.matches));
    return {
      total,
      hits: top.map((h) => ({ access: this.access.get(h.id)!, facts: () => this.facts(h.id)!, score: h.score, matches: h.matches.map(({ rowid: _, ...m }: Match & { rowid?: number }) => m) })),
    };
  }

  /**
   * The best `wanted` cases by their best document: documents best first (FTS5 ranks them all in
   * one pass), taken until that many cases have come, each keeping its best three.
   */
  private best(match: string, restrict: string, wanted: number, found: Map<string, { score: number; matches: Match[] }>): void {
    for (let docs = wanted * 4; ; docs *= 4) {
      found.clear();
      let rows = 0;
      this.db.exec({
        sql: `SELECT fts.rowid, -bm25(fts, ${TITLE_WEIGHT}, 1.0) AS score FROM fts WHERE fts MATCH ? ${restrict} ORDER BY score DESC LIMIT ?`,
        bind: [match, docs],
        rowMode: 'array',
        callback: (row) => {
          rows++;
          const [rowid, score] = row as [number, number];
          const id = this.byCid.get(Math.floor(rowid / DOCS_PER_CASE));
          if (id === undefined) return;
          const hit = found.get(id);
          if (hit) {
            if (hit.matches.length < 3) hit.matches.push({ kind: 'case', score, rowid } as Match);
          } else if (found.size < wanted) found.set(id, { score, matches: [{ kind: 'case', score, rowid } as Match] });
        },
      });
      // Enough cases, or every document seen.
      if (found.size >= wanted || rows < docs) return;
    }
  }

  /** The newest `wanted` cases that match, each with its best three documents. */
  private newest(match: string, restrict: string, wanted: number, found: Map<string, { score: number; matches: Match[] }>): void {
    const cids = this.db.selectValues(
      `SELECT c.cid FROM cases c WHERE c.cid IN (SELECT fts.rowid / ${DOCS_PER_CASE} FROM fts WHERE fts MATCH ? ${restrict}) ORDER BY c.created_at DESC LIMIT ?`,
      [match, wanted],
    ) as number[];
    for (const cid of cids) {
      const matches: Match[] = [];
      this.db.exec({
        sql: `SELECT fts.rowid, -bm25(fts, ${TITLE_WEIGHT}, 1.0) AS score FROM fts WHERE fts MATCH ? AND fts.rowid BETWEEN ? AND ? ORDER BY score DESC LIMIT 3`,
        bind: [match, cid * DOCS_PER_CASE, cid * DOCS_PER_CASE + DOCS_PER_CASE - 1],
        rowMode: 'array',
        callback: (row) => {
          const [rowid, score] = row as [number, number];
          matches.push({ kind: 'case', score, rowid } as Match);
        },
      });
      found.set(this.byCid.get(cid)!, { score: matches[0]?.score ?? 0, matches });
    }
  }

  /** Fills in what each matched document is (the case's values, an opinion, a page of a scan). */
  private describe(matches: Match[]): void {
    const withRow = matches.filter((m): m is Match & { rowid: number } => (m as { rowid?: number }).rowid !== undefined);
    if (withRow.length === 0) return;
    const byRow = new Map<number, { kind: MatchKind; ref: string | null; page: number | null }>();
    this.db.exec({
      sql: 'SELECT rowid, kind, ref, page FROM documents WHERE rowid IN (SELECT value FROM json_each(?))',
      bind: [JSON.stringify(withRow.map((m) => m.rowid))],
      rowMode: 'array',
      callback: (row) => {
        const [rowid, kind, ref, page] = row as [number, MatchKind, string | null, number | null];
        byRow.set(rowid, { kind, ref, page });
      },
    });
    for (const m of withRow) {
      const d = byRow.get(m.rowid);
      if (!d) continue;
      Object.assign(m, { kind: d.kind, ...(d.ref !== null ? { ref: d.ref } : {}), ...(d.page !== null ? { page: d.page } : {}) });
    }
  }

  /** The shard as stored: the database's bytes. */
  serialize(): Uint8Array {
    return this.sqlite3.capi.sqlite3_js_db_export(this.db.pointer!);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `work` with a temporary table `chosen` of these cases' numbers. */
  private withChosen<T>(cids: readonly number[], work: () => T): T {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS chosen (cid INTEGER PRIMARY KEY); DELETE FROM chosen;');
    if (cids.length > 0) this.db.exec({ sql: 'INSERT INTO chosen (cid) SELECT value FROM json_each(?)', bind: [JSON.stringify(cids)] });
    try {
      return work();
    } finally {
      this.db.exec('DELETE FROM chosen');
    }
  }

  /** Removes a case's documents but the pages of the scans in `keep`; the number after the last kept one. */
  private discard(cid: number, keep: ReadonlySet<string>): number {
    const rowids: number[] = [];
    let next = 0;
    this.db.exec({
      sql: 'SELECT rowid, kind, ref FROM documents WHERE rowid BETWEEN ? AND ?',
      bind: [cid * DOCS_PER_CASE, cid * DOCS_PER_CASE + DOCS_PER_CASE - 1],
      rowMode: 'array',
      callback: (row) => {
        const [rowid, kind, ref] = row as [number, string, string | null];
        if (kind === 'page' && ref !== null && keep.has(ref)) next = Math.max(next, rowid - cid * DOCS_PER_CASE + 1);
        else rowids.push(rowid);
      },
    });
    for (const rowid of rowids) {
      this.db.exec({ sql: 'DELETE FROM fts WHERE rowid = ?', bind: [rowid] });
      this.db.exec({ sql: 'DELETE FROM documents WHERE rowid = ?', bind: [rowid] });
    }
    return next;
  }

  private remember(c: CaseAccess & { readonly cid: number }): void {
    this.access.set(c.id, c);
    this.byCid.set(c.cid, c.id);
    this.nextCid = Math.max(this.nextCid, c.cid + 1);
  }
}

/** An exact number is put before any text match. */
const NUMBER_SCORE = 1e6;

function accessOf(f: CaseFacts): CaseAccess {
  return { id: f.id, type: f.type, year: f.year, status: f.status, departmentId: f.departmentId, createdAt: f.createdAt, viewers: f.viewers, classified: f.classified };
}

/** Text as FTS5 indexes it: its terms, space-separated. */
function terms(text: string): string {
  return text ? indexTerms(text).join(' ') : '';
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

/**
 * Every required term, and (ORed with one of them, so the matches stay the same) the query's
 * whole words: BM25 sums over the expression's terms, so a document holding the words ranks higher.
 */
function matchExpression(required: readonly string[], words: readonly string[]): string | undefined {
  if (required.length === 0) return undefined;
  const all = required.map(quote).join(' AND ');
  return words.length > 0 ? `${all} AND (${[...words.map(quote), quote(required[0]!)].join(' OR ')})` : all;
}
