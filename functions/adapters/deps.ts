/**
 * The ports, each built on first use from the shared clients and config, then kept for the
 * container's life. A handler names the ports its use case takes, `wire({ cases, org, clock })`,
 * so its bundle carries those adapters and their clients only, and its cold start builds nothing
 * until a request needs it. `defaultDeps()` is every port at once, for the local system's own
 * work (redrive, backfill) and for tests.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Deps } from '../domain/ports.ts';
import { documents, resetAwsClients, s3, scheduler, ses, sfn } from './aws.ts';
import { config, resetConfig } from './config.ts';
import { DynamoCaseStore } from './dynamodb/case-store.ts';
import { Cursors } from './dynamodb/cursors.ts';
import { DynamoNumbering } from './dynamodb/numbering.ts';
import { DynamoOrgStore } from './dynamodb/org-store.ts';
import { DynamoCalendarStore } from './dynamodb/calendar-store.ts';
import { DynamoNotificationStore } from './dynamodb/notification-store.ts';
import { SesMailer } from './notify/ses-mailer.ts';
import { S3FileStore } from './s3/file-store.ts';
import { DynamoAccessStore } from './dynamodb/access-store.ts';
import { DynamoArchiveStore } from './dynamodb/archive-store.ts';
import { DynamoRegisterStore } from './dynamodb/register-store.ts';
import { DynamoUploadStore } from './dynamodb/upload-store.ts';
import { DynamoRateLimits } from './dynamodb/rate-limits.ts';
import { DynamoProfileStore } from './dynamodb/profile-store.ts';
import { StepFunctionsWorkflows } from './sfn/workflows.ts';
import { chaseTargetFromEnv, SchedulerChases } from './scheduler/chases.ts';
import { DynamoScanTextStates, DynamoScanTextStore } from './dynamodb/scan-text-store.ts';
import { S3ScanTextPages } from './s3/scan-text-pages.ts';
import { S3VaultStore } from './s3/vault-store.ts';
import { telemetry as sharedTelemetry } from './telemetry.ts';
import { wire } from './wire.ts';

export { wire };

export const systemTime: Clock = { now: () => Date.now() };

let localClock: Clock = systemTime;
/** Bumped by bindLocalRuntime: every port is built anew on the new endpoints. */
let generation = 0;

/**
 * Binds the handlers to a local runtime: its clock (tests that move time move it for the handlers
 * too) and the endpoints it just set in the environment. Never called in Lambda.
 */
export function bindLocalRuntime(local: Clock): void {
  localClock = local;
  generation++;
  resetAwsClients();
  resetConfig();
}

/** A port's getter: built once per generation (once per container in Lambda). */
function lazyPort<T>(make: () => T): () => T {
  let made: { generation: number; port: T } | undefined;
  return () => {
    if (made?.generation !== generation) made = { generation, port: make() };
    return made.port;
  };
}

/** The key that seals page cursors: one per container, shared by every list. */
export const cursors = /* @__PURE__ */ lazyPort(() => new Cursors(documents(), config().tableName));

export const cases = /* @__PURE__ */ lazyPort(() => new DynamoCaseStore(documents(), config().tableName, cursors()));
export const org = /* @__PURE__ */ lazyPort(() => new DynamoOrgStore(documents(), config().tableName, localClock));
export const calendar = /* @__PURE__ */ lazyPort(() => new DynamoCalendarStore(documents(), config().tableName, localClock));
export const notifications = /* @__PURE__ */ lazyPort(() => new DynamoNotificationStore(documents(), config().tableName, cursors()));
export const mailer = /* @__PURE__ */ lazyPort(() => new SesMailer(ses(), config().mailFrom));
export const files = /* @__PURE__ */ lazyPort(() => new S3FileStore(s3(), config().bucketName, config().objectLock, config().objectLockMode));
export const uploads = /* @__PURE__ */ lazyPort(() => new DynamoUploadStore(documents(), config().tableName));
export const numbering = /* @__PURE__ */ lazyPort(() => new DynamoNumbering(documents(), config().tableName, localClock));
export const registers = /* @__PURE__ */ lazyPort(() => new DynamoRegisterStore(documents(), config().tableName));
export const access = /* @__PURE__ */ lazyPort(() => new DynamoAccessStore(documents(), config().tableName));
export const archive = /* @__PURE__ */ lazyPort(() => new DynamoArchiveStore(documents(), config().tableName));
export const limits = /* @__PURE__ */ lazyPort(() => new DynamoRateLimits(documents(), config().tableName));
export const profiles = /* @__PURE__ */ lazyPort(() => new DynamoProfileStore(documents(), config().tableName));
export const workflows = /* @__PURE__ */ lazyPort(() => new StepFunctionsWorkflows(sfn(), config().caseWorkflowArn));
export const chases = /* @__PURE__ */ lazyPort(() => new SchedulerChases(scheduler(), chaseTargetFromEnv(config().scheduleGroup)));
export const scanTexts = /* @__PURE__ */ lazyPort(() => new DynamoScanTextStore(documents(), config().tableName, new S3ScanTextPages(s3(), config().bucketName)));
/** The scans' reading states only: the case page, without the S3 client. */
export const scanTextStates = /* @__PURE__ */ lazyPort(() => new DynamoScanTextStates(documents(), config().tableName));
export const vault = /* @__PURE__ */ lazyPort(() => new S3VaultStore(s3(), config().bucketName, config().objectLock, config().objectLockMode));
export const telemetry = () => sharedTelemetry;
/** The local runtime's clock when one is bound (a test's ManualClock), the system's otherwise. */
export const clock = () => localClock;
const makeId = () => randomUUID().slice(0, 8);
export const newId = () => makeId;

/** Every port: the local system's own work and tests. A handler wires the ones it uses instead. */
export function defaultDeps(): Deps {
  return wire({ cases, org, calendar, notifications, mailer, files, uploads, numbering, registers, access, archive, limits, profiles, workflows, chases, scanTexts, vault, telemetry, clock, newId });
}
