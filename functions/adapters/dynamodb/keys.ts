/**
 * Every key of the single table, in one place. Index attributes are named after the index
 * (see infra/topology.ts): `assigned` (a person's open work by due time), `due` (open cases by
 * due time, sparse), `listing` (cases by year), `mine` (cases by applicant), `register` (a register's entries for a year).
 */
import { ValidationError } from '../../domain/errors.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const OPEN = 'OPEN';
const listingPartition = (year: number) => `CASES#${year}`;
const minePartition = (applicantId: string) => `APPLICANT#${applicantId}`;
const assignedPartition = (personId: string) => `TASKS#${personId}`;
const registerPartition = (name: string, year: number | string) => `REGISTER#${name}#${year}`;
const register = (name: string, year: number | string, at: string, id: string) => ({ gsi5pk: registerPartition(name, year), gsi5sk: `${at}#${id}` });
/** Sorts after every ISO date: items without a due time come last. */
export const NO_DUE = '9999-12-31T23:59:59.999Z';

export const keys = {
  case: (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' }),
  /** The case's id, from the partition key of any of its items (an index entry names its case by it). */
  caseIdOf: (pk: string) => pk.slice('CASE#'.length),
  /**
   * Where a case is listed: its entries in `listing`, `mine` and its type's register, on a small item
   * of their own, written once (what they are keyed by never changes). The case item carries no index
   * key, so saving it copies nothing into an index; a list reads these entries, then the cases.
   */
  listed: (id: string) => ({ pk: `CASE#${id}`, sk: 'LISTED' }),
  /** An open case's entry in `due`, on a small item of its own, rewritten only when its due time moves. */
  dueEntry: (id: string) => ({ pk: `CASE#${id}`, sk: 'DUE' }),
  trail: (id: string, version: number, n: number) => ({ pk: `CASE#${id}`, sk: `TRAIL#${pad(version, 6)}#${pad(n, 3)}` }),
  trailPrefix: 'TRAIL#',
  /** The routing slip's copy of a trail entry (trail.ts: isSlipEntry). */
  slip: (id: string, version: number, n: number) => ({ pk: `CASE#${id}`, sk: `SLIP#${pad(version, 6)}#${pad(n, 3)}` }),
  slipPrefix: 'SLIP#',
  task: (caseId: string, personId: string, kind: string) => ({ pk: `CASE#${caseId}`, sk: `TASK#${personId}#${kind}` }),
  wait: (id: string) => ({ pk: `CASE#${id}`, sk: 'WAIT' }),
  /** Where reading the text of one of the case's scans stands (domain/search/read-scan-texts.ts). */
  scanText: (caseId: string, attachmentId: string) => ({ pk: `CASE#${caseId}`, sk: `TEXT#${attachmentId}` }),
  scanTextPrefix: 'TEXT#',
  /** An upload asked for and not yet attached (or refused). */
  upload: (caseId: string, uploadId: string) => ({ pk: `CASE#${caseId}`, sk: `UPLOAD#${uploadId}` }),
  assigned: (personId: string, dueAt: string | undefined, caseId: string, kind: string) => ({
    gsi1pk: assignedPartition(personId),
    gsi1sk: `${dueAt ?? NO_DUE}#${caseId}#${kind}`,
  }),
  assignedPartition,
  due: (dueAt: string | undefined, id: string) => ({ gsi2pk: OPEN, gsi2sk: `${dueAt ?? NO_DUE}#${id}` }),
  /** The due index holds open cases only, all under one partition. */
  duePartition: OPEN,
  listing: (year: number, createdAt: string, id: string) => ({ gsi3pk: listingPartition(year), gsi3sk: `${createdAt}#${id}` }),
  listingPartition,
  mine: (applicantId: string, createdAt: string, id: string) => ({ gsi4pk: minePartition(applicantId), gsi4sk: `${createdAt}#${id}` }),
  minePartition,
  /** The bounds of an applicant's cases created in `year` (their sort keys begin with the ISO date). */
  mineYear: (year: number) => ({ from: `${year}-`, to: `${year}-99` }),
  register,
  registerPartition,
  fact: (caseId: string, version: number, n: number) => ({ pk: `FACT#${caseId}`, sk: `${pad(version, 6)}#${pad(n, 3)}` }),
  /** The n-th assessment fact of a case's change, in the facts register of its month. */
  factRegister: (month: string, at: string, caseId: string, version: number, n: number) => register('facts', month, at, `${caseId}#${version}#${n}`),
  /** A person's in-app notification, by its id (`<at>#<hash>`: newest last). */
  notification: (personId: string, id: string) => ({ pk: `NOTES#${personId}`, sk: id }),
  /** The partition of a person's notifications. */
  notifications: (personId: string) => `NOTES#${personId}`,
  orgCurrent: { pk: 'ORG', sk: 'CURRENT' },
  calendar: { pk: 'CALENDAR', sk: 'CURRENT' },
  /** One compressed part of a version of the org chart; the parts in order are the whole. */
  orgPart: (version: number, n: number) => ({ pk: 'ORG', sk: `V#${pad(version, 6)}#P#${pad(n, 3)}` }),
  orgPartPrefix: (version: number) => `V#${pad(version, 6)}#P#`,
  counter: (kind: string, year: number) => ({ pk: `COUNTER#${kind}#${year}`, sk: 'COUNTER' }),
  number: (kind: string, year: number, sequence: number) => ({ pk: `NUMBERS#${kind}#${year}`, sk: `N#${pad(sequence, 6)}` }),
  idempotency: (personId: string, key: string) => ({ pk: `IDEMPOTENCY#${personId}#${key}`, sk: 'IDEMPOTENCY' }),
  /** What one person keeps for themselves (常用意见). */
  profile: (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' }),
  /** How often someone did something in one window (rate limits). */
  rate: (key: string, window: number) => ({ pk: `RATE#${key}`, sk: `W#${window}` }),
  /** The application's own secrets (the cursor key), made on first use. */
  secret: (name: string) => ({ pk: `SECRET#${name}`, sk: 'SECRET' }),
};

/**
 * Positions passed between the pages of one internal walk (every open case, the sweep); never
 * handed to a client, whose cursors are sealed (cursors.ts).
 */
export const internalCursor = {
  encode: (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined),
  decode: (value: string | undefined, attributes: readonly string[]): Record<string, unknown> | undefined => {
    if (!value) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const ok =
      parsed !== null &&
      typeof parsed === 'object' &&
      Object.keys(parsed).sort().join() === [...attributes].sort().join() &&
      Object.values(parsed).every((v) => typeof v === 'string');
    if (!ok) throw new ValidationError('翻页游标无效。Invalid cursor.', 'cursor');
    return parsed as Record<string, unknown>;
  },
};
