/**
 * A trail nobody can quietly change: every entry of a case's trail carries the hash of the entry
 * before it, in SM3 (GB/T 32905, what Chinese auditors check) and SHA-256 beside it, and the case
 * keeps the head of its chain (how many entries, the last hash). An entry edited, deleted or
 * inserted straight in the table breaks the chain at that entry; deleting the latest entries
 * breaks it against the head; rewriting a whole chain with its head is caught by the daily digest
 * of chain heads kept where no one can change it (trail-digest.ts).
 */
import { createHash } from 'node:crypto';
import type { TrailEntry } from './case.ts';
import type { ChainLink, ChainProblem, DigestedHead, StoredEntry, TrailHead, TrailVerification } from './trail-types.ts';

export type { ChainLink, ChainProblem, DigestedHead, StoredEntry, TrailHead, TrailVerification };

/** The first entry's "previous hash": 64 zeros, as chains conventionally start. */
export const GENESIS = '0'.repeat(64);

/** JSON with keys in code-point order at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The hashes of entry `n` of a case, chained to the previous entry's. */
export function linkHashes(caseId: string, n: number, entry: TrailEntry, prev: { sm3: string; sha256: string }): { sm3: string; sha256: string } {
  const body = canonicalJson({ case: caseId, n, entry });
  return {
    sm3: createHash('sm3').update(prev.sm3).update('\n').update(body).digest('hex'),
    sha256: createHash('sha256').update(prev.sha256).update('\n').update(body).digest('hex'),
  };
}

/** Seals a change's new entries onto the chain: each entry's link, and the new head. */
export function sealTrail(caseId: string, head: TrailHead | undefined, entries: readonly TrailEntry[], legacy = 0): { links: ChainLink[]; head: TrailHead | undefined } {
  let prev: TrailHead = head ?? { count: 0, sm3: GENESIS, sha256: GENESIS, at: '', ...(legacy ? { legacy } : {}) };
  const links: ChainLink[] = [];
  for (const entry of entries) {
    const hashes = linkHashes(caseId, prev.count, entry, prev);
    links.push({ n: prev.count, prevSm3: prev.sm3, ...hashes });
    prev = { ...prev, count: prev.count + 1, ...hashes, at: entry.at };
  }
  return { links, head: entries.length ? prev : head };
}

const PROBLEMS: Record<ChainProblem, string> = {
  altered: '条目内容与其校验值不符（被修改）。The entry does not match its hash (altered).',
  deleted: '此前的条目缺失（被删除）。An entry before this one is missing (deleted).',
  inserted: '条目不属于校验链（被插入或移动）。The entry is not part of the chain (inserted or moved).',
  truncated: '最新的条目缺失：校验链短于案件记录的链头。The latest entries are missing: the chain is shorter than the case records.',
  head: '案件记录的链头与最后一个条目不符。The head the case records does not match its last entry.',
  slip: '批办单副本与流程日志条目不符。The routing slip copy does not match its trail entry.',
  digest: '与每日存证摘要记录的链头不符（整条链被改写）。Does not match the head a daily digest recorded (the chain was rewritten).',
};

/**
 * Verifies a case's stored trail, oldest first, against its recorded head, the routing slip's
 * copies and the heads the daily digests recorded. Says exactly where it first breaks.
 */
export function verifyTrail(
  caseId: string,
  stored: readonly StoredEntry[],
  head: TrailHead | undefined,
  options: { slips?: readonly StoredEntry[]; digests?: readonly DigestedHead[] } = {},
): TrailVerification {
  const unsealed = stored.findIndex((s) => s.link);
  const legacy = unsealed === -1 ? (head ? 0 : stored.length) : unsealed;
  const chain = stored.slice(legacy);
  const sealedByN = new Map<number, { sm3: string; sha256: string }>();
  const base = {
    caseId,
    entries: stored.length,
    sealed: chain.length,
    unsealed: legacy,
    ...(head ? { head: { count: head.count, sm3: head.sm3, sha256: head.sha256 } } : {}),
  };
  const digestsChecked: { day: string; ok: boolean }[] = [];
  const fail = (problem: ChainProblem, at?: StoredEntry, n?: number) => ({
    ...base,
    ok: false,
    digests: digestsChecked,
    broken: { problem, ...(n !== undefined ? { n } : {}), ...(at ? { ref: at.ref, at: at.entry.at, action: at.entry.action } : {}), message: PROBLEMS[problem] },
  });
  let prev = { sm3: GENESIS, sha256: GENESIS };
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i]!;
    if (!s.link) return fail('inserted', s, i);
    if (s.link.n !== i) return fail(s.link.n > i ? 'deleted' : 'inserted', s, i);
    if (s.link.prevSm3 !== prev.sm3) return fail('deleted', s, i);
    const hashes = linkHashes(caseId, i, s.entry, prev);
    if (hashes.sm3 !== s.link.sm3 || hashes.sha256 !== s.link.sha256) return fail('altered', s, i);
    sealedByN.set(i, hashes);
    prev = hashes;
  }
  if (chain.length && !head) return fail('head');
  // Entries unsealed before the first sealed one are those the case had before the chain: as many as the head says, no more.
  if (legacy !== (head?.legacy ?? (head ? 0 : legacy))) return fail('inserted', stored[0], undefined);
  if (head) {
    if (chain.length < head.count) return fail('truncated', undefined, chain.length);
    if (chain.length > head.count) return fail('inserted', chain[head.count], head.count);
    if (head.count > 0 && (prev.sm3 !== head.sm3 || prev.sha256 !== head.sha256)) return fail('head');
  }
  if (options.slips) {
    const byRef = new Map(stored.map((s) => [s.ref, s]));
    for (const slip of options.slips) {
      const entry = byRef.get(slip.ref);
      if (!entry || canonicalJson(entry.entry) !== canonicalJson(slip.entry)) return fail('slip', slip);
    }
  }
  for (const digest of options.digests ?? []) {
    const at = sealedByN.get(digest.count - 1);
    const ok = at?.sm3 === digest.sm3 && (digest.legacy ?? 0) === legacy;
    digestsChecked.push({ day: digest.day, ok });
    if (!ok) return fail('digest', chain[digest.count - 1], digest.count - 1);
  }
  return { ...base, ok: true, digests: digestsChecked, anchored: digestsChecked.length > 0 };
}
