/**
 * A data folder from before search has cases and no index: they are indexed once, year by year,
 * from the listing index (as a stage deployed before search would be, from an admin's run).
 */
import { searchDeps } from '../functions/adapters/search-deps.ts';
import { documents as documentClient } from '../functions/adapters/aws.ts';
import { config } from '../functions/adapters/config.ts';
import { keys } from '../functions/adapters/dynamodb/keys.ts';
import { queryAll } from '../functions/adapters/dynamodb/query-all.ts';
import { indexEverything } from '../functions/domain/search/index-cases.ts';
import { numberingYear } from '../functions/domain/numbering/document-number.ts';

/** How many years back a folder's cases are looked for. */
const YEARS_BACK = 30;

export async function indexSearchIfEmpty(): Promise<number> {
  const deps = searchDeps();
  if ((await deps.search.years()).length > 0) return 0;
  const documents = documentClient();
  const { tableName } = config();
  const thisYear = numberingYear(deps.clock.now());
  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - YEARS_BACK + i);
  return indexEverything(deps, years, async function* (year) {
    const ids: string[] = [];
    const listing = queryAll(documents, {
      TableName: tableName,
      IndexName: 'listing',
      KeyConditionExpression: 'gsi3pk = :year',
      ExpressionAttributeValues: { ':year': keys.listing(year, '', '').gsi3pk },
      ProjectionExpression: 'pk',
    });
    for await (const item of listing) {
      ids.push(String(item.pk).replace(/^CASE#/, ''));
      if (ids.length === 500) yield ids.splice(0);
    }
    if (ids.length > 0) yield ids;
  });
}
