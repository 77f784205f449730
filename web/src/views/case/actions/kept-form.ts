/**
 * What was typed into an open action form, kept while the page is redrawn (a file opened, an
 * upload done, a stale version read again) and put back in the same form drawn anew.
 */
import type { CaseAction } from './parts.ts';

export interface KeptForm {
  readonly action: CaseAction;
  readonly stepId: string;
  /** In the 留言 box under the actions (a comment), not the panel the buttons open. */
  readonly inComment: boolean;
  readonly values: readonly { readonly value: string; readonly checked: boolean }[];
  readonly focused: number;
  readonly selection?: readonly [number, number];
}

/** The action form being filled in, if any, with its values and where the cursor was. */
export function keepForm(root: HTMLElement): KeptForm | undefined {
  const form =
    root.querySelector<HTMLFormElement>('.action-form-holder form.action-form:not([data-done])') ??
    root.querySelector<HTMLFormElement>('details.comment-box[open] form.action-form:not([data-done])');
  if (!form) return undefined;
  const fields = formFields(form);
  const focused = fields.indexOf(document.activeElement as HTMLInputElement);
  const active = fields[focused];
  const selection = active && 'selectionStart' in active && active.selectionStart !== null && active.type !== 'checkbox' && active.type !== 'radio' ? ([active.selectionStart, active.selectionEnd ?? active.selectionStart] as const) : undefined;
  return {
    action: form.dataset.form as CaseAction,
    stepId: form.dataset.step ?? '',
    inComment: !!form.closest('details'),
    values: fields.map((f) => ({ value: f.value, checked: 'checked' in f ? f.checked : false })),
    focused,
    selection,
  };
}

/** Puts the values back into the form drawn anew, if it has the same fields, and the cursor where it was. */
export function refill(form: HTMLFormElement, kept: KeptForm): void {
  const fields = formFields(form);
  if (fields.length !== kept.values.length) return;
  fields.forEach((f, i) => {
    const saved = kept.values[i]!;
    if (f instanceof HTMLInputElement && (f.type === 'checkbox' || f.type === 'radio')) f.checked = saved.checked;
    else f.value = saved.value;
  });
  const active = fields[kept.focused];
  if (active) {
    active.focus();
    if (kept.selection && 'setSelectionRange' in active) active.setSelectionRange(...kept.selection);
  }
}

/** A form's inputs in document order (the submit button aside). */
function formFields(form: HTMLFormElement): (HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement)[] {
  return [...form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')];
}
