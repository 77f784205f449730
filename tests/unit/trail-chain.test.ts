/** The trail's hash chain (trail-chain.ts): sealing, and each way a stored trail can be changed being caught at the right entry. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TrailEntry } from '../../functions/domain/cases/case.ts';
import { canonicalJson, GENESIS, sealTrail, verifyTrail, type StoredEntry, type TrailHead } from '../../functions/domain/cases/trail-chain.ts';

const entry = (n: number, action = 'comment'): TrailEntry => ({ at: `2026-11-23T0${n % 10}:00:00.000Z`, actorId: 'xu-liang', actorName: '徐亮', action, comment: `第${n}条` });

/** A case's trail written in changes of two entries, as the store keeps it. */
function written(count: number): { stored: StoredEntry[]; head: TrailHead | undefined } {
  const stored: StoredEntry[] = [];
  let head: TrailHead | undefined;
  for (let version = 0; version * 2 < count; version++) {
    const entries = [entry(version * 2), entry(version * 2 + 1)].slice(0, count - version * 2);
    const sealed = sealTrail('c1', head, entries);
    entries.forEach((e, i) => stored.push({ ref: `${version}#${i}`, entry: e, link: sealed.links[i] }));
    head = sealed.head;
  }
  return { stored, head };
}

describe('the trail hash chain', () => {
  it('chains SM3 and SHA-256 from the genesis: the first entry names 64 zeros, each next one the hash before it, and the head the last', () => {
    const { stored, head } = written(5);
    expect(stored[0]!.link!.prevSm3).toBe(GENESIS);
    for (let i = 1; i < 5; i++) expect(stored[i]!.link!.prevSm3).toBe(stored[i - 1]!.link!.sm3);
    expect(head).toMatchObject({ count: 5, sm3: stored[4]!.link!.sm3, sha256: stored[4]!.link!.sha256, at: stored[4]!.entry.at });
    // SM3 as GB/T 32905 defines it (its standard test vector), not a stand-in.
    expect(createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(verifyTrail('c1', stored, head)).toMatchObject({ ok: true, entries: 5, sealed: 5, unsealed: 0 });
  });

  it('hashes the same entry the same whatever its keys’ order (what DynamoDB gives back)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe('{"a":{"d":[1,{"e":3,"f":2}]},"b":1}');
    const { stored, head } = written(3);
    const reordered = stored.map((s) => ({ ...s, entry: Object.fromEntries(Object.entries(s.entry).reverse()) as unknown as TrailEntry }));
    expect(verifyTrail('c1', reordered, head).ok).toBe(true);
  });

  it('an edited entry breaks at that entry', () => {
    const { stored, head } = written(6);
    const edited = stored.map((s, i) => (i === 3 ? { ...s, entry: { ...s.entry, comment: '改过的' } } : s));
    expect(verifyTrail('c1', edited, head)).toMatchObject({ ok: false, broken: { problem: 'altered', n: 3, ref: '1#1', action: 'comment' } });
  });

  it('a deleted entry breaks at the one after it; the latest entries deleted break against the head; an entry added breaks where it sits', () => {
    const { stored, head } = written(6);
    expect(verifyTrail('c1', stored.filter((_, i) => i !== 2), head)).toMatchObject({ ok: false, broken: { problem: 'deleted', n: 2, ref: '1#1' } });
    expect(verifyTrail('c1', stored.slice(0, 4), head)).toMatchObject({ ok: false, broken: { problem: 'truncated', n: 4 } });
    const forged = { ref: '9#0', entry: entry(9, 'approve') };
    expect(verifyTrail('c1', [...stored, forged], head)).toMatchObject({ ok: false, broken: { problem: 'inserted', n: 6, ref: '9#0' } });
    // The same entry moved to another case does not verify there.
    expect(verifyTrail('c2', stored, head)).toMatchObject({ ok: false, broken: { problem: 'altered', n: 0 } });
  });

  it('a chain rewritten whole with its head verifies on its own, and is caught by the head a digest recorded', () => {
    const { stored, head } = written(4);
    const recorded = { day: '2026-11-23', count: head!.count, sm3: head!.sm3 };
    const rewritten = sealTrail('c1', undefined, stored.map((s, i) => (i === 1 ? { ...s.entry, comment: '改写' } : s.entry)));
    const forged = stored.map((s, i) => ({ ...s, entry: i === 1 ? { ...s.entry, comment: '改写' } : s.entry, link: rewritten.links[i] }));
    expect(verifyTrail('c1', forged, rewritten.head).ok).toBe(true);
    expect(verifyTrail('c1', forged, rewritten.head, { digests: [recorded] })).toMatchObject({ ok: false, broken: { problem: 'digest', n: 3 }, digests: [{ day: '2026-11-23', ok: false }] });
    expect(verifyTrail('c1', stored, head, { digests: [recorded] })).toMatchObject({ ok: true, digests: [{ day: '2026-11-23', ok: true }] });
    // A digest from before later entries still matches its place in the longer chain.
    const longer = written(6);
    expect(verifyTrail('c1', longer.stored, longer.head, { digests: [recorded] }).ok).toBe(true);
  });

  it('a routing-slip copy that differs from its trail entry is named', () => {
    const { stored, head } = written(2);
    const slips = [{ ref: '0#1', entry: { ...stored[1]!.entry, comment: '批办单上改的' } }];
    expect(verifyTrail('c1', stored, head, { slips })).toMatchObject({ ok: false, broken: { problem: 'slip', ref: '0#1' } });
    expect(verifyTrail('c1', stored, head, { slips: [{ ref: '0#1', entry: stored[1]!.entry }] }).ok).toBe(true);
  });

  it('entries from before the chain existed are counted into the head as it starts; none can be slipped in among them later', () => {
    const legacy = [entry(0), entry(1)].map((e, i) => ({ ref: `0#${i}`, entry: e }));
    const sealed = sealTrail('c1', undefined, [entry(2)], 2);
    expect(sealed.head).toMatchObject({ count: 1, legacy: 2 });
    const stored = [...legacy, { ref: '1#0', entry: entry(2), link: sealed.links[0] }];
    expect(verifyTrail('c1', stored, sealed.head)).toMatchObject({ ok: true, entries: 3, sealed: 1, unsealed: 2 });
    // An unsealed entry after sealed ones, or one more among the old ones, is an insertion.
    expect(verifyTrail('c1', [...stored, { ref: '2#0', entry: entry(3) }], sealed.head)).toMatchObject({ ok: false, broken: { problem: 'inserted', ref: '2#0' } });
    expect(verifyTrail('c1', [{ ref: '000000#000', entry: entry(9, 'approve') }, ...stored], sealed.head)).toMatchObject({ ok: false, broken: { problem: 'inserted' } });
  });

  it('a trail stripped of its links and head, or deleted whole, looks like a case from before the chain — and the digest says otherwise', () => {
    const { stored, head } = written(4);
    const recorded = [{ day: '2026-11-23', count: head!.count, sm3: head!.sm3 }];
    const stripped = stored.map(({ ref, entry: e }) => ({ ref, entry: e }));
    expect(verifyTrail('c1', stripped, undefined)).toMatchObject({ ok: true, sealed: 0, unsealed: 4, anchored: false });
    expect(verifyTrail('c1', stripped, undefined, { digests: recorded })).toMatchObject({ ok: false, broken: { problem: 'digest' } });
    expect(verifyTrail('c1', [], undefined, { digests: recorded })).toMatchObject({ ok: false, broken: { problem: 'digest' } });
    expect(verifyTrail('c1', stored, head, { digests: recorded })).toMatchObject({ ok: true, anchored: true });
  });
});
