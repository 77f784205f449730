/** The opinion box of an action's form (意见, 理由), with the usual opinions over it. */
import { h, notice, uid } from '../../../dom.ts';
import { localize, t } from '../../../i18n.ts';
import { opinionRow } from '../../opinions.ts';
import type { CaseHost } from '../host.ts';
import { FieldProblem, type FormParts } from './parts.ts';

/** Sent as `comment`; a reason (不同意、退回、延期) and a 留言 must be given. */
export function commentBox(form: FormParts, title: string, required: boolean): void {
  const key = 'comment';
  const id = uid(`${form.action}-${key}`);
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const el = h('textarea', { id, name: key, rows: 3, maxlength: 2000, 'aria-required': required ? 'true' : undefined, 'aria-describedby': `${id}-error` });
  form.errors.set(key, (m) => {
    error.hidden = !m;
    error.textContent = m ? localize(m) : '';
    el.setAttribute('aria-invalid', m ? 'true' : 'false');
  });
  form.readers.push(() => {
    if (required && !el.value.trim()) throw new FieldProblem(key, t('reasonRequired'));
    return el.value.trim() ? { comment: el.value.trim() } : {};
  });
  // Not over a chase's or a withdrawal's note: no usual opinion is meant there.
  const usual = form.action === 'chase' || form.action === 'withdraw' ? null : usualOpinions(form.host, el);
  form.controls.push(h('div', { class: 'field' }, h('label', { for: id }, title, required ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : h('span', { class: 'muted' }, t('optional'))), usual, el, error));
}

/**
 * The usual opinions over an opinion box. Saved from the editor, every row on the page shows them
 * in place (opinions.ts): the page is not redrawn, so what is typed in another box stays, and
 * focus goes back to the button that opened the editor.
 */
export function usualOpinions(host: CaseHost, box: HTMLTextAreaElement): HTMLElement {
  return opinionRow(box, (opener) => {
    host.say(notice('success', t('opinionsSaved')));
    if (opener.isConnected) opener.focus();
  });
}
