/** Finds definitions in the catalogue: the latest for new cases, the exact version for running ones. */
import { ValidationError } from '../errors.ts';
import { catalog, latestDefinitions } from './catalog/index.ts';
import type { Definition } from './definition.ts';

export function latestDefinition(type: string): Definition {
  const found = latestDefinitions().find((d) => d.type === type);
  if (!found) throw new ValidationError(`没有这个流程：${type}。No such process.`, 'type');
  return found;
}

export function definitionVersion(type: string, version: number): Definition {
  const found = catalog.get(`${type}@${version}`);
  if (!found) throw new Error(`Definition ${type}@${version} is missing from the catalogue`);
  return found;
}
