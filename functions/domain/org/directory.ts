/**
 * The org chart as pickers search it: every person and department with the pinyin of its name and
 * its initials (王建国 → wangjianguo, wjg), so typing "wjg" or "王" finds the same person. Worked
 * out once per chart version.
 */
import { pinyin } from 'pinyin-pro';
import type { Org } from './org.ts';

const spelled = new WeakMap<Org, ReturnType<typeof spell>>();

function spellName(name: string) {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''));
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0] ?? '').join('') };
}

function spell(org: Org) {
  return {
    ...org,
    departments: org.departments.map((d) => ({ ...d, ...spellName(d.name) })),
    people: org.people.map((p) => ({ ...p, ...spellName(p.name) })),
  };
}

export function orgDirectory(org: Org) {
  let found = spelled.get(org);
  if (!found) spelled.set(org, (found = spell(org)));
  return found;
}
