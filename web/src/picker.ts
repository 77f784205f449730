/**
 * The person and department picker (人员/部门选择): one combobox for every field of type person,
 * people, department or departments, and for 传阅、抄送、加签、转办 on the case page. Type a name
 * or its pinyin initials (王建国: "wjg") and the matches show at once, even among thousands of
 * people; with nothing typed it lists the departments, each opening onto its people (the org's
 * tree), and a multi-picker takes a whole section at once. It follows the ARIA combobox pattern
 * (a text box that controls a listbox, the active option by aria-activedescendant), so it works by
 * keyboard — ↓ ↑ to move, Enter to choose, → to open a department, ← to go back, Esc to close,
 * Backspace to take off the last chosen — and with a screen reader, which hears how many match.
 */
import { departmentName } from './directory.ts';
import { h, uid } from './dom.ts';
import { lang, t, txt } from './i18n.ts';
import type { FieldDefinition, Org, Person } from './types.ts';

interface Entry {
  readonly id: string;
  readonly person?: Person;
  readonly name: string;
  readonly nameEn: string;
  readonly initials: string;
  readonly pinyin: string;
  readonly departmentId: string;
}

/** At most this many options are drawn: a name narrows thousands to a few at once. */
const SHOWN = 50;
/** The group of people with no department (the bureau's leaders, as a rule). */
const NO_DEPARTMENT = '';

interface Index {
  readonly people: readonly Entry[];
  readonly departments: readonly Entry[];
  readonly byId: ReadonlyMap<string, Entry>;
  readonly departmentById: ReadonlyMap<string, Entry>;
  readonly members: ReadonlyMap<string, readonly Entry[]>;
}

const indexes = new WeakMap<Org, Index>();

/** The org chart made searchable once per load (lowercased names and spellings, members by department). */
function indexOf(org: Org): Index {
  let index = indexes.get(org);
  if (index) return index;
  // GET /api/org spells each name (pinyin, initials); an org without them is searched by name.
  const entry = (x: { id: string; name: string; nameEn?: string; pinyin?: string; initials?: string }, departmentId = '', person?: Person): Entry => ({
    id: x.id,
    person,
    name: x.name,
    nameEn: (x.nameEn ?? '').toLowerCase(),
    initials: (x.initials ?? '').toLowerCase(),
    pinyin: (x.pinyin ?? '').toLowerCase().replace(/[^a-z]/g, ''),
    departmentId,
  });
  const people = org.people.filter((p) => p.active !== false).map((p) => entry(p, p.departmentId ?? NO_DEPARTMENT, p));
  const departments = org.departments.map((d) => entry(d));
  const members = new Map<string, Entry[]>();
  for (const p of people) {
    const list = members.get(p.departmentId) ?? [];
    list.push(p);
    members.set(p.departmentId, list);
  }
  index = { people, departments, byId: new Map(people.map((p) => [p.id, p])), departmentById: new Map(departments.map((d) => [d.id, d])), members };
  indexes.set(org, index);
  return index;
}

/**
 * How well an entry matches what was typed (lower is better; undefined: no match): the name
 * itself, then pinyin initials, then full pinyin, then anywhere in the name or its English.
 * `q` is lowercased; `compact` is the same without spaces, for spellings ("wang jianguo").
 */
function score(e: Entry, q: string, compact: string): number | undefined {
  if (e.name === q) return 0;
  if (e.name.startsWith(q)) return 1;
  if (e.initials && e.initials.startsWith(compact)) return 2;
  if (e.pinyin && e.pinyin.startsWith(compact)) return 3;
  if (e.name.includes(q)) return 4;
  if (e.nameEn && (e.nameEn.startsWith(q) || e.nameEn.includes(` ${q}`))) return 5;
  if (e.initials && e.initials.includes(compact)) return 6;
  if (e.pinyin && e.pinyin.includes(compact)) return 7;
  if (e.nameEn && e.nameEn.includes(q)) return 8;
  return undefined;
}

function search(entries: readonly Entry[], query: string): Entry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...entries];
  const compact = q.replace(/\s+/g, '');
  const found: { e: Entry; s: number; i: number }[] = [];
  entries.forEach((e, i) => {
    const s = score(e, q, compact);
    if (s !== undefined) found.push({ e, s, i });
  });
  return found.sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.e);
}

type Choice =
  | { readonly kind: 'person'; readonly entry: Entry }
  | { readonly kind: 'department'; readonly entry: Entry }
  /** A department to open (a person field): its people are listed next. */
  | { readonly kind: 'open'; readonly departmentId: string }
  /** Everyone in a department at once (a multi-picker of people). */
  | { readonly kind: 'section'; readonly departmentId: string }
  | { readonly kind: 'back' };

export interface Picker {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  read(): string | string[] | undefined;
  write(value: unknown): void;
}

/**
 * A picker for `field` (person, people, department or departments): its text box takes `id` (the
 * field's label points at it) and is described by the field's help and error (`describedBy`).
 */
export function picker(field: FieldDefinition, org: Org, options: { id: string; describedBy: string; onChange: () => void; onLeave: () => void }): Picker {
  /** Whether it picks people (else departments). */
  const ofPeople = field.type === 'person' || field.type === 'people';
  const multiple = field.type === 'people' || field.type === 'departments';
  const max = 'max' in field && typeof field.max === 'number' ? field.max : Infinity;
  const index = indexOf(org);
  const listId = `${options.id}-list`;
  const statusId = `${options.id}-status`;
  let chosen: string[] = [];
  let browsing: string | undefined;
  let shown: Choice[] = [];
  let active = -1;

  const personName = (e: Entry) => (lang() === 'en' && e.person?.nameEn ? e.person.nameEn : e.name);
  const deptLabel = (id: string) => (id === NO_DEPARTMENT ? t('pickerNoDepartment') : departmentName(org, id));
  const labelOf = (id: string) => {
    if (ofPeople) {
      const e = index.byId.get(id);
      return e ? personName(e) : id;
    }
    return departmentName(org, id);
  };
  const detailOf = (e: Entry) => [e.person?.title, deptLabel(e.departmentId)].filter(Boolean).join(' · ');

  const input = h('input', {
    id: options.id,
    type: 'text',
    name: field.key,
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    'aria-describedby': [options.describedBy, statusId].filter(Boolean).join(' '),
    'aria-required': field.required ? 'true' : undefined,
    placeholder: ofPeople ? t('pickerPlaceholderPeople') : t('pickerPlaceholderDepartments'),
    class: 'picker-input',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'picker-list', 'aria-label': txt(field.label), 'aria-multiselectable': multiple ? 'true' : undefined });
  const more = h('p', { class: 'picker-more', hidden: true });
  // In the page only while open: a closed picker is one text box (and one name) to assistive technology.
  const popup = h('div', { class: 'picker-popup' }, list, more);
  const status = h('p', { id: statusId, class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const chips = h('ul', { class: 'picker-chips', hidden: true });
  const toggle = h(
    'button',
    { type: 'button', class: 'picker-toggle', tabindex: -1, 'aria-label': ofPeople ? t('pickerBrowse') : t('pickerShowAll'), 'aria-controls': listId, 'aria-expanded': 'false' },
    h('span', { 'aria-hidden': 'true' }, '▾'),
  );
  const element = h('div', { class: `picker${multiple ? ' picker-multiple' : ''}` }, chips, h('div', { class: 'picker-box' }, input, toggle), status);

  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const announce = (text: string, now = false) => {
    clearTimeout(announceTimer);
    // Said once typing pauses, not at every keystroke.
    if (now) status.textContent = text;
    else announceTimer = setTimeout(() => (status.textContent = text), 400);
  };

  const isOpen = () => popup.isConnected;
  const open = () => {
    if (!isOpen()) {
      status.before(popup);
      // Near the bottom of the screen (a phone) the list would open out of sight.
      requestAnimationFrame(() => popup.scrollIntoView({ block: 'nearest' }));
    }
    input.setAttribute('aria-expanded', 'true');
    toggle.setAttribute('aria-expanded', 'true');
  };
  const close = () => {
    popup.remove();
    browsing = undefined;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };

  /** The choices for what is typed (or, with nothing typed, the departments, or one department's people). */
  const choicesFor = (query: string): { choices: Choice[]; total: number } => {
    const q = query.trim();
    if (!ofPeople) {
      const found = search(index.departments, q);
      return { choices: found.slice(0, SHOWN).map((entry) => ({ kind: 'department', entry })), total: found.length };
    }
    if (browsing !== undefined) {
      const members = search(index.members.get(browsing) ?? [], q);
      const head: Choice[] = [{ kind: 'back' }, ...(multiple && members.length ? [{ kind: 'section', departmentId: browsing } as const] : [])];
      return { choices: [...head, ...members.slice(0, SHOWN).map((entry) => ({ kind: 'person', entry }) as const)], total: members.length };
    }
    const departmentIds = [...index.departments.map((d) => d.id), ...(index.members.has(NO_DEPARTMENT) ? [NO_DEPARTMENT] : [])];
    if (!q) return { choices: departmentIds.filter((id) => index.members.has(id)).map((departmentId) => ({ kind: 'open', departmentId })), total: 0 };
    const found = search(index.people, q);
    // A department whose name matches: open it, or (several people) take the whole section.
    const sections = search(index.departments, q)
      .filter((d) => index.members.has(d.id))
      .slice(0, 5)
      .map((d): Choice => (multiple ? { kind: 'section', departmentId: d.id } : { kind: 'open', departmentId: d.id }));
    return { choices: [...found.slice(0, SHOWN).map((entry) => ({ kind: 'person', entry }) as const), ...sections], total: found.length };
  };

  const optionId = (i: number) => `${options.id}-opt-${i}`;
  const draw = (announceIt = true) => {
    const { choices, total } = choicesFor(input.value);
    shown = choices;
    active = choices.length ? Math.min(Math.max(active, 0), choices.length - 1) : -1;
    if (browsing === undefined && !input.value.trim()) active = -1;
    list.replaceChildren(
      ...choices.map((choice, i) => {
        const selected = (choice.kind === 'person' || choice.kind === 'department') && chosen.includes(choice.entry.id);
        const sectionChosen = choice.kind === 'section' && (index.members.get(choice.departmentId) ?? []).every((m) => chosen.includes(m.id));
        return h(
          'li',
          {
            id: optionId(i),
            role: 'option',
            class: `picker-option picker-${choice.kind}${i === active ? ' active' : ''}`,
            'aria-selected': choice.kind === 'person' || choice.kind === 'department' ? String(selected) : choice.kind === 'section' ? String(sectionChosen) : undefined,
            'data-value': choice.kind === 'person' || choice.kind === 'department' ? choice.entry.id : undefined,
            onmousedown: (event: MouseEvent) => event.preventDefault(),
            onclick: () => choose(i),
          },
          optionContent(choice),
        );
      }),
    );
    const shownPeople = choices.filter((c) => c.kind === 'person' || c.kind === 'department').length;
    more.hidden = total <= shownPeople;
    more.textContent = total > shownPeople ? t('pickerMore', { n: total - shownPeople }) : '';
    if (active >= 0) input.setAttribute('aria-activedescendant', optionId(active));
    else input.removeAttribute('aria-activedescendant');
    if (announceIt) {
      const q = input.value.trim();
      announce(
        browsing !== undefined
          ? t('pickerInDepartment', { name: deptLabel(browsing), n: total })
          : !q
            ? ofPeople
              ? t('pickerDepartments', { n: choices.length })
              : t('pickerFound', { n: total })
            : total === 0 && choices.length === 0
              ? t('pickerNone')
              : t('pickerFound', { n: total }),
      );
    }
  };

  const optionContent = (choice: Choice) => {
    switch (choice.kind) {
      case 'person':
        return [h('span', { class: 'picker-name' }, personName(choice.entry)), h('span', { class: 'picker-detail' }, detailOf(choice.entry))];
      case 'department':
        return [h('span', { class: 'picker-name' }, departmentName(org, choice.entry.id))];
      case 'open': {
        const n = index.members.get(choice.departmentId)?.length ?? 0;
        return [h('span', { class: 'picker-name' }, deptLabel(choice.departmentId)), h('span', { class: 'picker-detail' }, t('pickerPeopleCount', { n })), h('span', { class: 'picker-chevron', 'aria-hidden': 'true' }, '›')];
      }
      case 'section': {
        const n = index.members.get(choice.departmentId)?.length ?? 0;
        return [h('span', { class: 'picker-name' }, t('pickerWholeSection', { name: deptLabel(choice.departmentId) })), h('span', { class: 'picker-detail' }, t('pickerPeopleCount', { n }))];
      }
      case 'back':
        return [h('span', { class: 'picker-chevron', 'aria-hidden': 'true' }, '‹'), h('span', { class: 'picker-name' }, t('pickerBack'))];
    }
  };

  const drawChips = () => {
    chips.hidden = !multiple || chosen.length === 0;
    if (!multiple) return;
    chips.replaceChildren(
      ...chosen.map((id) =>
        h(
          'li',
          { class: 'picker-chip', 'data-value': id },
          h('span', null, labelOf(id)),
          h(
            'button',
            {
              type: 'button',
              class: 'picker-remove',
              'aria-label': t('pickerRemove', { name: labelOf(id) }),
              onclick: () => {
                remove(id);
                input.focus();
              },
            },
            h('span', { 'aria-hidden': 'true' }, '×'),
          ),
        ),
      ),
    );
  };

  const changed = () => {
    drawChips();
    options.onChange();
  };
  const remove = (id: string) => {
    chosen = chosen.filter((x) => x !== id);
    announce(t('pickerRemoved', { name: labelOf(id) }), true);
    changed();
    if (isOpen()) draw(false);
  };
  const add = (ids: readonly string[]) => {
    const fresh = ids.filter((id) => !chosen.includes(id));
    const room = Math.max(0, max - chosen.length);
    const taken = fresh.slice(0, room);
    chosen = [...chosen, ...taken];
    announce(
      fresh.length > taken.length
        ? t('pickerFull', { max })
        : taken.length === 1
          ? t('pickerAdded', { name: labelOf(taken[0]!) })
          : t('pickerAddedMany', { n: taken.length }),
      true,
    );
    changed();
  };

  function choose(i: number): void {
    const choice = shown[i];
    if (!choice) return;
    switch (choice.kind) {
      case 'open':
        browsing = choice.departmentId;
        input.value = '';
        active = 1;
        draw();
        return;
      case 'back':
        browsing = undefined;
        input.value = '';
        active = -1;
        draw();
        return;
      case 'section': {
        const ids = (index.members.get(choice.departmentId) ?? []).map((m) => m.id);
        if (ids.every((id) => chosen.includes(id))) {
          chosen = chosen.filter((id) => !ids.includes(id));
          announce(t('pickerRemovedMany', { n: ids.length }), true);
          changed();
        } else add(ids);
        input.value = '';
        draw(false);
        return;
      }
      case 'person':
      case 'department': {
        const id = choice.entry.id;
        if (multiple) {
          if (chosen.includes(id)) remove(id);
          else add([id]);
          input.value = '';
          browsing = undefined;
          close();
        } else {
          chosen = [id];
          input.value = labelOf(id);
          announce(t('pickerAdded', { name: labelOf(id) }), true);
          close();
          changed();
        }
        return;
      }
    }
  }

  const move = (delta: number) => {
    if (!isOpen()) {
      open();
      draw();
    }
    if (shown.length === 0) return;
    active = active < 0 ? (delta > 0 ? 0 : shown.length - 1) : (active + delta + shown.length) % shown.length;
    for (const [i, li] of [...list.children].entries()) li.classList.toggle('active', i === active);
    input.setAttribute('aria-activedescendant', optionId(active));
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  };

  input.addEventListener('input', () => {
    // Typing searches everyone: the departments are for looking through without typing.
    browsing = undefined;
    // A single picker's text no longer names its choice once it is edited.
    if (!multiple && chosen.length && input.value !== labelOf(chosen[0]!)) {
      chosen = [];
      options.onChange();
    }
    active = 0;
    open();
    draw();
  });
  input.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        move(event.altKey ? 0 : 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        move(-1);
        break;
      case 'Enter':
        if (isOpen() && active >= 0) {
          event.preventDefault();
          choose(active);
        }
        break;
      case 'ArrowRight': {
        const choice = shown[active];
        if (isOpen() && choice?.kind === 'open' && input.selectionStart === input.value.length) {
          event.preventDefault();
          choose(active);
        }
        break;
      }
      case 'ArrowLeft':
        if (isOpen() && browsing !== undefined && input.value === '') {
          event.preventDefault();
          browsing = undefined;
          draw();
        }
        break;
      case 'Escape':
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (!multiple && chosen.length === 0) {
          input.value = '';
        }
        break;
      case 'Backspace':
        if (multiple && input.value === '' && chosen.length) remove(chosen[chosen.length - 1]!);
        break;
      default:
        break;
    }
  });
  input.addEventListener('focus', () => input.select());
  input.addEventListener('blur', () => {
    close();
    // A single picker shows what is chosen, not a half-typed name.
    if (!multiple) input.value = chosen[0] ? labelOf(chosen[0]) : '';
    else input.value = '';
    options.onLeave();
  });
  toggle.addEventListener('mousedown', (event) => event.preventDefault());
  toggle.addEventListener('click', () => {
    if (isOpen()) close();
    else {
      input.focus();
      if (!multiple) input.value = '';
      open();
      draw();
    }
  });
  input.addEventListener('click', () => {
    if (!isOpen()) {
      open();
      draw();
    }
  });

  return {
    element,
    input,
    read: () => (multiple ? [...chosen] : chosen[0]),
    write(value) {
      const valid = (id: unknown): id is string => typeof id === 'string' && (ofPeople ? index.byId.has(id) : index.departmentById.has(id));
      chosen = multiple ? (Array.isArray(value) ? value.filter(valid) : []) : valid(value) ? [value] : [];
      input.value = multiple || !chosen[0] ? '' : labelOf(chosen[0]);
      drawChips();
    },
  };
}
