/**
 * The daily digest of trail chain heads (like CloudTrail's digest files): after each day, every
 * case whose chain moved since the last digest has its head (how many entries, the last hash)
 * written to one object kept under Object Lock, which also names the previous digest's hash. A
 * whole chain rewritten straight in the table, head and all, then no longer matches the head a
 * digest recorded. `verifyCaseTrail` checks one case; `checkTrailRange` every case the digests of
 * a period name.
 */
import { ForbiddenError, ValidationError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Caller, Deps } from '../ports.ts';
import { visibleCase } from './get-case.ts';
import { canonicalJson, verifyTrail, type DigestedHead, type TrailVerification } from './trail-chain.ts';
import { createHash } from 'node:crypto';

type DigestDeps = Pick<Deps, 'cases' | 'vault' | 'clock'>;

export interface TrailDigest {
  /** The day (China) the digest closes. */
  readonly day: string;
  /** Heads are those that moved before this moment (and since the previous digest's cutoff, less an overlap). */
  readonly cutoff: string;
  /** The previous digest and the SM3 of its bytes: the digests form a chain of their own. */
  readonly previous?: { readonly day: string; readonly sm3: string };
  readonly heads: readonly { readonly caseId: string; readonly count: number; readonly sm3: string; readonly sha256: string }[];
}

export const DIGEST_PREFIX = 'trail-digests/';
const LATEST = `${DIGEST_PREFIX}latest.json`;
/** Heads that moved this long before the previous cutoff are taken again: a change committed just after its entry's time is never missed. */
const OVERLAP_MS = 3_600_000;
/** The first year cases may be listed under. */
const FIRST_YEAR = 2000;
const JSON_TYPE = 'application/json';

/** The day in China (UTC+8) a moment falls on: 2026-11-26. */
export function chinaDay(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function digestKey(day: string): string {
  return `${DIGEST_PREFIX}${day.slice(0, 4)}/${day.slice(5, 7)}/${day}.json`;
}

const sm3 = (bytes: Uint8Array) => createHash('sm3').update(bytes).digest('hex');
const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));

/**
 * Writes the digest of the day before `now` (China), once: a retry finds it written and changes
 * nothing. Returns what it wrote or found.
 */
export async function writeTrailDigest(deps: DigestDeps, now = deps.clock.now()): Promise<{ day: string; heads: number; written: boolean }> {
  const day = chinaDay(now - 86_400_000);
  const existing = await deps.vault.get(digestKey(day));
  if (existing) return { day, heads: (JSON.parse(new TextDecoder().decode(existing)) as TrailDigest).heads.length, written: false };
  const pointer = await deps.vault.get(LATEST);
  const previous = pointer ? (JSON.parse(new TextDecoder().decode(pointer)) as { day: string; sm3: string; cutoff: string }) : undefined;
  const since = previous ? Date.parse(previous.cutoff) - OVERLAP_MS : -Infinity;
  const cutoff = new Date(now).toISOString();
  const years = Array.from({ length: Number(chinaDay(now).slice(0, 4)) - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
  const heads: TrailDigest['heads'][number][] = [];
  for await (const { caseId, head } of deps.cases.heads(years)) {
    if (Date.parse(head.at) >= since) heads.push({ caseId, count: head.count, sm3: head.sm3, sha256: head.sha256 });
  }
  heads.sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
  const digest: TrailDigest = { day, cutoff, ...(previous ? { previous: { day: previous.day, sm3: previous.sm3 } } : {}), heads };
  const bytes = encode(digest);
  const written = await deps.vault.create(digestKey(day), bytes, JSON_TYPE, { locked: true });
  if (written) await deps.vault.put(LATEST, encode({ day, sm3: sm3(bytes), cutoff }), JSON_TYPE);
  return { day, heads: heads.length, written };
}

async function readDigest(deps: Pick<Deps, 'vault'>, day: string): Promise<{ digest: TrailDigest; sm3: string } | undefined> {
  const bytes = await deps.vault.get(digestKey(day));
  return bytes ? { digest: JSON.parse(new TextDecoder().decode(bytes)) as TrailDigest, sm3: sm3(bytes) } : undefined;
}

/** How many digests a case's check reads, newest first, looking for the latest that names it. */
const CASE_DIGEST_READS = 30;

/**
 * Verifies one case's trail for someone who may see the case: its chain, its head, the routing
 * slip's copies, and the latest digest that recorded its head.
 */
export async function verifyCaseTrail(deps: DigestDeps & Pick<Deps, 'org' | 'access'>, caller: Caller, caseId: string): Promise<TrailVerification> {
  const { c } = await visibleCase(deps, caller, caseId);
  const { entries, slips } = await deps.cases.chain(c.id);
  // The days its entries were written, and the day after each (a digest runs after its day ends).
  const days = [...new Set(entries.flatMap((e) => [chinaDay(Date.parse(e.entry.at)), chinaDay(Date.parse(e.entry.at) + 86_400_000)]))].sort().reverse();
  const digests: DigestedHead[] = [];
  for (const day of days.slice(0, CASE_DIGEST_READS)) {
    const found = await readDigest(deps, day);
    const head = found?.digest.heads.find((h) => h.caseId === c.id);
    if (head) {
      digests.push({ day, count: head.count, sm3: head.sm3 });
      break;
    }
  }
  return verifyTrail(c.id, entries, c.trailHead, { slips, digests });
}

/** The longest period one range check covers. */
export const RANGE_DAYS = 31;
/** A range check stops after this long and says where to go on (an API call must answer within 30 s). */
const RANGE_BUDGET_MS = 20_000;

export interface RangeCheck {
  readonly from: string;
  readonly to: string;
  /** Each day's digest: missing (not written), whether it chains to the one before, how many cases it names and how many of them break. */
  readonly days: readonly { readonly day: string; readonly digest: boolean; readonly chained?: boolean; readonly cases: number; readonly broken: number }[];
  readonly broken: readonly TrailVerification[];
  readonly checked: number;
  /** Set when the check stopped early: the day to go on from. */
  readonly next?: string;
}

/**
 * The admin's check of every case the digests of a period name (up to 31 days): each chain is
 * verified against the head its digest recorded, and each digest against the previous one.
 */
export async function checkTrailRange(deps: DigestDeps & Pick<Deps, 'org'>, caller: Caller, range: { from: string; to: string }): Promise<RangeCheck> {
  const org = await loadOrgChart(deps);
  if (!org.has(caller.personId, 'admin') && !org.has(caller.personId, 'archivist')) {
    throw new ForbiddenError('只有管理员和档案员可以核验日志存证。Only an admin or the archivist can check the trail digests.');
  }
  const start = Date.parse(`${range.from}T00:00:00+08:00`);
  const end = Date.parse(`${range.to}T00:00:00+08:00`);
  if (end < start) throw new ValidationError('结束日期须不早于开始日期。to must not be before from.', 'to');
  if ((end - start) / 86_400_000 >= RANGE_DAYS) throw new ValidationError(`一次最多核验 ${RANGE_DAYS} 天。At most ${RANGE_DAYS} days at a time.`, 'to');
  const began = Date.now();
  const days: RangeCheck['days'][number][] = [];
  const broken: TrailVerification[] = [];
  let checked = 0;
  for (let at = start; at <= end; at += 86_400_000) {
    const day = chinaDay(at);
    if (Date.now() - began > RANGE_BUDGET_MS) return { from: range.from, to: range.to, days, broken, checked, next: day };
    const found = await readDigest(deps, day);
    if (!found) {
      days.push({ day, digest: false, cases: 0, broken: 0 });
      continue;
    }
    let chained: boolean | undefined;
    if (found.digest.previous) chained = (await readDigest(deps, found.digest.previous.day))?.sm3 === found.digest.previous.sm3;
    let failures = 0;
    for (const head of found.digest.heads) {
      const [c, chain] = await Promise.all([deps.cases.get(head.caseId), deps.cases.chain(head.caseId)]);
      const result = verifyTrail(head.caseId, chain.entries, c?.trailHead, { slips: chain.slips, digests: [{ day, count: head.count, sm3: head.sm3 }] });
      checked++;
      if (!result.ok) {
        failures++;
        broken.push(result);
      }
    }
    days.push({ day, digest: true, ...(chained !== undefined ? { chained } : {}), cases: found.digest.heads.length, broken: failures });
  }
  return { from: range.from, to: range.to, days, broken, checked };
}
