/**
 * Every key of the single table, in one place. Index attributes are named after the index
 * (see infra/topology.ts): `assigned` (a person's open work by due time), `due` (open cases by
 * due time, sparse), `listing` (cases by year), `mine` (cases by applicant), `register` (a register's entries for a year).
 */
import { ValidationError } from '../../domain/errors.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Sorts after every ISO date: items without a due time come last. */
export const NO_DUE = '9999-12-31T23:59:59.999Z';

export const keys = {
  case: (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' }),
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
    gsi1pk: `TASKS#${personId}`,
    gsi1sk: `${dueAt ?? NO_DUE}#${caseId}#${kind}`,
  }),
  assignedPartition: (personId: string) => `TASKS#${personId}`,
  due: (dueAt: string | undefined, id: string) => ({ gsi2pk: 'OPEN', gsi2sk: `${dueAt ?? NO_DUE}#${id}` }),
  listing: (year: number, createdAt: string, id: string) => ({ gsi3pk: `CASES#${year}`, gsi3sk: `${createdAt}#${id}` }),
  mine: (applicantId: string, createdAt: string, id: string) => ({ gsi4pk: `APPLICANT#${applicantId}`, gsi4sk: `${createdAt}#${id}` }),
  register: (register: string, year: number | string, at: string, id: string) => ({ gsi5pk: `REGISTER#${register}#${year}`, gsi5sk: `${at}#${id}` }),
  registerPartition: (register: string, year: number | string) => `REGISTER#${register}#${year}`,
  fact: (caseId: string, version: number, n: number) => ({ pk: `FACT#${caseId}`, sk: `${pad(version, 6)}#${pad(n, 3)}` }),
  notification: (personId: string, at: string, caseId: string, n: number) => ({ pk: `NOTES#${personId}`, sk: `${at}#${caseId}#${pad(n, 3)}` }),
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
