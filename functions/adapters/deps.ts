/** The ports every handler uses, built once per cold start from the shared clients and config. */
import { randomUUID } from 'node:crypto';
import type { Clock, Deps } from '../domain/ports.ts';
import { awsClients, resetAwsClients } from './aws.ts';
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
import { DynamoScanTextStore } from './dynamodb/scan-text-store.ts';
import { S3VaultStore } from './s3/vault-store.ts';
import { telemetry } from './telemetry.ts';

export const systemTime: Clock = { now: () => Date.now() };

let clock: Clock = systemTime;
let deps: Deps | undefined;

/**
 * Binds the handlers to a local runtime: its clock (tests that move time move it for the handlers
 * too) and the endpoints it just set in the environment. Never called in Lambda.
 */
export function bindLocalRuntime(local: Clock): void {
  clock = local;
  deps = undefined;
  resetAwsClients();
  resetConfig();
}

export function defaultDeps(): Deps {
  if (deps) return deps;
  const { documents, sfn, ses, s3 } = awsClients();
  const { tableName, caseWorkflowArn, mailFrom, bucketName, objectLock, objectLockMode } = config();
  // One cursor key per cold start, shared by every list.
  const cursors = new Cursors(documents, tableName);
  deps = {
    cases: new DynamoCaseStore(documents, tableName, cursors),
    org: new DynamoOrgStore(documents, tableName, clock),
    calendar: new DynamoCalendarStore(documents, tableName, clock),
    notifications: new DynamoNotificationStore(documents, tableName, cursors),
    mailer: new SesMailer(ses, mailFrom),
    files: new S3FileStore(s3, bucketName, objectLock, objectLockMode),
    uploads: new DynamoUploadStore(documents, tableName),
    numbering: new DynamoNumbering(documents, tableName, clock),
    registers: new DynamoRegisterStore(documents, tableName),
    access: new DynamoAccessStore(documents, tableName),
    archive: new DynamoArchiveStore(documents, tableName),
    limits: new DynamoRateLimits(documents, tableName),
    profiles: new DynamoProfileStore(documents, tableName),
    workflows: new StepFunctionsWorkflows(sfn, caseWorkflowArn),
    scanTexts: new DynamoScanTextStore(documents, tableName, s3, bucketName),
    vault: new S3VaultStore(s3, bucketName, objectLock, objectLockMode),
    telemetry,
    clock,
    newId: () => randomUUID().slice(0, 8),
  };
  return deps;
}
