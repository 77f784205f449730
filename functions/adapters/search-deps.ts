/**
 * The ports of search, the indexer and the text reader, on top of the ones every handler has:
 * kept apart so that only these functions carry the index library (and the reader its OCR).
 */
import { awsClients } from './aws.ts';
import { config } from './config.ts';
import { defaultDeps } from './deps.ts';
import { Cursors } from './dynamodb/cursors.ts';
import { S3SearchIndexStore } from './s3/search-index-store.ts';
import type { Deps } from '../domain/ports.ts';
import type { SearchDeps } from '../domain/search/search.ts';
import type { IndexDeps } from '../domain/search/index-cases.ts';

export type SearchPorts = Deps & SearchDeps & IndexDeps;

let built: { base: Deps; ports: SearchPorts } | undefined;

export function searchDeps(): SearchPorts {
  const base = defaultDeps();
  // A local runtime bound again (tests) builds new base ports: these follow them.
  if (built?.base === base) return built.ports;
  const { documents, s3 } = awsClients();
  const { tableName, bucketName } = config();
  const ports: SearchPorts = {
    ...base,
    search: new S3SearchIndexStore(s3, bucketName),
    cursors: new Cursors(documents, tableName),
  };
  built = { base, ports };
  return ports;
}
