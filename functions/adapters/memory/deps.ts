/**
 * Every port as an in-memory twin, for use case and handler tests that run in milliseconds. The
 * twins keep the DynamoDB and S3 adapters' contracts (conditional writes → ConflictError, one
 * all-or-nothing write per decision, idempotency records, sealed page cursors) and share state the
 * way the adapters share the table and the bucket: the case store writes the register index, the
 * used number and the consumed upload; the archive writes the catalogue and its number.
 */
import type { Deps } from '../../domain/ports.ts';
import { MemoryAccessStore } from './access-store.ts';
import { MemoryArchiveStore } from './archive-store.ts';
import { MemoryBucket } from './bucket.ts';
import { MemoryCalendarStore } from './calendar-store.ts';
import { MemoryCaseStore } from './case-store.ts';
import { MemoryChases } from './chases.ts';
import { MemoryClock } from './clock.ts';
import { MemoryCursors } from './cursors.ts';
import { MemoryFileStore } from './file-store.ts';
import { MemoryIdempotency } from './idempotency.ts';
import { MemoryMailer } from './mailer.ts';
import { MemoryNotificationStore } from './notification-store.ts';
import { MemoryNumbering } from './numbering.ts';
import { MemoryOrgStore } from './org-store.ts';
import { MemoryProfileStore } from './profile-store.ts';
import { MemoryRateLimits } from './rate-limits.ts';
import { MemoryRegisterIndex, MemoryRegisterStore } from './register-store.ts';
import { MemoryScanTextStore } from './scan-text-store.ts';
import { MemoryTelemetry } from './telemetry.ts';
import { MemoryUploadStore } from './upload-store.ts';
import { MemoryVaultStore } from './vault-store.ts';
import { MemoryWorkflows } from './workflows.ts';

/** Monday 23 November 2026, 09:00 in Beijing: a working day, unless a test says otherwise. */
export const MEMORY_EPOCH = Date.parse('2026-11-23T01:00:00Z');

/** The twins by their own types, so a test reads what they hold (the outbox, the executions). */
export interface MemoryDeps extends Deps {
  readonly cases: MemoryCaseStore;
  readonly org: MemoryOrgStore;
  readonly calendar: MemoryCalendarStore;
  readonly notifications: MemoryNotificationStore;
  readonly mailer: MemoryMailer;
  readonly files: MemoryFileStore;
  readonly uploads: MemoryUploadStore;
  readonly numbering: MemoryNumbering;
  readonly registers: MemoryRegisterStore;
  readonly access: MemoryAccessStore;
  readonly archive: MemoryArchiveStore;
  readonly limits: MemoryRateLimits;
  readonly profiles: MemoryProfileStore;
  readonly workflows: MemoryWorkflows;
  readonly chases: MemoryChases;
  readonly scanTexts: MemoryScanTextStore;
  readonly vault: MemoryVaultStore;
  readonly telemetry: MemoryTelemetry;
  readonly clock: MemoryClock;
}

/**
 * A fresh set of twins, empty (no org chart: seed one), on a clock set to MEMORY_EPOCH, with ids
 * `00000001`, `00000002`, …. `overrides` replaces ports as given; the twins that write through
 * to others (cases → numbering, uploads, notifications) keep writing to their own siblings.
 */
export function memoryDeps<O extends Partial<Deps> = {}>(overrides: O = {} as O): Omit<MemoryDeps, keyof O> & O {
  const clock = new MemoryClock(MEMORY_EPOCH);
  const cursors = new MemoryCursors();
  const idempotency = new MemoryIdempotency();
  const index = new MemoryRegisterIndex();
  const bucket = new MemoryBucket();
  const numbering = new MemoryNumbering(clock);
  const uploads = new MemoryUploadStore(idempotency);
  const notifications = new MemoryNotificationStore(cursors);
  let ids = 0;
  const deps: MemoryDeps = {
    cases: new MemoryCaseStore({ idempotency, registers: index, numbering, uploads, notifications, cursors }),
    org: new MemoryOrgStore(clock),
    calendar: new MemoryCalendarStore(clock),
    notifications,
    mailer: new MemoryMailer(),
    files: new MemoryFileStore(bucket, () => clock.now()),
    uploads,
    numbering,
    registers: new MemoryRegisterStore(index),
    access: new MemoryAccessStore(),
    archive: new MemoryArchiveStore(index, numbering),
    limits: new MemoryRateLimits(),
    profiles: new MemoryProfileStore(),
    workflows: new MemoryWorkflows(clock),
    chases: new MemoryChases(clock),
    scanTexts: new MemoryScanTextStore(bucket),
    vault: new MemoryVaultStore(bucket),
    telemetry: new MemoryTelemetry(),
    clock,
    // Hex, without dashes: execution names split on them (orchestrate.ts: caseOf).
    newId: () => (++ids).toString(16).padStart(8, '0'),
  };
  return { ...deps, ...overrides };
}
