/** The org chart and the process catalogue, read once per page load: names for ids, pickers, forms. */
import { get } from './api.ts';
import { lang, txt } from './i18n.ts';
import type { Definition, DefinitionSummary, Me, Org, Person } from './types.ts';

let org: Promise<Org> | undefined;
let me: Promise<Me> | undefined;
/** The signed-in person once read, for what is drawn without waiting (the menu's entries by role). */
let knownMe: Me | undefined;
let summaries: Promise<DefinitionSummary[]> | undefined;
const definitions = new Map<string, Promise<Definition>>();

export function loadOrg(): Promise<Org> {
  org ??= get<Org>('/api/org').catch((error: unknown) => {
    org = undefined;
    throw error;
  });
  return org;
}

export function loadMe(): Promise<Me> {
  if (me) return me;
  const reading: Promise<Me> = get<Me>('/api/me').then(
    (read) => {
      // Kept only if nobody signed out meanwhile.
      if (me === reading) knownMe = read;
      return read;
    },
    (error: unknown) => {
      if (me === reading) me = undefined;
      throw error;
    },
  );
  me = reading;
  return reading;
}

/** The signed-in person if already read (loadMe), else undefined. */
export function meIfKnown(): Me | undefined {
  return knownMe;
}

/** Whether the person holds one of `roles`. */
export function hasRole(person: Pick<Me, 'roles'> | undefined, roles: readonly string[]): boolean {
  return (person?.roles ?? []).some((role) => roles.includes(role));
}

export function loadDefinitions(): Promise<DefinitionSummary[]> {
  summaries ??= get<{ items: DefinitionSummary[] }>('/api/definitions').then(
    (r) => r.items,
    (error: unknown) => {
      summaries = undefined;
      throw error;
    },
  );
  return summaries;
}

export function loadDefinition(type: string): Promise<Definition> {
  let found = definitions.get(type);
  if (!found) {
    found = get<Definition>(`/api/definitions/${encodeURIComponent(type)}`);
    found.catch(() => definitions.delete(type));
    definitions.set(type, found);
  }
  return found;
}

/** Forgets what belongs to the person who was signed in. */
export function resetDirectory(): void {
  org = undefined;
  me = undefined;
  knownMe = undefined;
}

export function personName(o: Org | undefined, id: string): string {
  const p = o?.people.find((x) => x.id === id);
  if (!p) return id;
  return lang() === 'en' && p.nameEn ? p.nameEn : p.name;
}

export function departmentName(o: Org | undefined, id: string | undefined): string {
  if (!id) return '';
  const d = o?.departments.find((x) => x.id === id);
  if (!d) return id;
  return lang() === 'en' && d.nameEn ? d.nameEn : d.name;
}

export function personLabel(o: Org, p: Person): string {
  const dept = departmentName(o, p.departmentId);
  return [lang() === 'en' && p.nameEn ? p.nameEn : p.name, p.title, dept].filter(Boolean).join(' · ');
}

export function typeName(list: readonly DefinitionSummary[] | undefined, type: string): string {
  const d = list?.find((x) => x.type === type);
  return d ? txt(d.name) : type;
}
