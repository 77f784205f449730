/**
 * 四性检测 (DA/T 70-2018): each filed item is checked for authenticity (真实性), integrity (完整性),
 * usability (可用性) and security (安全性), each check listed with pass or fail and why. These are
 * the rules, on facts already read (the use case, check-archive.ts, reads them); a year's checks
 * add the continuity of its item numbers and document numbers.
 */
import type { Text } from '../definitions/definition.ts';
import type { CaseRecord, TrailEntry } from '../cases/case.ts';
import type { TrailVerification } from '../cases/trail-types.ts';
import type { FileLock, GrantRecord } from '../ports.ts';
import { ALLOWED_TYPES } from './file-types.ts';
import { archiveNumber, isClassifiedLevel, RETENTION_LABELS, RETENTIONS, type ArchiveItem, type ArchivedFile } from './archive.ts';

export const PROPERTIES = ['authenticity', 'integrity', 'usability', 'security'] as const;
export type Property = (typeof PROPERTIES)[number];
export const PROPERTY_LABELS: Record<Property, Text> = {
  authenticity: { zh: '真实性', en: 'Authenticity' },
  integrity: { zh: '完整性', en: 'Integrity' },
  usability: { zh: '可用性', en: 'Usability' },
  security: { zh: '安全性', en: 'Security' },
};

export interface Check {
  readonly id: string;
  readonly property: Property;
  readonly name: Text;
  readonly pass: boolean;
  /** Why it failed, or what passing rests on when that is not obvious; Chinese first. */
  readonly why?: string;
  /** The file a per-file check is about. */
  readonly file?: string;
}

/** What a file opened as (adapters/files/probe-file.ts). */
export interface FileOpening {
  readonly opens: boolean;
  readonly encrypted: boolean;
  readonly pages?: number;
  readonly reason?: string;
  readonly code?: string;
}

/** A stored file read back: its SHA-256 and size as read, what it opens as, and how it is locked. Undefined parts: not there. */
export interface FileFacts {
  readonly read?: { readonly sha256: string; readonly size: number; readonly opening: FileOpening };
  readonly lock?: FileLock;
}

export interface ItemFacts {
  readonly item: ArchiveItem;
  readonly case?: CaseRecord;
  readonly files: ReadonlyMap<string, FileFacts>;
  readonly trail: TrailVerification;
  readonly entries: readonly TrailEntry[];
  readonly grants: readonly GrantRecord[];
  /** Whether someone is entitled to see a classified case at all times (the confidential clerk, those it names). */
  readonly entitled: (personId: string) => boolean;
  readonly now: number;
}

const check = (id: string, property: Property, zh: string, en: string, pass: boolean, why?: string, file?: string): Check => ({
  id,
  property,
  name: { zh, en },
  pass,
  ...(why ? { why } : {}),
  ...(file ? { file } : {}),
});

/** GB/T 9704-2012 发文字号: 机关代字〔YYYY〕N号 — full year, hexagonal brackets, no 第, no leading zeros. */
export const DOCUMENT_NUMBER = /^[\u4e00-\u9fffA-Za-z]{1,20}〔(\d{4})〕([1-9]\d*)号$/;

function validDate8(value: string | undefined): boolean {
  if (!value || !/^\d{8}$/.test(value)) return false;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`;
  return new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso);
}

/** The checks of one item (DA/T 70 §5–§8 as they apply to one 件). */
export function itemChecks(facts: ItemFacts): Check[] {
  const { item } = facts;
  const checks: Check[] = [];

  // 真实性: the bytes are the ones recorded; the metadata are well formed; the trail is as written.
  for (const file of item.files) {
    const read = facts.files.get(file.key)?.read;
    const pass = read?.sha256 === file.sha256 && read.size === file.size;
    const why = !read
      ? '文件缺失，无法计算校验值。The file is missing.'
      : pass
        ? `SHA-256 ${file.sha256.slice(0, 16)}… 与登记一致。Matches the recorded SHA-256.`
        : `SHA-256 与登记不一致：登记 ${file.sha256.slice(0, 16)}…，实际 ${read.sha256.slice(0, 16)}…（${read.size} 字节）。The stored bytes differ from those recorded.`;
    checks.push(check('authenticity.checksum', 'authenticity', '文件校验值', 'File checksum', pass, why, file.fileName));
  }
  const problems: string[] = [];
  if (!Number.isInteger(item.year) || item.year < 1900 || item.year > 2100) problems.push(`年度无效：${item.year}`);
  if (Number.isNaN(Date.parse(item.filedAt))) problems.push('归档时间无效');
  if (!RETENTIONS.includes(item.retention)) problems.push(`保管期限代码无效：${item.retention}`);
  if (item.sequence !== undefined && item.organCode && archiveNumber(item.fonds, item.year, item.retention, item.organCode, item.sequence) !== item.number) {
    problems.push(`档号与其组成不符：${item.number}`);
  }
  if (item.documentNumber !== undefined) {
    const match = DOCUMENT_NUMBER.exec(item.documentNumber);
    if (!match) problems.push(`文号不符合 GB/T 9704（机关代字〔年份〕序号号，无“第”、无虚位）：${item.documentNumber}`);
  }
  if (item.documentDate !== undefined && !validDate8(item.documentDate)) problems.push(`日期须为 8 位（YYYYMMDD）：${item.documentDate}`);
  checks.push(
    check('authenticity.metadata', 'authenticity', '元数据值有效', 'Metadata values valid', problems.length === 0, problems.length ? `${problems.join('；')}。Invalid metadata values.` : undefined),
  );
  const trail = facts.trail;
  checks.push(
    check(
      'authenticity.trail',
      'authenticity',
      '流程日志校验链',
      'Trail hash chain',
      trail.ok,
      trail.ok
        ? `${trail.sealed} 条日志校验链完整${trail.unsealed ? `（另有 ${trail.unsealed} 条早于校验链）` : ''}。The chain verifies.`
        : `第 ${(trail.broken?.n ?? 0) + 1} 条：${trail.broken?.message}`,
    ),
  );

  // 完整性: required metadata, every file the trail attached is here.
  const missing: string[] = [];
  if (!item.number) missing.push('档号');
  if (!item.fonds) missing.push('全宗号');
  if (!item.title?.trim()) missing.push('题名');
  if (!item.responsible) missing.push('责任者');
  if (!item.documentDate) missing.push('日期');
  if (!item.confidentiality) missing.push('密级');
  if (!item.retention) missing.push('保管期限');
  checks.push(
    check('integrity.metadata', 'integrity', '必备元数据', 'Required metadata', missing.length === 0, missing.length ? `缺少：${missing.join('、')}。Missing required metadata.` : undefined),
  );
  const attached = attachedFiles(facts.entries, facts.case);
  const filedIds = new Set(item.files.map((f) => f.attachmentId));
  const absentFromItem = attached.filter((a) => !filedIds.has(a.id));
  const absentFromStore = item.files.filter((f) => !facts.files.get(f.key)?.read);
  checks.push(
    check(
      'integrity.files',
      'integrity',
      '文件齐全',
      'Files complete',
      absentFromItem.length === 0 && absentFromStore.length === 0,
      absentFromItem.length || absentFromStore.length
        ? [
            ...absentFromItem.map((a) => `日志记载附加而未归档：${a.fileName}`),
            ...absentFromStore.map((f) => `存储中缺失：${f.fileName}`),
          ].join('；') + '。Files missing.'
        : `${item.files.length} 个文件齐全。All files present.`,
    ),
  );

  // 可用性: each file opens as its type, standard formats, no encryption.
  for (const file of item.files) {
    const opening = facts.files.get(file.key)?.read?.opening;
    const type = file.contentType;
    const standard = !type || ALLOWED_TYPES.includes(type);
    const pass = !!opening && opening.opens && !opening.encrypted && standard;
    const why = !opening
      ? '文件缺失。The file is missing.'
      : !standard
        ? `非标准格式：${type}。Not a standard format.`
        : pass
          ? `可正常打开${opening.pages ? `，共 ${opening.pages} 页` : ''}。Opens.`
          : (opening.reason ?? '无法打开。Does not open.');
    checks.push(check('usability.opens', 'usability', '文件可读', 'File opens', pass, why, file.fileName));
  }

  // 安全性: under its retention lock; nobody saw a classified item outside a live grant.
  for (const file of item.files) {
    const lock = facts.files.get(file.key)?.lock;
    checks.push(check('security.lock', 'security', '保管锁定', 'Retention lock', ...lockVerdict(item, lock), file.fileName));
  }
  if (isClassifiedLevel(item.confidentiality)) {
    const outside = facts.entries.filter((e) => e.action === 'download' && !facts.entitled(e.actorId) && !facts.grants.some((g) => g.personId === e.actorId && g.grantedAt <= e.at && e.at < g.until));
    checks.push(
      check(
        'security.access',
        'security',
        '涉密查阅受控',
        'Classified access controlled',
        outside.length === 0,
        outside.length
          ? `${outside.map((e) => `${e.actorName}（${e.at.slice(0, 16).replace('T', ' ')}）`).join('、')} 在无有效授权时下载。Downloaded outside a live grant.`
          : '每次下载均在授权或经办范围内。Every download was within a grant or by those handling it.',
      ),
    );
  }
  return checks;
}

/** The files the trail says were attached and not replaced since (what must have been filed). */
function attachedFiles(entries: readonly TrailEntry[], c: CaseRecord | undefined): { id: string; fileName: string }[] {
  const attached = entries
    .filter((e) => e.action === 'attach' && typeof e.detail?.attachmentId === 'string')
    .map((e) => ({ id: e.detail!.attachmentId as string, fileName: String(e.detail!.fileName ?? ''), replaces: e.detail!.replaces as string | undefined, at: e.at }));
  const replaced = new Set(attached.map((a) => a.replaces).filter(Boolean));
  // Files attached after filing (a scan added to a closed case) are not the item's.
  const filedAt = c?.filedAt;
  return attached.filter((a) => !replaced.has(a.id) && (!filedAt || a.at <= filedAt));
}

function lockVerdict(item: ArchiveItem, lock: FileLock | undefined): [boolean, string] {
  if (!lock) return [false, '文件缺失，无锁定可查。The file is missing.'];
  if (item.status === 'destroyed') return [false, '已销毁。Destroyed.'];
  if (lock.by === 'application') return [true, '本地存储无对象锁：由应用规则保护（期满前不得删除）。No object locks here: the application’s rule keeps it.'];
  if (!item.retainUntil) {
    return lock.legalHold ? [true, '永久保管：法律保留（Legal Hold）已设置。Legal hold on.'] : [false, '永久保管却未设置法律保留。A permanent item without a legal hold.'];
  }
  const until = lock.retainUntil ? Date.parse(lock.retainUntil) : 0;
  return until >= Date.parse(item.retainUntil)
    ? [true, `对象锁定（${lock.mode}）至 ${lock.retainUntil!.slice(0, 10)}。Object Lock retention set.`]
    : [false, `对象锁定${lock.retainUntil ? `仅至 ${lock.retainUntil.slice(0, 10)}` : '未设置'}，短于保管期限（${item.retainUntil.slice(0, 10)}）。Retention shorter than the period.`];
}

/** The checks of one item have passed when every one has. */
export function passed(checks: readonly Check[]): boolean {
  return checks.every((c) => c.pass);
}

/** Pages of a filed item: the files' pages added up (页数). */
export function pagesOf(files: readonly ArchivedFile[], facts: ReadonlyMap<string, FileFacts>): number | undefined {
  let total = 0;
  for (const f of files) {
    const pages = facts.get(f.key)?.read?.opening.pages ?? f.pages;
    if (pages === undefined) return undefined;
    total += pages;
  }
  return total;
}

/** 件号 continuous in each class (year, retention, 机构): every number from 1 to the highest is an item, or was voided with a reason. */
export function itemNumberChecks(items: readonly ArchiveItem[], voided: ReadonlyMap<string, ReadonlySet<number>>): Check[] {
  const classes = new Map<string, number[]>();
  const names = new Map<string, string>();
  for (const item of items) {
    if (item.sequence === undefined) continue;
    const key = `${item.year}-${item.retention}-${item.organCode ?? ''}`;
    classes.set(key, [...(classes.get(key) ?? []), item.sequence]);
    // Named as the 断号 report names it: 2026-10年-办公室.
    names.set(key, `${item.year}-${RETENTION_LABELS[item.retention].zh}-${item.departmentName ?? item.organCode ?? ''}`);
  }
  return [...classes.entries()].sort().map(([key, sequences]) => {
    const used = new Set(sequences);
    const max = Math.max(...sequences);
    const gaps: number[] = [];
    const void_ = voided.get(key) ?? new Set<number>();
    for (let n = 1; n <= max; n++) if (!used.has(n) && !void_.has(n)) gaps.push(n);
    const label = names.get(key)!;
    return check(
      'integrity.item-numbers',
      'integrity',
      `件号连续（${label}）`,
      `Item numbers continuous (${label})`,
      gaps.length === 0,
      gaps.length ? `缺号：${gaps.map((n) => String(n).padStart(4, '0')).join('、')}，且无作废记录。Numbers missing with no void recorded.` : `0001–${String(max).padStart(4, '0')} 连续。Continuous.`,
    );
  });
}

/** Document numbers of the year continuous, every gap explained by a recorded void. */
export function documentNumberChecks(sequences: readonly { label: string; last: number; gaps: readonly { from: number; to: number }[]; voided: number }[]): Check[] {
  return sequences.map((s) =>
    check(
      'integrity.document-numbers',
      'integrity',
      `文号连续（${s.label}）`,
      `Document numbers continuous (${s.label})`,
      s.gaps.length === 0,
      s.gaps.length
        ? `断号：${s.gaps.map((g) => (g.from === g.to ? `${g.from}` : `${g.from}–${g.to}`)).join('、')}，未登记作废。Gaps with no void recorded.`
        : `1–${s.last} 连续${s.voided ? `（其中 ${s.voided} 个已登记作废）` : ''}。Continuous.`,
    ),
  );
}
