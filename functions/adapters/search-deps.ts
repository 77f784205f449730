/**
 * The search index's port, for search, the indexer and the text reader: kept apart so that only
 * these functions carry the index library (and the reader its OCR).
 */
import { config } from './config.ts';
import { cursors, defaultDeps, wire } from './deps.ts';
import { s3 } from './aws.ts';
import { S3SearchIndexStore } from './s3/search-index-store.ts';
import type { Deps } from '../domain/ports.ts';
import type { SearchDeps } from '../domain/search/search.ts';
import type { IndexDeps } from '../domain/search/index-cases.ts';

let made: { client: unknown; port: S3SearchIndexStore } | undefined;

/** The index in the bucket, built on first use (anew when a local runtime is bound again: new client). */
export function search(): S3SearchIndexStore {
  const client = s3();
  if (made?.client !== client) made = { client, port: new S3SearchIndexStore(client, config().bucketName) };
  return made.port;
}

export type SearchPorts = Deps & SearchDeps & IndexDeps;

/** Every port and the index: the local backfill. */
export function searchDeps(): SearchPorts {
  return { ...defaultDeps(), ...wire({ search, cursors }) };
}
