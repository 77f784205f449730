/**
 * Search, pure (issue #13): terms of Chinese text, number look-ups, snippets, one shard of the
 * index, indexing from the table's truth, and reading scan texts over several runs, on in-memory
 * twins of the ports.
 */
import { describe, expect, it } from 'vitest';
import { indexTerms, normalizeNumber, queryTerms } from '../../functions/domain/search/tokens.ts';
import { snippetOf } from '../../functions/domain/search/snippets.ts';
import { SearchShard, type CaseAccess } from '../../functions/domain/search/search-index.ts';
import { caseFacts, type CaseFacts } from '../../functions/domain/search/documents.ts';
import { indexCases } from '../../functions/domain/search/index-cases.ts';
import { leaveForNextRun, readScanTexts, retryScanText, type ScanReader, type ScanReading } from '../../functions/domain/search/read-scan-texts.ts';
import { StaleIndexError, type ScanTextState, type ScanTextStore, type SearchIndexStore } from '../../functions/domain/ports.ts';
import type { ArchiveItem } from '../../functions/domain/archive/archive.ts';
import type { CaseRecord, TrailEntry } from '../../functions/domain/cases/case.ts';
import { definition, givenCase, MONDAY_9AM, orgChart } from '../support/engine.ts';

describe('terms of Chinese text', () => {
  it('indexes every two-character run of Han text, the longer words the segmenter finds, and Latin words and digits', () => {
    const terms = indexTerms('关于开展安全生产检查的通知 ABC 2026');
    expect(terms).toEqual(expect.arrayContaining(['安全', '全生', '生产', '通知', 'abc', '2026']));
    // A name no dictionary knows is still every run of it.
    expect(indexTerms('经办人：黄丽')).toContain('黄丽');
  });

  it('matches a query on its runs and lifts whole words; punctuation, emoji and a lone character give nothing to search', () => {
    expect(queryTerms('安全生产').required).toEqual(['安全', '全生', '生产']);
    expect(queryTerms('ＡＢＣ　２０２６').required).toEqual(['abc', '2026']);
    for (const q of ['。，！', '😀😀', '安', '   ']) expect(queryTerms(q)).toEqual({ required: [], words: [] });
    // Words the segmenter keeps whole around punctuation become their letters and digits, as FTS5 would split them.
    expect(queryTerms('2026.11.23').required).toEqual(['2026', '11', '23']);
    expect(queryTerms("can't www.example.gov.cn a_b").required).toEqual(['can', 't', 'www', 'example', 'gov', 'cn', 'a', 'b']);
  });

  it('compares numbers without regard to bracket style, width or spaces', () => {
    const n = normalizeNumber('示财〔2026〕45号');
    for (const other of ['示财[2026]45号', '示财（２０２６）４５号', ' 示财 【2026】 45号 ']) expect(normalizeNumber(other)).toBe(n);
    expect(normalizeNumber('示财〔2026〕46号')).not.toBe(n);
  });
});

describe('snippets', () => {
  it('marks every occurrence by position, in a window around the first, and keeps markup as text', () => {
    const text = `${'前文'.repeat(40)}<b>安全生产</b>责任制，落实安全生产${'后文'.repeat(80)}`;
    const s = snippetOf(text, '安全生产');
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text).toContain('<b>');
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['安全生产', '安全生产']);
  });

  it('marks exactly the characters that matched, however folding changed their length', () => {
    const marked = (text: string, q: string) => {
      const s = snippetOf(text, q);
      return s.highlights.map(([a, b]) => s.text.slice(a, b));
    };
    // Before the fix, folding ｶﾞ to one character shifted every mark by one (ﾞ安).
    expect(marked('ｶﾞ安全ﬁ生产', '安全生产')).toEqual(['安全', '生产']);
    expect(marked('ﬁﬁ安全生产ﬁ', '安全生产')).toEqual(['安全生产']);
    expect(marked('２０２６年安全生产', '2026年')).toEqual(['２０２６年']);
    const n = snippetOf('来文：示财（２０２６）４５号', '示财〔2026〕45号');
    expect(n.highlights.map(([a, b]) => n.text.slice(a, b))).toEqual(['示财（２０２６）４５号']);
  });

  it('never cuts a character in two', () => {
    const s = snippetOf(`${'😀'.repeat(30)}防汛${'😀'.repeat(80)}`, '防汛');
    expect(s.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['防汛']);
  });
});

/** The hits of a query in a shard, everything admitted unless said. */
const hitsOf = (shard: SearchShard, q: string, admit: (c: CaseAccess) => boolean = () => true) => shard.search(q, admit, { limit: 50, order: 'relevance' }).hits;

function facts(id: string, title: string, over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    id,
    type: 'incoming-document',
    typeName: { zh: '收文', en: 'Incoming' },
    year: 2026,
    status: 'open',
    createdAt: '2026-11-23T01:00:00.000Z',
    updatedAt: '2026-11-23T01:00:00.000Z',
    title,
    applicantName: '刘芳',
    viewers: ['liu-fang'],
    classified: false,
    numbers: [],
    parts: [{ key: 'title', label: { zh: '标题', en: 'Title' }, text: title }],
    opinions: [],
    scans: [],
    ...over,
  };
}

describe('one shard of the index', () => {
  it('decides visibility before it counts: a case the caller may not see is never among the hits', async () => {
    const shard = await SearchShard.open();
    shard.put(facts('A', '安全生产检查通知'));
    shard.put(facts('B', '安全生产督查线索', { classified: true }));
    const seen: string[] = [];
    const found = shard.search('安全生产', (f) => {
      seen.push(f.id);
      return !f.classified;
    }, { limit: 10, order: 'relevance' });
    expect(found.hits.map((h) => h.access.id)).toEqual(['A']);
    expect(found.total).toBe(1);
    expect(seen.sort()).toEqual(['A', 'B']);
  });

  it('puts a case again in place of what it was: no old title, no duplicate hits', async () => {
    const shard = await SearchShard.open();
    shard.put(facts('A', '防汛物资调拨'));
    shard.put(facts('A', '抗旱物资调拨', { opinions: [{ id: 'o1', at: '2026-11-23T02:00:00Z', actorName: '陈志强', text: '同意调拨' }] }));
    expect(hitsOf(shard, '防汛', () => true)).toEqual([]);
    const hits = hitsOf(shard, '调拨', () => true);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.matches.map((m) => m.kind).sort()).toEqual(['case', 'opinion']);
    shard.remove('A');
    expect(hitsOf(shard, '调拨', () => true)).toEqual([]);
    expect(shard.caseCount).toBe(0);
  });

  it('keeps the pages of a scan already indexed, and replaces them when the scan was read again', async () => {
    const shard = await SearchShard.open();
    const scan = { attachmentId: 'F1', fileName: '附件.pdf', pages: 2 };
    shard.put(facts('A', '通知', { scans: [scan] }), new Map([['F1', ['第一页讲消防设施', '第二页讲危险化学品']]]));
    // A later change to the case names the scan but sends no pages: they stay.
    shard.put(facts('A', '通知（改）', { scans: [scan] }));
    expect(hitsOf(shard, '危险化学品', () => true)[0]!.matches[0]).toMatchObject({ kind: 'page', ref: 'F1', page: 2 });
    // Read again with one page: the second page is gone.
    shard.put(facts('A', '通知（改）', { scans: [{ ...scan, pages: 1 }] }), new Map([['F1', ['只剩消防设施']]]));
    expect(hitsOf(shard, '危险化学品', () => true)).toEqual([]);
    // The scan no longer listed (replaced, destroyed): its pages go.
    shard.put(facts('A', '通知（改）'));
    expect(hitsOf(shard, '消防设施', () => true)).toEqual([]);
  });

  it('finds an exact number first, and survives being stored and loaded', async () => {
    const shard = await SearchShard.open();
    shard.put(facts('A', '关于示财〔2026〕45号文件的说明'));
    shard.put(facts('B', '预算通知', { numbers: [normalizeNumber('示财〔2026〕45号')] }));
    const loaded = await SearchShard.open(shard.serialize());
    for (const s of [shard, loaded]) {
      const hits = hitsOf(s, '示财[2026]45号', () => true).sort((a, b) => b.score - a.score);
      expect(hits[0]!.access.id).toBe('B');
      expect(hits[0]!.matches[0]!.kind).toBe('number');
    }
    expect(hitsOf(loaded, '说明', () => true).map((h) => h.access.id)).toEqual(['A']);
  });
});

/** The ports indexing reads, in memory; the index stored as JSON, as S3 would hold it. */
function twins() {
  const cases = new Map<string, CaseRecord>();
  const trails = new Map<string, TrailEntry[]>();
  const archive = new Map<string, ArchiveItem>();
  const states = new Map<string, ScanTextState>();
  const pages = new Map<string, string[]>();
  const stored = new Map<number, Uint8Array>();
  let conflicts = 0;
  const search: SearchIndexStore & { conflictOnce(): void } = {
    years: async () => [...stored.keys()],
    shard: async (year) => SearchShard.open(stored.get(year)),
    save: async (year, shard) => {
      if (conflicts > 0) {
        conflicts--;
        throw new StaleIndexError(`search/${year}`);
      }
      stored.set(year, shard.serialize());
    },
    conflictOnce: () => {
      conflicts = 1;
    },
  };
  const scanTexts: ScanTextStore = {
    states: async (caseId) => [...states.values()].filter((s) => s.caseId === caseId),
    transition: async (next) => {
      const current = states.get(`${next.caseId}|${next.attachmentId}`);
      if ((current?.rev ?? 0) !== next.rev - 1) return false;
      states.set(`${next.caseId}|${next.attachmentId}`, next);
      return true;
    },
    pages: async (key) => pages.get(key),
    keepPages: async (key, p) => void pages.set(key, [...p]),
  };
  const deps = {
    cases: { get: async (id: string) => cases.get(id), trail: async (id: string) => trails.get(id) ?? [] },
    archive: { get: async (id: string) => archive.get(id) },
    clock: { now: () => MONDAY_9AM },
    search,
    scanTexts,
  };
  return { deps: deps as unknown as Parameters<typeof indexCases>[0], cases, trails, archive, states, pages, stored, search, scanTexts };
}

describe('indexing from the table', () => {
  const walked = () => {
    const w = givenCase('incoming-document', 'liu-fang', { fromOrg: '市应急管理局', docNumber: '示应急〔2026〕7号', receivedOn: '2026-11-23', docCategory: 'superior', urgency: 'normal', confidentiality: 'internal', summary: '开展危险化学品仓库自查' });
    return { ...w.case, attachments: [{ id: 'F1', fileName: '扫描件.pdf', contentType: 'application/pdf', size: 10, sha256: 'x', key: 'attachments/C1/F1', byId: 'liu-fang', byName: '刘芳', at: '2026-11-23T02:00:00Z' }] };
  };

  it('derives every document of a case from what the table holds, and a destroyed item leaves the index', async () => {
    const t = twins();
    const c = walked();
    t.cases.set(c.id, c);
    t.trails.set(c.id, [{ at: '2026-11-23T03:00:00Z', actorId: 'chen-zhiqiang', actorName: '陈志强', action: 'comment', comment: '请财务科核实库存台账' }]);
    t.states.set('C1|F1', { caseId: 'C1', attachmentId: 'F1', status: 'ready', pages: 1, at: '2026-11-23T02:00:00Z', tries: 1, rev: 2 });
    t.pages.set('attachments/C1/F1', ['仓库位于城东工业园']);
    expect(await indexCases(t.deps, ['C1', 'C1', 'unknown'])).toEqual({ indexed: 1, removed: 0 });
    const shard = await t.search.shard(2026);
    const kinds = (q: string) => hitsOf(shard, q, () => true).flatMap((h) => h.matches.map((m) => m.kind));
    expect(kinds('危险化学品')).toEqual(['case']);
    expect(kinds('库存台账')).toEqual(['opinion']);
    expect(kinds('城东工业园')).toEqual(['page']);
    expect(kinds('示应急〔2026〕7号')[0]).toBe('number');

    // Filed: its item number (档号) is looked up exactly too.
    t.cases.set(c.id, { ...c, filedAt: '2026-11-24T02:00:00Z' });
    t.archive.set('C1', { caseId: 'C1', number: '2026-D30-OFFICE-0003', status: 'kept' } as ArchiveItem);
    await indexCases(t.deps, ['C1']);
    expect(hitsOf(await t.search.shard(2026), '2026-D30-OFFICE-0003')[0]!.matches[0]!.kind).toBe('number');

    t.archive.set('C1', { caseId: 'C1', number: '2026-D30-OFFICE-0003', status: 'destroyed' } as ArchiveItem);
    expect(await indexCases(t.deps, ['C1'])).toEqual({ indexed: 0, removed: 1 });
    const after = await t.search.shard(2026);
    for (const q of ['危险化学品', '库存台账', '城东工业园']) expect(hitsOf(after, q, () => true)).toEqual([]);
  });

  it('reads neither the filed item nor the scans’ states of a case not filed and without files', async () => {
    const t = twins();
    const reads: string[] = [];
    const deps = {
      ...t.deps,
      archive: { get: async (id: string) => (reads.push(`archive ${id}`), t.archive.get(id)) },
      scanTexts: { ...t.scanTexts, states: async (id: string) => (reads.push(`states ${id}`), t.scanTexts.states(id)) },
    } as unknown as typeof t.deps;
    t.cases.set('C1', { ...walked(), attachments: undefined });
    expect(await indexCases(deps, ['C1'])).toEqual({ indexed: 1, removed: 0 });
    expect(reads).toEqual([]);
    // Given a file, then filed: each is read from then on.
    t.cases.set('C1', walked());
    await indexCases(deps, ['C1']);
    expect(reads).toEqual(['states C1']);
    t.cases.set('C1', { ...walked(), filedAt: '2026-11-24T02:00:00Z' });
    await indexCases(deps, ['C1']);
    expect(reads).toEqual(['states C1', 'archive C1', 'states C1']);
    // Closed without being filed (withdrawn while an item was written for it): its item is read, and
    // its destruction takes it out of the index.
    reads.length = 0;
    t.cases.set('C1', { ...walked(), attachments: undefined, status: 'withdrawn' });
    t.archive.set('C1', { caseId: 'C1', number: '2026-D30-OFFICE-0004', status: 'destroyed' } as ArchiveItem);
    expect(await indexCases(deps, ['C1'])).toEqual({ indexed: 0, removed: 1 });
    expect(reads).toEqual(['archive C1']);
  });

  it('applies a batch again when another indexer wrote the shard first', async () => {
    const t = twins();
    t.cases.set('C1', walked());
    t.search.conflictOnce();
    await indexCases(t.deps, ['C1']);
    expect((await t.search.shard(2026)).caseCount).toBe(1);
  });

  it('labels the values the way the form does, step inputs included', () => {
    const c = { ...walked(), fields: { ...walked().fields, proposal: '拟请财务科办理' } };
    const f = caseFacts(c, definition('incoming-document'), [], []);
    expect(f.parts.map((p) => p.label.zh)).toEqual(expect.arrayContaining(['标题', '来文单位', '来文字号', '内容摘要', '拟办意见']));
    expect(f.viewers).toContain('liu-fang');
  });
});

describe('reading scan texts over several runs', () => {
  const pdfCase = () => ({ id: 'C1', attachments: [{ id: 'F1', fileName: 'a.pdf', contentType: 'application/pdf', size: 3, sha256: 'x', key: 'attachments/C1/F1', byId: 'liu-fang', byName: '刘芳', at: '' }] }) as unknown as CaseRecord;
  const setup = (reader: ScanReader) => {
    const t = twins();
    t.cases.set('C1', pdfCase());
    const deps = { ...t.deps, files: { open: async () => ({ body: (async function* () { yield new Uint8Array([1, 2, 3]); })(), identity: {} }) }, reader } as unknown as Parameters<typeof readScanTexts>[0];
    return { t, deps };
  };
  const later = Date.now() + 60_000;

  it('stops where its time ran out, and the next run goes on from there', async () => {
    const calls: number[] = [];
    const reader: ScanReader = {
      read: async (_b, _t, { fromPage }): Promise<ScanReading> => {
        calls.push(fromPage);
        return fromPage === 1 ? { ok: true, pages: ['第一页', '第二页'], pageCount: 3, next: 3 } : { ok: true, pages: ['第三页'], pageCount: 3 };
      },
    };
    const { t, deps } = setup(reader);
    expect(await readScanTexts(deps, 'C1', later)).toBe(0);
    expect(t.states.get('C1|F1')).toMatchObject({ status: 'pending', next: 3, pages: 2, leaseUntil: undefined });
    expect(await readScanTexts(deps, 'C1', later)).toBe(1);
    expect(t.states.get('C1|F1')).toMatchObject({ status: 'ready', pages: 3, next: undefined });
    expect(t.pages.get('attachments/C1/F1')).toEqual(['第一页', '第二页', '第三页']);
    expect(calls).toEqual([1, 3]);
    // Done: a third run reads nothing.
    expect(await readScanTexts(deps, 'C1', later)).toBe(0);
    expect(calls).toEqual([1, 3]);
  });

  it('ends a file it cannot read as failed with the reason; it may be tried again, once at a time', async () => {
    const { t, deps } = setup({ read: async () => ({ ok: false, reason: 'encrypted', message: 'PDF 文件已加密。The PDF is encrypted.' }) });
    await readScanTexts(deps, 'C1', later);
    expect(t.states.get('C1|F1')).toMatchObject({ status: 'failed', reason: 'encrypted', tries: 1 });
  });

  it('marks what is due of a case it had no time for, so that the next run starts on it', async () => {
    const { t, deps } = setup({ read: async () => ({ ok: true, pages: ['正文'], pageCount: 1 }) });
    await leaveForNextRun(deps, 'C1');
    expect(t.states.get('C1|F1')).toMatchObject({ status: 'pending', next: 1, rev: 1 });
    expect(t.states.get('C1|F1')!.leaseUntil).toBeUndefined();
    expect(await readScanTexts(deps, 'C1', later)).toBe(1);
  });

  it('leaves a file another run holds alone, and takes up one whose run died', async () => {
    let reads = 0;
    const { t, deps } = setup({ read: async () => (reads++, { ok: true, pages: ['正文'], pageCount: 1 }) });
    t.states.set('C1|F1', { caseId: 'C1', attachmentId: 'F1', status: 'pending', next: 1, pages: 0, tries: 1, at: '', leaseUntil: MONDAY_9AM + 60_000, rev: 1 });
    expect(await readScanTexts(deps, 'C1', later)).toBe(0);
    expect(reads).toBe(0);
    t.states.set('C1|F1', { ...t.states.get('C1|F1')!, leaseUntil: MONDAY_9AM - 1 });
    expect(await readScanTexts(deps, 'C1', later)).toBe(1);
    expect(t.states.get('C1|F1')).toMatchObject({ status: 'ready', rev: 3 });
  });

  it('does not read the files’ states of a case with nothing to read (most changes are to such cases)', async () => {
    const { t, deps } = setup({ read: async () => ({ ok: true, pages: ['正文'], pageCount: 1 }) });
    const looked: string[] = [];
    const counted = { ...deps, scanTexts: { ...t.scanTexts, states: async (id: string) => (looked.push(id), t.scanTexts.states(id)) } };
    for (const attachments of [undefined, [{ ...pdfCase().attachments![0]!, contentType: 'application/zip' }]]) {
      t.cases.set('C1', { ...pdfCase(), attachments });
      expect(await readScanTexts(counted, 'C1', later)).toBe(0);
      await leaveForNextRun(counted, 'C1');
    }
    expect(looked).toEqual([]);
    t.cases.set('C1', pdfCase());
    expect(await readScanTexts(counted, 'C1', later)).toBe(1);
    expect(looked).toEqual(['C1']);
  });
});

describe('重新识别', () => {
  const orgOnce = orgChart().org;
  const caseWith = (applicantId: string) => ({ ...givenCase('leave', applicantId, { leaveType: 'personal', startDate: '2026-11-25', endDate: '2026-11-25', days: 1, reason: '事由' }).case, attachments: [{ id: 'F1', fileName: 'a.png', contentType: 'image/png', size: 3, sha256: 'x', key: 'k', byId: applicantId, byName: '', at: '' }] });
  const deps = (c: CaseRecord, state?: ScanTextState) => {
    const t = twins();
    t.cases.set(c.id, c);
    if (state) t.states.set(`${c.id}|F1`, state);
    return { t, deps: { ...t.deps, org: { current: async () => orgOnce }, access: { grantsOf: async () => new Set<string>() } } as never };
  };
  const failed: ScanTextState = { caseId: 'C1', attachmentId: 'F1', status: 'failed', reason: 'corrupt', tries: 1, at: '', rev: 2 };

  it('starts a failed file again for someone who may see the case', async () => {
    const { t, deps: d } = deps(caseWith('xu-liang'), failed);
    expect(await retryScanText(d, { personId: 'xu-liang', groups: [] }, 'C1', 'F1')).toMatchObject({ statusCode: 202, body: { status: 'pending', tries: 2 } });
    expect(t.states.get('C1|F1')).toMatchObject({ status: 'pending', next: 1, rev: 3 });
  });

  it('refuses a version since replaced (404: its text is not read) and a destroyed item’s files (409)', async () => {
    const c = caseWith('xu-liang');
    const replaced = { ...c, attachments: [...c.attachments, { ...c.attachments[0]!, id: 'F2', replaces: 'F1' }] };
    await expect(retryScanText(deps(replaced, failed).deps, { personId: 'xu-liang', groups: [] }, 'C1', 'F1')).rejects.toMatchObject({ name: 'NotFoundError' });
    const gone = deps(c, failed);
    gone.t.archive.set('C1', { caseId: 'C1', status: 'destroyed' } as ArchiveItem);
    await expect(retryScanText(gone.deps, { personId: 'xu-liang', groups: [] }, 'C1', 'F1')).rejects.toMatchObject({ code: 'destroyed' });
  });

  it('refuses a file being read or read already (409), and answers 404 to someone who may not see the case', async () => {
    await expect(retryScanText(deps(caseWith('xu-liang'), { ...failed, status: 'ready' }).deps, { personId: 'xu-liang', groups: [] }, 'C1', 'F1')).rejects.toMatchObject({ code: 'text-ready' });
    await expect(retryScanText(deps(caseWith('xu-liang'), failed).deps, { personId: 'ma-chao', groups: [] }, 'C1', 'F1')).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
