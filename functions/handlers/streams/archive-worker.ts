/**
 * Stream consumer `ArchiveWorker`: runs the 四性检测 of each item as it is filed (and stamps its
 * 归档章 copy), and the jobs people ask for: a year's 四性检测, a handover package.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { access, archive, cases, clock, files, newId, numbering, org, telemetry, vault, wire } from '../../adapters/deps.ts';
import { bag, pipe, stamp } from '../../adapters/archive-deps.ts';
import { probe } from '../../adapters/files/probe-port.ts';
import { checkFiledItem } from '../../domain/archive/check-archive.ts';
import { runArchiveJob } from '../../domain/archive/handover.ts';
import { observed } from '../observed.ts';

const deps = wire({ archive, cases, files, access, org, clock, vault, numbering, newId, telemetry, probe, stamp, writeBag: bag, pipe });

export const handler = observed('ArchiveWorker', async (event: DynamoDBStreamEvent) => {
    let checked = 0;
  let jobs = 0;
  for (const record of event.Records) {
    const pk = record.dynamodb?.Keys?.pk?.S ?? '';
    const sk = record.dynamodb?.Keys?.sk?.S ?? '';
    if (record.eventName === 'REMOVE') continue;
    if (pk.startsWith('ARCHIVE#') && sk === 'ITEM') {
      if (await checkFiledItem(deps, pk.slice('ARCHIVE#'.length))) checked++;
    } else if (pk.startsWith('ARCHIVEJOB#') && sk.startsWith('JOB#')) {
      if (await runArchiveJob(deps, Number(pk.slice('ARCHIVEJOB#'.length)), sk.slice('JOB#'.length))) jobs++;
    }
  }
  if (checked || jobs) deps.telemetry.info('Archive work done', { records: event.Records.length, checked, jobs });
  return { checked, jobs };
});
