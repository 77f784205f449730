/** Which cases the records of a DynamoDB Streams batch are about (their keys only: the stream carries no values). */
import type { DynamoDBRecord } from 'aws-lambda';

export function caseIdsOf(records: readonly DynamoDBRecord[]): string[] {
  const ids = new Set<string>();
  for (const record of records) {
    const pk = record.dynamodb?.Keys?.pk?.S ?? '';
    const [kind, id] = [pk.slice(0, pk.indexOf('#')), pk.slice(pk.indexOf('#') + 1)];
    // A case's own items, and its filed item (destroyed: it leaves the index).
    if ((kind === 'CASE' || kind === 'ARCHIVE') && id) ids.add(id);
  }
  return [...ids];
}
