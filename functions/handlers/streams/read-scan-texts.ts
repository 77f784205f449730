/**
 * Stream consumer `ScanTextReader`: reads the text of scans newly attached to the cases a batch
 * touched (or left off by an earlier run), stopping a minute before the function's time is up; the
 * state it leaves then (for the file it was reading, and for those of the cases it did not reach)
 * is a change of its own, which starts the next run where it stopped.
 */
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { cases, clock, files, scanTexts, telemetry, wire } from '../../adapters/deps.ts';
import { scanReader } from '../../adapters/text/scan-reader.ts';
import { leaveForNextRun, readScanTexts } from '../../domain/search/read-scan-texts.ts';
import { caseIdsOf } from './stream-keys.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, files, clock, telemetry, scanTexts, reader: scanReader });

const MARGIN_MS = 60_000;

export const handler = observed('ScanTextReader', async (event: DynamoDBStreamEvent, context: Context) => {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS;
  let finished = 0;
  for (const id of caseIdsOf(event.Records)) {
    // Out of time: what is due of the rest is marked so that it starts the next run.
    if (Date.now() >= deadline) await leaveForNextRun(deps, id);
    else finished += await readScanTexts(deps, id, deadline);
  }
  // Most batches are its own state changes coming back, with nothing to read: only work done is logged.
  if (finished > 0) deps.telemetry.info('Scan texts read', { records: event.Records.length, finished });
  return { finished };
});
