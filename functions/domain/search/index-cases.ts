/**
 * Keeps the search index in step with the table. A change only names the case it touched; the
 * case is then read as it is now (consistent reads) and every document of it derived again, so a
 * change applied twice, late or out of order leaves the index as the table is. A case whose filed
 * item was destroyed leaves the index with all of its opinions and pages.
 */
import { StaleIndexError, type Deps, type ScanTextStore, type SearchIndexStore } from '../ports.ts';
import { definitionVersion } from '../definitions/lookup.ts';
import { attachmentKey } from '../archive/archive.ts';
import type { SearchShard } from './search-index.ts';
import { caseFacts, type CaseScan } from './documents.ts';
import { numberingYear } from '../numbering/document-number.ts';

export interface IndexDeps extends Pick<Deps, 'cases' | 'archive' | 'clock'> {
  readonly search: SearchIndexStore;
  readonly scanTexts: Pick<ScanTextStore, 'states' | 'pages'>;
}

/** Cases read at once while indexing a batch. */
const PARALLEL = 8;

export async function indexCases(deps: IndexDeps, caseIds: Iterable<string>): Promise<{ indexed: number; removed: number }> {
  const ids = [...new Set(caseIds)];
  for (let attempt = 1; ; attempt++) {
    try {
      return await indexOnce(deps, ids);
    } catch (error) {
      // Another batch wrote a shard first: the cases are indexed again on what it wrote.
      if (!(error instanceof StaleIndexError) || attempt === 5) throw error;
    }
  }
}

async function indexOnce(deps: IndexDeps, caseIds: readonly string[]): Promise<{ indexed: number; removed: number }> {
  const shards = new Map<number, Promise<SearchShard>>();
  const changed = new Set<number>();
  const shardOf = (year: number) => {
    if (!shards.has(year)) shards.set(year, deps.search.shard(year));
    return shards.get(year)!;
  };
  let indexed = 0;
  let removed = 0;
  const queue = [...caseIds];
  const work = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const found = await deps.cases.get(id);
      if (!found) continue;
      const year = numberingYear(Date.parse(found.createdAt));
      // The shard is read before the rest of the case: the write that follows is conditional on
      // the shard as read, so nothing read after it can be overtaken by an older view.
      const shard = await shardOf(year);
      // Most changes are to open cases neither filed nor with files: their filed item and scan texts
      // are not read. One filed, or given a file, since `found` was read comes back with that change.
      // A closed case's item is always read: one may be written for a case whose own save then lost
      // to its withdrawal, and its destruction must still take it out of the index.
      const [c, item, states, trail] = await Promise.all([
        deps.cases.get(id),
        found.filedAt || found.status !== 'open' ? deps.archive.get(id) : undefined,
        found.attachments?.length ? deps.scanTexts.states(id) : [],
        deps.cases.trail(id),
      ]);
      if (!c) continue;
      if (item?.status === 'destroyed') {
        if (shard.facts(id)) {
          shard.remove(id);
          changed.add(year);
        }
        removed++;
        continue;
      }
      // The latest version of each file: a replaced scan is kept, but what it said is no longer the case's.
      const replaced = new Set((c.attachments ?? []).map((a) => a.replaces).filter(Boolean));
      const scans: CaseScan[] = [];
      for (const s of states) {
        const file = c.attachments?.find((a) => a.id === s.attachmentId);
        if (s.status === 'ready' && file && !replaced.has(file.id)) scans.push({ attachmentId: file.id, fileName: file.fileName, pages: s.pages ?? 0 });
      }
      const facts = caseFacts(c, definitionVersion(c.type, c.definitionVersion), trail, scans, item?.number);
      // Only scans not in the shard already (or with another page count) are read from S3.
      const before = shard.facts(id);
      const pages = new Map<string, string[]>();
      for (const s of scans) {
        if (before?.scans.some((b) => b.attachmentId === s.attachmentId && b.pages === s.pages)) continue;
        pages.set(s.attachmentId, (await deps.scanTexts.pages(attachmentKey(id, s.attachmentId))) ?? []);
      }
      // Most changes (a read receipt, a download, a file's reading under way) change nothing searchable.
      if (before && pages.size === 0 && JSON.stringify(before) === JSON.stringify(facts)) continue;
      shard.put(facts, pages);
      changed.add(year);
      indexed++;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, work));
  for (const year of changed) await deps.search.save(year, await shardOf(year));
  return { indexed, removed };
}

/**
 * Indexes every case of the years given, as the index of a data folder or stage from before
 * search is built (once, on an empty index).
 */
export async function indexEverything(deps: IndexDeps, years: readonly number[], listYear: (year: number) => AsyncIterable<string[]>): Promise<number> {
  let count = 0;
  for (const year of years) {
    // A year at a time, its shard saved once.
    const ids: string[] = [];
    for await (const page of listYear(year)) ids.push(...page);
    if (ids.length > 0) count += (await indexCases(deps, ids)).indexed;
  }
  return count;
}
