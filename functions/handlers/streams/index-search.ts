/**
 * Stream consumer `SearchIndexer`: brings the search index up to date with the cases a batch of
 * table changes touched. Batches of one stream shard come one after another, those of two shards
 * may overlap: every write of the index is conditional on what was read (StaleIndexError, applied
 * again). A failed batch is retried whole, which indexing from the table makes harmless.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { archive, cases, clock, scanTexts, telemetry, wire } from '../../adapters/deps.ts';
import { search } from '../../adapters/search-deps.ts';
import { indexCases } from '../../domain/search/index-cases.ts';
import { caseIdsOf } from './stream-keys.ts';
import { observed } from '../observed.ts';

const deps = wire({ cases, archive, clock, search, scanTexts, telemetry });

export const handler = observed('SearchIndexer', async (event: DynamoDBStreamEvent) => {
  const ids = caseIdsOf(event.Records);
    const result = await indexCases(deps, ids);
  deps.telemetry.info('Search index updated', { records: event.Records.length, cases: ids.length, ...result });
  return result;
});
