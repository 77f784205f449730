/**
 * What the archive does when a process reaches it: file a completed case (归档), grant access
 * to a classified one (查阅授权), destroy an item after its retention period (销毁); and the
 * checks a request about an archive item must pass before it is opened.
 */
import type { CaseRecord } from '../cases/case.ts';
import type { Definition } from '../definitions/definition.ts';
import { NotFoundError, UnprocessableError, ValidationError } from '../errors.ts';
import type { OrgChart } from '../org/org.ts';
import { canView } from '../cases/engine.ts';
import type { Deps } from '../ports.ts';
import {
  archiveCounter,
  archiveItemOf,
  textKeyOf,
  DEFAULT_FILING,
  filingYear,
  isClassifiedLevel,
  retentionOver,
  type ArchiveItem,
} from './archive.ts';

type ArchiveDeps = Pick<Deps, 'archive' | 'numbering' | 'files' | 'cases' | 'access' | 'clock'>;
/** What checking a request's named item takes: no files, no numbers. */
type RequestCheckDeps = Pick<Deps, 'archive' | 'cases' | 'access' | 'clock'>;

/**
 * Files a case once: its item number is drawn from the year/retention/department counter, the
 * item and the number written together, and each file locked for the retention period. Filing
 * again (a retry) finds the item and only re-applies the locks.
 */
export async function fileToArchive(deps: ArchiveDeps, c: CaseRecord, definition: Definition, org: OrgChart, at: string): Promise<ArchiveItem> {
  let item = await deps.archive.get(c.id);
  const rule = definition.archive ?? DEFAULT_FILING;
  for (let attempt = 0; !item && attempt < 3; attempt++) {
    const use = await deps.numbering.allocate(archiveCounter(rule.retention, c.departmentId), filingYear(at));
    const candidate = archiveItemOf(c, org, rule, at, use.sequence);
    if (await deps.archive.file(candidate, use)) {
      item = candidate;
    } else {
      await deps.numbering.void(use, `归档时该件已归档 Filed concurrently (${c.id})`, 'system');
      item = await deps.archive.get(c.id);
    }
  }
  if (!item) throw new Error(`Could not file case ${c.id}`);
  for (const file of item.files) await deps.files.retain(file.key, item.retainUntil);
  return item;
}

/** The case a request names, by item number (档号) or case id. */
async function caseNamed(deps: Pick<Deps, 'archive' | 'cases'>, ref: string): Promise<string | undefined> {
  const item = await deps.archive.byNumber(ref);
  if (item) return item.caseId;
  return (await deps.cases.get(ref))?.id;
}

/**
 * The approved request's applicant may see the document for the days asked, from the approval.
 * A reference that names nothing grants nothing, and the trail and the applicant are told.
 */
export async function grantAccess(deps: ArchiveDeps, request: CaseRecord, caseField: string, daysField: string, at: string) {
  const ref = String(request.fields[caseField]);
  const caseId = await caseNamed(deps, ref);
  if (!caseId) return { granted: false, ref };
  const days = Number(request.fields[daysField]);
  const until = new Date(Date.parse(at) + days * 86_400_000).toISOString();
  await deps.access.grant({ personId: request.applicantId, caseId, until, viaCaseId: request.id, grantedAt: at });
  return { granted: true, caseId, until };
}

/** Destroys an item's files and marks it destroyed; refused while its retention period runs. */
export async function destroyItem(deps: ArchiveDeps, request: CaseRecord, itemField: string, at: string) {
  const number = String(request.fields[itemField]);
  const item = await deps.archive.byNumber(number);
  if (!item) throw new NotFoundError(`没有这个档号：${number}。No such archive item.`);
  if (!retentionOver(item, Date.parse(at))) return { number, destroyed: false, reason: 'under-retention' };
  // Every file the case ever had goes: earlier versions and scans added after filing too.
  const c = await deps.cases.get(item.caseId);
  const keys = new Set([...item.files.map((f) => f.key), ...(c?.attachments ?? []).map((a) => a.key), ...(item.stamped ? [item.stamped.key] : [])]);
  if (item.status === 'kept') {
    // The text read from each scan is kept beside it, and goes with it.
    for (const key of keys) for (const each of [key, textKeyOf(key)]) await deps.files.destroy(each);
    await deps.archive.markDestroyed(item.caseId, at, request.id);
  }
  const files = isClassifiedLevel(item.confidentiality) ? keys.size : item.files.map((f) => f.fileName);
  return { number, destroyed: true, files };
}

/**
 * A request about an archive item is checked before it is opened: the item exists, is not
 * destroyed; destruction only after retention; borrowing a classified item goes through the
 * confidential-access process instead. Nothing is written when a check fails. A classified item
 * the applicant may not see is answered exactly as an item that does not exist: its number
 * cannot be probed.
 */
export async function checkArchiveRequest(deps: RequestCheckDeps, definition: Definition, fields: Readonly<Record<string, unknown>>, applicantId: string, org: OrgChart): Promise<void> {
  const mayKnow = async (item: ArchiveItem) => {
    if (!isClassifiedLevel(item.confidentiality)) return true;
    const [c, grants] = await Promise.all([deps.cases.get(item.caseId), deps.access.grantsOf(applicantId, deps.clock.now())]);
    return c !== undefined && canView(c, org, applicantId, grants);
  };
  for (const step of definition.steps) {
    if (step.type !== 'auto') continue;
    // A request for access (涉密档案查阅) names a document the applicant may not see: whether it
    // exists is not told when it is opened (that would let anyone probe item numbers), but when
    // the approved request comes to grant it (grantAccess).
    if (step.action.do === 'destroy') {
      const field = `fields.${step.action.itemField}`;
      // 三密 items are appraised and destroyed through the confidential clerk only; others learn nothing of them.
      const item = await itemOrRefuse(deps, fields[step.action.itemField], field, async (found) => !isClassifiedLevel(found.confidentiality) || org.has(applicantId, 'confidential-clerk'));
      if (!retentionOver(item, deps.clock.now())) {
        const until = item.retainUntil ? `保管期限至 ${item.retainUntil.slice(0, 10)}` : '永久保管';
        throw new UnprocessableError('under-retention', `${item.number} ${until}，期满前不能销毁。Under retention: it cannot be destroyed before the period ends.`, field);
      }
    }
  }
  if (definition.fields.some((f) => f.key === 'archiveNumber') && !definition.steps.some((s) => s.type === 'auto' && s.action.do === 'destroy')) {
    const item = await itemOrRefuse(deps, fields.archiveNumber, 'fields.archiveNumber', mayKnow);
    if (isClassifiedLevel(item.confidentiality)) {
      throw new UnprocessableError('classified', `${item.number} 为涉密档案，请走涉密档案查阅审批。A classified item: ask through the confidential-access process.`, 'fields.archiveNumber');
    }
  }
}

/** The item a request names; one the applicant may not know of is refused exactly as a missing one. */
async function itemOrRefuse(deps: RequestCheckDeps, value: unknown, field: string, mayKnow: (item: ArchiveItem) => Promise<boolean>): Promise<ArchiveItem> {
  const item = typeof value === 'string' ? await deps.archive.byNumber(value) : undefined;
  if (!item || !(await mayKnow(item))) throw new ValidationError(`没有这个档号：${String(value ?? '')}。No such archive item.`, field);
  if (item.status === 'destroyed') throw new UnprocessableError('destroyed', `${item.number} 已于 ${item.destroyedAt?.slice(0, 10)} 销毁。Already destroyed.`, field);
  return item;
}
