/**
 * Form controls generated from a definition's fields, validated by the API's own schema
 * (functions/domain/definitions/fields.ts, bundled here) so the page and the API say the same
 * thing in the same words. Used for new requests and for a step's inputs on the approve form.
 */
import { fieldsSchema, inputsSchema } from '../../functions/domain/definitions/fields.ts';
import { departmentName } from './directory.ts';
import { h, uid } from './dom.ts';
import { picker } from './picker.ts';
import { lang, localize, t, txt } from './i18n.ts';
import type { Definition, FieldDefinition, HumanStep, Org } from './types.ts';

export interface FieldControl {
  readonly key: string;
  readonly element: HTMLElement;
  /** The value as the API takes it; undefined when left empty. */
  read(): unknown;
  write(value: unknown): void;
  setError(message: string | undefined): void;
  focus(): void;
  /** The id to link to from an error summary. */
  readonly anchor: string;
}

/** How a field is drawn, where the default does not fit: an enum of two or three choices as radio buttons, preset. */
export interface ControlOptions {
  readonly choices?: boolean;
  readonly initial?: string;
}

export function fieldControl(field: FieldDefinition, org: Org, onChange: () => void, onLeave: () => void, how: ControlOptions = {}): FieldControl {
  const id = uid(`f-${field.key}`);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const help = field.help ? h('p', { class: 'field-help', id: helpId }, txt(field.help)) : null;
  const describedBy = [help ? helpId : '', errorId].filter(Boolean).join(' ');
  const common = { id, name: field.key, 'aria-describedby': describedBy, 'aria-required': field.required ? 'true' : undefined, oninput: onChange, onchange: onChange, onblur: onLeave };
  const labelText = [txt(field.label), field.required ? null : h('span', { class: 'muted' }, t('optional'))];
  const requiredMark = field.required ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : null;

  let read: () => unknown;
  let write: (value: unknown) => void;
  let input: HTMLElement;
  let element: HTMLElement;
  let focusable: () => HTMLElement = () => input;
  // Where an error summary's link lands: the control itself (a fieldset or a label would take no focus).
  let anchor = () => id;

  const options = (items: readonly { value: string; label: string }[]) => [h('option', { value: '' }, t('chooseOne')), items.map((o) => h('option', { value: o.value }, o.label))];

  switch (field.type) {
    case 'text': {
      const el = field.multiline ? h('textarea', { ...common, rows: 4, maxlength: field.maxLength }) : h('input', { ...common, type: 'text', maxlength: field.maxLength, autocomplete: 'off' });
      input = el;
      read = () => (el.value.trim() === '' ? undefined : el.value);
      write = (v) => (el.value = typeof v === 'string' ? v : '');
      break;
    }
    case 'number':
    case 'money': {
      const step = field.type === 'money' ? 0.01 : field.step;
      const min = field.type === 'number' ? field.min : 0;
      const el = h('input', { ...common, type: 'number', inputmode: 'decimal', step: step ?? 'any', min, max: field.max });
      input = el;
      // A number the browser cannot read is sent as typed so the schema names the problem.
      read = () => (el.value === '' ? (el.validity.badInput ? 'x' : undefined) : Number(el.value));
      write = (v) => (el.value = typeof v === 'number' ? String(v) : '');
      break;
    }
    case 'date': {
      const el = h('input', { ...common, type: 'date' });
      input = el;
      read = () => (el.value === '' ? undefined : el.value);
      write = (v) => (el.value = typeof v === 'string' ? v : '');
      break;
    }
    case 'boolean': {
      const el = h('input', { ...common, type: 'checkbox' });
      input = el;
      read = () => el.checked;
      write = (v) => (el.checked = v === true);
      element = h('div', { class: 'field field-checkbox', 'data-field': field.key }, h('label', { for: id }, el, ' ', txt(field.label)), help, error);
      break;
    }
    case 'enum': {
      const items = field.options.map((o) => ({ value: o.value, label: txt(o.label) }));
      if (how.choices) {
        // A fieldset of radios (上午 / 下午): one click, no list to open, each a 44 px target on a phone.
        const radios = items.map((o, i) => h('input', { type: 'radio', id: `${id}-${i}`, name: id, value: o.value, checked: o.value === how.initial, 'aria-describedby': describedBy, onchange: onChange, onblur: onLeave }));
        input = radios[0]!;
        focusable = () => radios.find((r) => r.checked) ?? radios[0]!;
        anchor = () => focusable().id;
        read = () => radios.find((r) => r.checked)?.value;
        write = (v) => {
          const value = typeof v === 'string' ? v : how.initial;
          for (const r of radios) r.checked = r.value === value;
        };
        element = h(
          'fieldset',
          { class: 'field field-set field-choices', 'data-field': field.key, id },
          // Always one of them (preset): not marked optional.
          h('legend', null, txt(field.label)),
          help,
          h('div', { class: 'choices' }, radios.map((r, i) => h('label', { class: 'choice' }, r, ' ', items[i]!.label))),
          error,
        );
        break;
      }
      const el = h('select', common, options(items));
      input = el;
      read = () => (el.value === '' ? undefined : el.value);
      write = (v) => (el.value = typeof v === 'string' ? v : '');
      break;
    }
    case 'person':
    case 'people':
    case 'department':
    case 'departments': {
      // One picker for people and departments, one or several: it scales to thousands (picker.ts).
      const pick = picker(field, org, { id, describedBy, onChange, onLeave });
      input = pick.input;
      read = () => {
        const v = pick.read();
        return Array.isArray(v) || v !== undefined ? v : undefined;
      };
      write = (v) => pick.write(v);
      element = h('div', { class: 'field field-picker', 'data-field': field.key }, h('label', { for: id }, labelText, requiredMark), help, pick.element, error);
      break;
    }
  }
  const unit = field.type === 'number' && field.unit ? txt(field.unit) : field.type === 'money' ? t('unit_yuan') : '';
  element ??= h(
    'div',
    { class: 'field', 'data-field': field.key },
    h('label', { for: id }, labelText, requiredMark),
    help,
    unit ? h('div', { class: 'with-unit' }, input, h('span', { class: 'unit' }, unit)) : input,
    error,
  );
  const control = element;
  return {
    key: field.key,
    element,
    get anchor() {
      return anchor();
    },
    read: () => read(),
    write: (v) => write(v),
    focus: () => focusable().focus(),
    setError(message) {
      error.hidden = !message;
      error.textContent = message ? localize(message) : '';
      control.classList.toggle('has-error', !!message);
      input.setAttribute('aria-invalid', message ? 'true' : 'false');
    },
  };
}

/** A value the API works out (a leave's 天数): shown, never typed, never sent. */
export interface DerivedControl extends FieldControl {
  show(value: unknown): void;
}

export function derivedControl(field: FieldDefinition): DerivedControl {
  const id = uid(`f-${field.key}`);
  const help = field.help ? h('p', { class: 'field-help', id: `${id}-help` }, txt(field.help)) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  // Said as it changes (the days as the dates are picked); focusable for an error summary's link.
  const output = h('output', { id, name: field.key, class: 'derived-value', 'aria-live': 'polite', tabindex: -1, 'aria-describedby': [help ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' ') }, '—');
  const element = h('div', { class: 'field field-derived', 'data-field': field.key }, h('label', { for: id }, txt(field.label)), help, output, error);
  return {
    key: field.key,
    element,
    anchor: id,
    read: () => undefined,
    write: () => {},
    focus: () => output.focus(),
    show(value) {
      output.textContent = value === undefined || value === null ? '—' : displayValue(field, value, undefined);
    },
    setError(message) {
      error.hidden = !message;
      error.textContent = message ? localize(message) : '';
      element.classList.toggle('has-error', !!message);
    },
  };
}

/**
 * A step's entry that is someone's written opinion (拟办意见、批办意见、办理结果): a text of several
 * lines. Where a step has one, it is where the person writes, and no separate comment box is shown.
 */
export function isOpinionInput(field: FieldDefinition): boolean {
  return field.type === 'text' && field.multiline === true;
}

/** The fields' values as the API takes them (empty ones left out). */
export function readFields(controls: readonly FieldControl[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const c of controls) {
    const v = c.read();
    if (v !== undefined) values[c.key] = v;
  }
  return values;
}

/**
 * The API's verdict on the values, computed here: the first message per field, keyed by field
 * (cross-field checks land on the field they name, as in the API).
 */
export function validateFields(definition: Definition, values: Record<string, unknown>): Map<string, string> {
  return withRequired(definition.fields, values, issuesByField(fieldsSchema(definition, { now: Date.now() }).safeParse(values)));
}

/** A required field left empty is asked for by name (the schema calls it the wrong type). */
function withRequired(fields: readonly FieldDefinition[], values: Record<string, unknown>, errors: Map<string, string>): Map<string, string> {
  for (const field of fields) {
    if (!field.required || values[field.key] !== undefined || !errors.has(field.key)) continue;
    const choose = ['enum', 'person', 'people', 'department', 'departments'].includes(field.type);
    errors.set(field.key, `${choose ? '请选择' : '请填写'}${field.label.zh}。 ${choose ? 'Choose one.' : 'Required.'}`);
  }
  return errors;
}

/** The same for what a step's assignee enters with an approval, judged with the case's fields merged in. */
export function validateInputs(definition: Definition, step: HumanStep, current: Readonly<Record<string, unknown>>, values: Record<string, unknown>): Map<string, string> {
  return withRequired(step.inputs, values, issuesByField(inputsSchema(definition, step, current).safeParse(values)));
}

function issuesByField(result: { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }): Map<string, string> {
  const errors = new Map<string, string>();
  if (!result.success && result.error) {
    for (const issue of result.error.issues) {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '';
      if (!errors.has(key)) errors.set(key, issue.message);
    }
  }
  return errors;
}

/** Title rules of the API (engine.ts openCase): required, at most 200 characters after trimming. */
export function titleError(title: string): string | undefined {
  const trimmed = title.trim();
  if (!trimmed) return t('titleRequired');
  if (trimmed.length > 200) return t('titleTooLong');
  return undefined;
}

/** A field's value for reading (enum labels, names for ids, 是/否). */
export function displayValue(field: FieldDefinition | undefined, value: unknown, org: Org | undefined): string {
  if (value === undefined || value === null || value === '') return '—';
  const names = (ids: unknown, kind: 'person' | 'department') =>
    (Array.isArray(ids) ? ids : [ids])
      .map((id) => {
        const s = String(id);
        if (kind === 'department') return departmentName(org, s);
        const p = org?.people.find((x) => x.id === s);
        return p ? (lang() === 'en' && p.nameEn ? p.nameEn : p.name) : s;
      })
      .join(lang() === 'zh' ? '、' : ', ');
  switch (field?.type) {
    case 'boolean':
      return value === true ? t('yes') : t('no');
    case 'enum':
      return txt(field.options.find((o) => o.value === value)?.label) || String(value);
    case 'person':
    case 'people':
      return names(value, 'person');
    case 'department':
    case 'departments':
      return names(value, 'department');
    case 'money':
      return `${Number(value).toFixed(2)} ${t('unit_yuan')}`;
    case 'number':
      return `${value}${field.unit ? ` ${txt(field.unit)}` : ''}`;
    default:
      return Array.isArray(value) ? value.join('、') : String(value);
  }
}
