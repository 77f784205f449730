/** A small element builder: the page is plain DOM, no framework. Text is always set as text. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Handler<E extends Event = Event> = (event: E) => void;

export interface Attrs {
  readonly class?: string | false | undefined;
  readonly id?: string;
  readonly for?: string;
  readonly href?: string;
  readonly type?: string;
  readonly name?: string;
  readonly value?: string;
  readonly title?: string;
  readonly role?: string;
  readonly tabindex?: number;
  readonly checked?: boolean;
  readonly disabled?: boolean;
  readonly required?: boolean;
  readonly hidden?: boolean;
  readonly multiple?: boolean;
  readonly selected?: boolean;
  readonly onclick?: Handler<MouseEvent>;
  readonly onchange?: Handler;
  readonly oninput?: Handler;
  readonly onsubmit?: Handler<SubmitEvent>;
  readonly onblur?: Handler<FocusEvent>;
  readonly [attribute: string]: unknown;
}

const PROPERTIES = new Set(['checked', 'disabled', 'required', 'hidden', 'multiple', 'selected', 'value']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value as EventListener);
    } else if (PROPERTIES.has(name)) {
      (element as unknown as Record<string, unknown>)[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let ids = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function uid(prefix: string): string {
  return `${prefix}-${++ids}`;
}

/** A live region message (role=status or alert) that screen readers announce. */
export function notice(kind: 'info' | 'success' | 'error' | 'warning', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** A labelled control with its help and, under it, the line that says what is wrong with it. */
export interface SimpleField {
  readonly element: HTMLElement;
  /** Says what is wrong (under the control, linked to it for screen readers), or clears it. */
  setError(message: string | undefined): void;
}

export function simpleField(label: string, control: HTMLInputElement | HTMLSelectElement, help?: string, options: { inline?: boolean } = {}): SimpleField {
  const id = control.id || uid('field');
  control.id = id;
  const helpLine = help ? h('p', { class: 'field-help', id: `${id}-help` }, help) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [helpLine ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' '));
  const element = h('div', { class: options.inline ? 'field inline' : 'field' }, h('label', { for: id }, label), helpLine, control, error);
  return {
    element,
    setError(message) {
      error.hidden = !message;
      error.textContent = message ?? '';
      element.classList.toggle('has-error', !!message);
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}
