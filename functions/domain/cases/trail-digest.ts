/**
 * The daily digest of trail chain heads (like CloudTrail's digest files): after each day, every
 * case's head (how many entries, the last hash, how many came before the chain) is written to
 * one object created once under Object Lock, which names the previous digest's hash. A whole
 * chain rewritten straight in the table, head and all, then no longer matches what a digest
 * recorded. `verifyCaseTrail` checks one case against the latest digest; `checkTrailRange` every
 * case against every digest of a period, and the digests against each other.
 */
import { ForbiddenError, ValidationError } from '../errors.ts';
import { loadOrgChart } from '../org/org-service.ts';
import type { Caller, Deps } from '../ports.ts';
import { visibleCase } from './get-case.ts';
import { canonicalJson, verifyTrail, type DigestedHead, type TrailVerification } from './trail-chain.ts';
import type { RangeCheck } from './trail-types.ts';

export type { RangeCheck };
import { createHash } from 'node:crypto';

type DigestDeps = Pick<Deps, 'cases' | 'vault' | 'clock'>;

export interface TrailDigest {
  /** The day (China) the digest closes. */
  readonly day: string;
  /** When it was taken: every case's head as it stood then. */
  readonly cutoff: string;
  /** The previous digest and the SM3 of its bytes: the digests form a chain of their own. */
  readonly previous?: { readonly day: string; readonly sm3: string };
  readonly heads: readonly { readonly caseId: string; readonly count: number; readonly sm3: string; readonly sha256: string; readonly legacy?: number }[];
}

export const DIGEST_PREFIX = 'trail-digests/';
/** The first year cases may be listed under. */
const FIRST_YEAR = 2000;
const JSON_TYPE = 'application/json';
const DIGEST_KEY = /^trail-digests\/\d{4}\/\d{2}\/(\d{4}-\d{2}-\d{2})\.json$/;

/** The day in China (UTC+8) a moment falls on: 2026-11-26. */
export function chinaDay(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function digestKey(day: string): string {
  return `${DIGEST_PREFIX}${day.slice(0, 4)}/${day.slice(5, 7)}/${day}.json`;
}

const sm3 = (bytes: Uint8Array) => createHash('sm3').update(bytes).digest('hex');
const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));

/** The days that have a digest, oldest first (read from the locked objects themselves, never from the table). */
async function digestDays(deps: Pick<Deps, 'vault'>): Promise<string[]> {
  return (await deps.vault.list(DIGEST_PREFIX)).flatMap((key) => DIGEST_KEY.exec(key)?.[1] ?? []).sort();
}

/**
 * Writes the digest of the day before `scheduledAt` (China), once, with every head as it is now:
 * a retry finds it written and changes nothing. Every case's head goes in, so a case left alone
 * for years is still anchored by the latest digest.
 */
export async function writeTrailDigest(deps: DigestDeps, scheduledAt = deps.clock.now()): Promise<{ day: string; heads: number; written: boolean }> {
  const now = deps.clock.now();
  const day = chinaDay(scheduledAt - 86_400_000);
  const existing = await readDigest(deps, day);
  if (existing) return { day, heads: existing.digest.heads.length, written: false };
  const before = (await digestDays(deps)).filter((d) => d < day).at(-1);
  const previous = before ? await readDigest(deps, before) : undefined;
  const cutoff = new Date(now).toISOString();
  const years = Array.from({ length: Number(chinaDay(now).slice(0, 4)) - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
  const heads: TrailDigest['heads'][number][] = [];
  for await (const { caseId, head } of deps.cases.heads(years)) {
    heads.push({ caseId, count: head.count, sm3: head.sm3, sha256: head.sha256, ...(head.legacy ? { legacy: head.legacy } : {}) });
  }
  heads.sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
  const digest: TrailDigest = { day, cutoff, ...(previous ? { previous: { day: previous.digest.day, sm3: previous.sm3 } } : {}), heads };
  const written = await deps.vault.create(digestKey(day), encode(digest), JSON_TYPE, { locked: true });
  return { day, heads: heads.length, written };
}

async function readDigest(deps: Pick<Deps, 'vault'>, day: string): Promise<{ digest: TrailDigest; sm3: string } | undefined> {
  const bytes = await deps.vault.get(digestKey(day));
  return bytes ? { digest: JSON.parse(new TextDecoder().decode(bytes)) as TrailDigest, sm3: sm3(bytes) } : undefined;
}

/**
 * Verifies one case's trail for someone who may see the case: its chain, its head, the routing
 * slip's copies, and the head the latest daily digest recorded. A case the digest does not name
 * although it existed then has been taken out of the table; one newer is not yet anchored.
 */
export async function verifyCaseTrail(deps: DigestDeps & Pick<Deps, 'org' | 'access'>, caller: Caller, caseId: string): Promise<TrailVerification> {
  const { c } = await visibleCase(deps, caller, caseId);
  const [{ entries, slips }, days] = await Promise.all([deps.cases.chain(c.id), digestDays(deps)]);
  const latest = days.length ? await readDigest(deps, days.at(-1)!) : undefined;
  const head = latest?.digest.heads.find((h) => h.caseId === c.id);
  const digests: DigestedHead[] = head ? [{ day: latest!.digest.day, count: head.count, sm3: head.sm3, ...(head.legacy ? { legacy: head.legacy } : {}) }] : [];
  const result = verifyTrail(c.id, entries, c.trailHead, { slips, digests });
  if (result.ok && latest && !head && Date.parse(c.createdAt) < Date.parse(latest.digest.cutoff)) {
    return { ...result, ok: false, anchored: false, broken: { problem: 'digest', message: `存证摘要（${latest.digest.day}）没有记载此案件，而案件早于摘要：记录被改动。The digest of ${latest.digest.day} does not name this case although it existed then.` } };
  }
  return result;
}

/** The longest period one range check covers. */
export const RANGE_DAYS = 31;
/** A range check stops after this long and says where to go on (an API call must answer within 30 s). */
const RANGE_BUDGET_MS = 20_000;

/**
 * The admin's check of a period (up to 31 days): each day's digest is there and chains to the one
 * before, and every case the digests name is verified against each head they recorded for it.
 */
export async function checkTrailRange(deps: DigestDeps & Pick<Deps, 'org'>, caller: Caller, range: { from: string; to: string; after?: string }): Promise<RangeCheck> {
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
  // Every head each case had in the period's digests (most cases have one or two).
  const heads = new Map<string, DigestedHead[]>();
  for (let at = start; at <= end; at += 86_400_000) {
    const day = chinaDay(at);
    const found = await readDigest(deps, day);
    if (!found) {
      days.push({ day, digest: false, cases: 0, broken: 0 });
      continue;
    }
    const chained = found.digest.previous ? (await readDigest(deps, found.digest.previous.day))?.sm3 === found.digest.previous.sm3 : undefined;
    for (const h of found.digest.heads) {
      const list = heads.get(h.caseId) ?? [];
      if (!list.some((x) => x.count === h.count && x.sm3 === h.sm3)) list.push({ day, count: h.count, sm3: h.sm3, ...(h.legacy ? { legacy: h.legacy } : {}) });
      heads.set(h.caseId, list);
    }
    days.push({ day, digest: true, ...(chained !== undefined ? { chained } : {}), cases: found.digest.heads.length, broken: 0 });
  }
  const broken: TrailVerification[] = [];
  let checked = 0;
  const ids = [...heads.keys()].sort();
  for (const caseId of ids) {
    if (range.after && caseId <= range.after) continue;
    if (Date.now() - began > RANGE_BUDGET_MS) return { from: range.from, to: range.to, days, broken, checked, next: ids[ids.indexOf(caseId) - 1] ?? '' };
    const [c, chain] = await Promise.all([deps.cases.get(caseId), deps.cases.chain(caseId)]);
    const result = verifyTrail(caseId, chain.entries, c?.trailHead, { slips: chain.slips, digests: heads.get(caseId)! });
    checked++;
    if (!result.ok) {
      broken.push(result);
      for (const d of result.digests.filter((x) => !x.ok)) {
        const row = days.find((x) => x.day === d.day);
        if (row) (row as { broken: number }).broken++;
      }
    }
  }
  return { from: range.from, to: range.to, days, broken, checked };
}
