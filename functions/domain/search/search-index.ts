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
  readonly facts: CaseFacts;
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

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, type TEXT, year INTEGER, status TEXT, department TEXT, created_at TEXT, viewers TEXT, classified INTEGER, facts TEXT) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS documents (rowid INTEGER PRIMARY KEY, case_id TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT, page INTEGER);
  CREATE INDEX IF NOT EXISTS documents_case ON documents (case_id);
  CREATE TABLE IF NOT EXISTS numbers (number TEXT, case_id TEXT, PRIMARY KEY (number, case_id)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS numbers_case ON numbers (case_id);
  CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, text, content='', contentless_delete=1, tokenize='ascii', detail='column');
`;

/** How the title weighs against the rest in BM25. */
const TITLE_WEIGHT = 3;

export class SearchShard {
  /** What visibility and the filters need, for every case, kept in memory. */
  private readonly access = new Map<string, CaseAccess>();

  private constructor(
    private readonly sqlite3: Sqlite3Static,
    private readonly db: Database,
  ) {
    this.db.exec(SCHEMA);
    this.db.exec({
      sql: 'SELECT id, type, year, status, department, created_at, viewers, classified FROM cases',
      rowMode: 'array',
      callback: (row) => {
        const [id, type, year, status, department, createdAt, viewers, classified] = row as [string, string, number, CaseFacts['status'], string | null, string, string, number];
        this.access.set(id, { id, type, year, status, departmentId: department ?? undefined, createdAt, viewers: JSON.parse(viewers) as string[], classified: classified === 1 });
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
      const kept = new Set(
        facts.scans.filter((s) => !pages.has(s.attachmentId) && before?.scans.some((b) => b.attachmentId === s.attachmentId && b.pages === s.pages)).map((s) => s.attachmentId),
      );
      this.discard(facts.id, kept);
      const add = (kind: string, title: string, text: string, ref: string | null = null, page: number | null = null) => {
        this.db.exec({ sql: 'INSERT INTO documents (case_id, kind, ref, page) VALUES (?, ?, ?, ?)', bind: [facts.id, kind, ref, page] });
        const rowid = this.db.selectValue('SELECT last_insert_rowid()');
        this.db.exec({ sql: 'INSERT INTO fts (rowid, title, text) VALUES (?, ?, ?)', bind: [rowid as number, terms(title), terms(text)] });
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
        sql: 'INSERT OR REPLACE INTO cases (id, type, year, status, department, created_at, viewers, classified, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        bind: [facts.id, facts.type, facts.year, facts.status, facts.departmentId ?? null, facts.createdAt, JSON.stringify(facts.viewers), facts.classified ? 1 : 0, JSON.stringify(stored)],
      });
      for (const n of new Set(facts.numbers)) this.db.exec({ sql: 'INSERT OR IGNORE INTO numbers (number, case_id) VALUES (?, ?)', bind: [n, facts.id] });
      this.access.set(facts.id, accessOf(stored));
    });
  }

  /** Takes a case and everything of it out (destroyed, or moved to another year's shard). */
  remove(caseId: string): void {
    this.db.transaction(() => {
      this.discard(caseId, new Set());
      this.db.exec({ sql: 'DELETE FROM cases WHERE id = ?', bind: [caseId] });
    });
    this.access.delete(caseId);
  }

  /**
   * The cases matching the query that `admit` lets through: how many, and the best `limit` of them
   * (or the newest, by date). `admit` decides for every case of the shard before the query runs,
   * so a case the caller may not see is never ranked, counted or returned.
   */
  search(query: string, admit: (c: CaseAccess) => boolean, options: { limit: number; order: 'relevance' | 'date' }): ShardResults {
    const admitted: string[] = [];
    const hidden: string[] = [];
    for (const c of this.access.values()) (admit(c) ? admitted : hidden).push(c.id);
    if (admitted.length === 0) return { hits: [], total: 0 };
    const { required, words } = queryTerms(query);
    const numberHits = new Set<string>();
    if (looksLikeNumber(query)) {
      this.db.exec({ sql: 'SELECT case_id FROM numbers WHERE number = ?', bind: [normalizeNumber(query)], rowMode: 'array', callback: (row) => void numberHits.add(String((row as unknown[])[0])) });
    }
    const visible = new Set(admitted);
    for (const id of numberHits) if (!visible.has(id)) numberHits.delete(id);

    // The cases matched by their text, each scored by its best document: the best (or newest)
    // `limit` of them with their best three documents, and how many cases there are in all; one
    // pass over the full-text index.
    const ranked = new Map<string, { score: number; matches: Match[] }>();
    let total = 0;
    const match = matchExpression(required, words);
    if (match) {
      // Whichever is shorter of who may be seen and who may not is handed to the query.
      const restrict = hidden.length === 0 ? '' : hidden.length < admitted.length ? 'AND d.case_id NOT IN (SELECT id FROM chosen)' : 'AND d.case_id IN (SELECT id FROM chosen)';
      const order = options.order === 'date' ? 'c.created_at DESC, best DESC' : 'best DESC';
      this.withChosen(hidden.length < admitted.length ? hidden : admitted, () =>
        this.db.exec({
          // bm25() is known only in the full-text query itself: everything else is done on its rows.
          sql: `WITH matched AS MATERIALIZED (
                  SELECT d.case_id AS case_id, d.kind AS kind, d.ref AS ref, d.page AS page, -bm25(fts, ${TITLE_WEIGHT}, 1.0) AS score
                    FROM fts CROSS JOIN documents d ON d.rowid = fts.rowid
                   WHERE fts MATCH ? ${restrict}),
                best AS MATERIALIZED (
                  SELECT m.case_id AS case_id, max(m.score) AS best, count(*) OVER () AS total
                    FROM matched m JOIN cases c ON c.id = m.case_id
                   GROUP BY m.case_id ORDER BY ${order} LIMIT ?),
                docs AS (
                  SELECT m.*, row_number() OVER (PARTITION BY m.case_id ORDER BY m.score DESC) AS n
                    FROM matched m WHERE m.case_id IN (SELECT case_id FROM best))
                SELECT b.case_id, b.best, b.total, d.kind, d.ref, d.page, d.score
                  FROM best b JOIN cases c ON c.id = b.case_id JOIN docs d ON d.case_id = b.case_id AND d.n <= 3
                 ORDER BY ${order}, d.score DESC`,
          bind: [match, options.limit],
          rowMode: 'array',
          callback: (row) => {
            const [id, best, count, kind, ref, page, score] = row as [string, number, number, MatchKind, string | null, number | null, number];
            const hit = ranked.get(id) ?? { score: best, matches: [] };
            hit.matches.push({ kind, score, ...(ref !== null ? { ref } : {}), ...(page !== null ? { page } : {}) });
            ranked.set(id, hit);
            total = count;
          },
        }),
      );
    }
    // An exact number comes first, whether or not its text matched too.
    const hits: { id: string; score: number; matches: Match[] }[] = [];
    for (const id of numberHits) {
      const text = ranked.get(id);
      ranked.delete(id);
      if (!text && (!match || !this.db.selectValue('SELECT 1 FROM fts CROSS JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ? AND d.case_id = ? LIMIT 1', [match, id]))) total++;
      hits.push({ id, score: NUMBER_SCORE, matches: [{ kind: 'number' as const, score: NUMBER_SCORE }, ...(text?.matches ?? [])].slice(0, 3) });
    }
    for (const [id, hit] of ranked) hits.push({ id, ...hit });
    return { total, hits: hits.slice(0, options.limit).map((h) => ({ facts: this.facts(h.id)!, score: h.score, matches: h.matches })) };
  }

  /** The shard as stored: the database's bytes. */
  serialize(): Uint8Array {
    return this.sqlite3.capi.sqlite3_js_db_export(this.db.pointer!);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `work` with a temporary table `chosen` of these cases' ids. */
  private withChosen<T>(ids: readonly string[], work: () => T): T {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS chosen (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM chosen;');
    if (ids.length > 0) this.db.exec({ sql: 'INSERT INTO chosen (id) SELECT value FROM json_each(?)', bind: [JSON.stringify(ids)] });
    try {
      return work();
    } finally {
      this.db.exec('DELETE FROM chosen');
    }
  }

  /** Removes a case's documents and numbers, but the pages of the scans in `keep`. */
  private discard(caseId: string, keep: ReadonlySet<string>): void {
    const rowids: number[] = [];
    this.db.exec({
      sql: 'SELECT rowid, kind, ref FROM documents WHERE case_id = ?',
      bind: [caseId],
      rowMode: 'array',
      callback: (row) => {
        const [rowid, kind, ref] = row as [number, string, string | null];
        if (!(kind === 'page' && ref !== null && keep.has(ref))) rowids.push(rowid);
      },
    });
    for (const rowid of rowids) {
      this.db.exec({ sql: 'DELETE FROM fts WHERE rowid = ?', bind: [rowid] });
      this.db.exec({ sql: 'DELETE FROM documents WHERE rowid = ?', bind: [rowid] });
    }
    this.db.exec({ sql: 'DELETE FROM numbers WHERE case_id = ?', bind: [caseId] });
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
