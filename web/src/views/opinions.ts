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
/** The opinions as last read or saved on this page load; undefined until read. */
let known: Opinions | undefined;

/** The person's opinions, read once per page load (a failed read is tried again when next asked). */
export function loadOpinions(): Promise<Opinions> {
  cached ??= get<Opinions>('/api/me/opinions').then(
    (opinions) => (known = opinions),
    (error: unknown) => {
      cached = undefined;
      throw error;
    },
  );
  return cached;
}

/** Chips shown before 更多…: a long list would push the opinion box down the page. */
const SHOWN_CHIPS = 6;

/**
 * Puts an opinion in the box: the whole box when it is empty, otherwise at the cursor (replacing
 * any selected text), so a usual phrase can go before or after what was written. As much as the
 * box takes (maxlength); a placeholder (××) is selected, to be typed over with the name.
 */
export function insertOpinion(box: HTMLTextAreaElement, text: string): void {
  const empty = !box.value.trim();
  const from = empty ? 0 : (box.selectionStart ?? box.value.length);
  const to = empty ? box.value.length : (box.selectionEnd ?? box.value.length);
  const room = box.maxLength >= 0 ? Math.max(0, box.maxLength - (box.value.length - (to - from))) : text.length;
  const put = text.slice(0, room);
  box.setRangeText(put, from, to, 'end');
  box.dispatchEvent(new Event('input', { bubbles: true }));
  box.focus();
  const placeholder = put.indexOf('××');
  if (placeholder >= 0) box.setSelectionRange(from + placeholder, from + placeholder + 2);
}

/** Draws the chips of one row: the first few, the rest behind 更多…. */
function drawChips(row: HTMLElement, items: readonly string[]): void {
  const chip = (text: string) => h('button', { type: 'button', class: 'opinion-chip', 'data-opinion': text, title: text }, h('span', { class: 'opinion-chip-text' }, text));
  const more = items.slice(SHOWN_CHIPS);
  const rest = h('span', { class: 'opinion-more', id: uid('opinion-more'), hidden: true }, more.map(chip));
  const toggle = more.length
    ? h(
        'button',
        {
          type: 'button',
          class: 'link-button opinion-more-toggle',
          'aria-expanded': 'false',
          'aria-controls': rest.id,
          onclick: () => {
            rest.hidden = !rest.hidden;
            toggle!.setAttribute('aria-expanded', String(!rest.hidden));
            toggle!.textContent = rest.hidden ? t('opinionsMore', { n: more.length }) : t('opinionsFewer');
          },
        },
        t('opinionsMore', { n: more.length }),
      )
    : null;
  row.querySelector('.opinion-chips')!.replaceChildren(...items.slice(0, SHOWN_CHIPS).map(chip), ...(more.length ? [rest, toggle!] : []));
}

/** Every row on the page shows the opinions as now kept (after a save, or a first read). */
function redrawRows(opinions: Opinions): void {
  known = opinions;
  cached = Promise.resolve(opinions);
  for (const row of document.querySelectorAll<HTMLElement>('.opinion-row')) drawChips(row, opinions.items);
}

/**
 * The row of usual opinions over an opinion box, with the way to the editor. Before the opinions
 * are read (or when reading them failed) the editor is not opened empty: saving it would replace
 * what the person kept. They are read first, and a failure is said instead.
 */
export function opinionRow(box: HTMLTextAreaElement, onSaved: (opener: HTMLElement) => void): HTMLElement {
  const problem = h('div', { class: 'opinion-problem', 'aria-live': 'polite' });
  const manage: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'link-button opinion-manage',
      onclick: async () => {
        problem.replaceChildren();
        let opinions = known;
        if (!opinions) {
          manage.disabled = true;
          try {
            opinions = await loadOpinions();
            redrawRows(opinions);
          } catch (error) {
            problem.replaceChildren(notice('error', t('opinionsLoadFailed', { message: localize(error instanceof Error ? error.message : String(error)) })));
            return;
          } finally {
            manage.disabled = false;
          }
        }
        openOpinionEditor(opinions, manage, onSaved);
      },
    },
    t('opinionsManage'),
  );
  const row = h(
    'div',
    // Introduced in text, not as a label: the box keeps the only label with 意见 in it.
    {
      class: 'opinion-row',
      onclick: (event: MouseEvent) => {
        const chip = (event.target as HTMLElement).closest<HTMLElement>('.opinion-chip');
        if (chip?.dataset.opinion !== undefined) insertOpinion(box, chip.dataset.opinion);
      },
    },
    h('span', { class: 'visually-hidden' }, t('opinionsRow')),
    h('span', { class: 'opinion-chips' }),
    manage,
    problem,
  );
  drawChips(row, known?.items ?? []);
  return row;
}

/** The editor, as a modal dialog: Tab stays inside, Escape closes it, focus goes back where it was. */
export function openOpinionEditor(opinions: Opinions, opener: HTMLElement, onSaved: (opener: HTMLElement) => void): HTMLDialogElement {
  const titleId = uid('opinions-title');
  const rows: { input: HTMLInputElement; error: HTMLElement }[] = [];
  const list = h('ol', { class: 'opinion-editor-list' });
  const status = h('div', { 'aria-live': 'polite' });

  const add = h('button', { type: 'button', onclick: () => addRow() }, t('opinionAdd'));
  const draw = (focus?: { index: number; what: 'input' | 'up' | 'down' | 'delete' }) => {
    // A line's error (the API's words) stays with that line as lines move or go.
    const values = rows.map((r) => ({ value: r.input.value, error: r.error.hidden ? '' : (r.error.textContent ?? '') }));
    rows.length = 0;
    list.replaceChildren(
      ...values.map(({ value, error: said }, i) => {
        const id = uid('opinion');
        const input = h('input', { id, type: 'text', maxlength: 200, value, autocomplete: 'off', 'aria-describedby': `${id}-error`, 'aria-invalid': said ? 'true' : undefined });
        const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: !said }, said);
        rows.push({ input, error });
        const name = h('span', { class: 'visually-hidden' }, ` ${t('opinionItem', { n: i + 1 })}`);
        const move = (by: number, what: 'up' | 'down') => {
          const all = rows.map((r) => r.input.value);
          [all[i], all[i + by]] = [all[i + by]!, all[i]!];
          all.forEach((v, k) => (rows[k]!.input.value = v));
          const errors = rows.map((r) => ({ hidden: r.error.hidden, text: r.error.textContent }));
          [errors[i], errors[i + by]] = [errors[i + by]!, errors[i]!];
          errors.forEach((e, k) => {
            rows[k]!.error.hidden = e.hidden;
            rows[k]!.error.textContent = e.text;
          });
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
                // The last one gone: focus on the way to add one, not lost on the page.
                if (rows.length === 0) add.focus();
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

  const addRow = () => {
    rows.push({ input: h('input', { type: 'text', value: '' }), error: h('p', { hidden: true }) });
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
            // The answer is what is now kept: shown as it is, not read again.
            redrawRows(await request<Opinions>('PUT', '/api/me/opinions', { items: sent.map((x) => x.text) }));
            dialog.close();
            onSaved(opener);
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
      h('p', null, add),
      status,
      h('div', { class: 'form-actions' }, save, h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))),
    ),
  );
  for (const text of opinions.items) rows.push({ input: h('input', { type: 'text', value: text }), error: h('p', { hidden: true }) });
  draw();
  dialog.addEventListener('close', () => {
    dialog.remove();
    // The page may have been drawn again meanwhile (the case refreshed): then its own way in takes the focus.
    (opener.isConnected ? opener : document.querySelector<HTMLElement>('.opinion-manage'))?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  (rows[0]?.input ?? save).focus();
  return dialog;
}
