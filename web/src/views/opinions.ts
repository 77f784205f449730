/**
 * 常用意见: the person's usual opinions (GET/PUT /api/me/opinions), a row of buttons over every
 * opinion box that puts one in with a click, and a small editor (add, edit, delete, move, save)
 * in a modal dialog, the API's own messages beside the opinion they are about.
 */
import { ApiError, get, request } from '../api.ts';
import { h, notice, uid } from '../dom.ts';
import { localize, t } from '../i18n.ts';

export interface Opinions {
  readonly items: readonly string[];
  /** False while the person has not kept their own: the office's usual ones for their post. */
  readonly own: boolean;
}

let cached: Promise<Opinions> | undefined;

/** The person's opinions, read once per page load (and again after they are saved). */
export function loadOpinions(): Promise<Opinions> {
  cached ??= get<Opinions>('/api/me/opinions').catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/**
 * Puts an opinion in the box: the whole box when it is empty, otherwise at the cursor (replacing
 * any selected text), so a usual phrase can go before or after what was written.
 */
export function insertOpinion(box: HTMLTextAreaElement, text: string): void {
  if (!box.value.trim()) box.value = text;
  else box.setRangeText(text, box.selectionStart ?? box.value.length, box.selectionEnd ?? box.value.length, 'end');
  box.dispatchEvent(new Event('input', { bubbles: true }));
  box.focus();
}

/** The row of usual opinions over an opinion box, with the way to the editor. */
export function opinionRow(box: HTMLTextAreaElement, opinions: Opinions | undefined, onSaved: () => void): HTMLElement {
  const items = opinions?.items ?? [];
  return h(
    'div',
    // Introduced in text, not as a label: the box keeps the only label with 意见 in it.
    { class: 'opinion-row' },
    h('span', { class: 'visually-hidden' }, t('opinionsRow')),
    items.map((text) => h('button', { type: 'button', class: 'opinion-chip', 'data-opinion': text, onclick: () => insertOpinion(box, text) }, text)),
    h(
      'button',
      {
        type: 'button',
        class: 'link-button opinion-manage',
        onclick: (event: MouseEvent) => openOpinionEditor(opinions ?? { items: [], own: false }, event.currentTarget as HTMLElement, onSaved),
      },
      t('opinionsManage'),
    ),
  );
}

/** The editor, as a modal dialog: Tab stays inside, Escape closes it, focus goes back where it was. */
export function openOpinionEditor(opinions: Opinions, opener: HTMLElement, onSaved: () => void): HTMLDialogElement {
  const titleId = uid('opinions-title');
  const rows: { input: HTMLInputElement; error: HTMLElement }[] = [];
  const list = h('ol', { class: 'opinion-editor-list' });
  const status = h('div', { 'aria-live': 'polite' });

  const draw = (focus?: { index: number; what: 'input' | 'up' | 'down' | 'delete' }) => {
    const values = rows.map((r) => r.input.value);
    rows.length = 0;
    list.replaceChildren(
      ...values.map((value, i) => {
        const id = uid('opinion');
        const input = h('input', { id, type: 'text', maxlength: 200, value, autocomplete: 'off', 'aria-describedby': `${id}-error` });
        const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
        rows.push({ input, error });
        const name = h('span', { class: 'visually-hidden' }, ` ${t('opinionItem', { n: i + 1 })}`);
        const move = (by: number, what: 'up' | 'down') => {
          const all = rows.map((r) => r.input.value);
          [all[i], all[i + by]] = [all[i + by]!, all[i]!];
          all.forEach((v, k) => (rows[k]!.input.value = v));
          draw({ index: i + by, what });
        };
        return h(
          'li',
          { class: 'opinion-editor-item' },
          h('label', { for: id, class: 'visually-hidden' }, t('opinionItem', { n: i + 1 })),
          h('div', { class: 'opinion-editor-line' }, input, h('span', { class: 'opinion-editor-buttons' },
            h('button', { type: 'button', 'data-move': 'up', disabled: i === 0, onclick: () => move(-1, 'up') }, t('opinionUp'), name.cloneNode(true)),
            h('button', { type: 'button', 'data-move': 'down', disabled: i === values.length - 1, onclick: () => move(1, 'down') }, t('opinionDown'), name.cloneNode(true)),
            h('button', {
              type: 'button',
              class: 'danger',
              'data-move': 'delete',
              onclick: () => {
                rows.splice(i, 1);
                draw({ index: Math.min(i, rows.length - 1), what: 'input' });
              },
            }, t('opinionDelete'), name),
          )),
          error,
        );
      }),
    );
    if (rows.length === 0) list.append(h('li', { class: 'muted' }, t('opinionsNone')));
    if (focus && rows[focus.index]) {
      const row = list.children[focus.index] as HTMLElement;
      const target = focus.what === 'input' ? rows[focus.index]!.input : row.querySelector<HTMLButtonElement>(`[data-move="${focus.what}"]:not([disabled])`) ?? rows[focus.index]!.input;
      target.focus();
    }
  };

  const add = () => {
    rows.push({ input: h('input', { type: 'text', value: '' }), error: h('p') });
    draw({ index: rows.length - 1, what: 'input' });
  };
  const save = h('button', { type: 'submit', class: 'primary' }, t('opinionsSave'));
  const dialog: HTMLDialogElement = h(
    'dialog',
    { class: 'opinion-editor', 'aria-labelledby': titleId },
    h(
      'form',
      {
        method: 'dialog',
        novalidate: true,
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          for (const r of rows) {
            r.error.hidden = true;
            r.input.removeAttribute('aria-invalid');
          }
          status.replaceChildren();
          // A blank line is no opinion: left out; the rest in the order shown.
          const sent = rows.map((r, i) => ({ text: r.input.value.trim(), i })).filter((x) => x.text !== '');
          save.disabled = true;
          try {
            await request<Opinions>('PUT', '/api/me/opinions', { items: sent.map((x) => x.text) });
            cached = undefined;
            dialog.close();
            onSaved();
          } catch (error) {
            save.disabled = false;
            const message = localize(error instanceof Error ? error.message : String(error));
            const at = error instanceof ApiError ? /^items\.(\d+)/.exec(error.field ?? '') : null;
            const row = at ? rows[sent[Number(at[1])]?.i ?? -1] : undefined;
            if (row) {
              row.error.textContent = message;
              row.error.hidden = false;
              row.input.setAttribute('aria-invalid', 'true');
              row.input.focus();
            } else {
              status.replaceChildren(notice('error', t('errorGeneric', { message })));
            }
          }
        },
      },
      h('h2', { id: titleId }, t('opinionsTitle')),
      h('p', { class: 'field-help' }, t('opinionsHelp')),
      opinions.own ? null : h('p', { class: 'field-help' }, t('opinionsDefault')),
      list,
      h('p', null, h('button', { type: 'button', onclick: add }, t('opinionAdd'))),
      status,
      h('div', { class: 'form-actions' }, save, h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))),
    ),
  );
  for (const text of opinions.items) rows.push({ input: h('input', { type: 'text', value: text }), error: h('p') });
  draw();
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  (rows[0]?.input ?? save).focus();
  return dialog;
}
