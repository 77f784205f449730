/**
 * New request: the processes on offer, then a form generated from the chosen definition's fields,
 * checked as you go by the API's own schema, kept as a draft on this device until it is sent.
 */
import { ApiError, idempotencyKey, post } from '../api.ts';
import { currentSession } from '../auth.ts';
import { loadDefinition, loadDefinitions, loadOrg } from '../directory.ts';
import { h, notice, uid } from '../dom.ts';
import { fieldControl, readFields, titleError, validateFields, type FieldControl } from '../fields-form.ts';
import { colon, formatBytes, localize, t, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, refreshInboxCount } from '../nav.ts';
import { dropZone, refusal, stageFiles } from '../uploads.ts';
import type { CaseView } from '../types.ts';

/** 新建申请: the processes the person may start, by group (公文、审批、印章…), the most used first in each. */
export async function chooseProcessView({ main }: PageContext): Promise<void> {
  const items = (await loadDefinitions()).filter((d) => d.canStart !== false);
  const groups = new Map<string, { name: string; items: typeof items }>();
  for (const d of items) {
    const key = d.group ?? '';
    const group = groups.get(key) ?? { name: d.groupName ? txt(d.groupName) : '', items: [] };
    group.items.push(d);
    groups.set(key, group);
  }
  const list = (entries: typeof items) =>
    h(
      'ul',
      { class: 'process-list' },
      entries.map((d) => h('li', null, h('a', { href: `/new/${d.type}`, class: 'process-card' }, h('strong', null, txt(d.name)), d.description ? h('span', { class: 'muted small' }, txt(d.description)) : null))),
    );
  main.append(
    h('h1', null, t('newTitle')),
    h('p', null, t('newChoose')),
    ...[...groups.values()].map((g) => (g.name ? h('section', { class: 'process-group' }, h('h2', null, g.name), list(g.items)) : list(g.items))),
  );
}

interface Draft {
  readonly title: string;
  readonly fields: Record<string, unknown>;
  readonly savedAt: string;
}

const draftKey = (type: string) => `bangong.draft.${currentSession()?.personId ?? 'anon'}.${type}`;

export async function newRequestView({ main, params }: PageContext): Promise<void> {
  const type = params[0]!;
  const [definition, org] = await Promise.all([loadDefinition(type), loadOrg()]);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  let touched = new Set<string>();

  // Title, then the definition's fields.
  const titleId = uid('title');
  const titleErrorEl = h('p', { class: 'field-error', id: `${titleId}-error`, hidden: true });
  const titleInput = h('input', {
    id: titleId,
    name: 'title',
    type: 'text',
    maxlength: 200,
    autocomplete: 'off',
    'aria-required': 'true',
    'aria-describedby': `${titleId}-help ${titleId}-error`,
    oninput: () => changed(),
    onblur: () => leave('title'),
  });
  const titleField = h(
    'div',
    { class: 'field', 'data-field': 'title' },
    h('label', { for: titleId }, t('caseTitle'), h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *')),
    h('p', { class: 'field-help', id: `${titleId}-help` }, t('caseTitleHelp')),
    titleInput,
    titleErrorEl,
  );
  const setTitleError = (message: string | undefined) => {
    titleErrorEl.hidden = !message;
    titleErrorEl.textContent = message ? localize(message) : '';
    titleInput.setAttribute('aria-invalid', message ? 'true' : 'false');
    titleField.classList.toggle('has-error', !!message);
  };

  const controls: FieldControl[] = definition.fields.map((field) =>
    fieldControl(
      field,
      org,
      () => changed(),
      () => leave(field.key),
    ),
  );

  // Staged scans, uploaded once the case exists.
  const files: File[] = [];
  const fileList = h('ul', { class: 'upload-list' });
  const showFiles = () =>
    fileList.replaceChildren(
      ...files.map((file, i) =>
        h(
          'li',
          { class: 'upload-item' },
          h('span', { class: 'file-name' }, file.name),
          h('span', { class: 'muted small' }, formatBytes(file.size)),
          h('button', { type: 'button', class: 'link-button', onclick: () => (files.splice(i, 1), showFiles()) }, t('uploadRemove'), h('span', { class: 'visually-hidden' }, ` ${file.name}`)),
        ),
      ),
    );
  const fileProblems = h('div', { 'aria-live': 'polite' });
  const zone = dropZone(async (chosen) => {
    const problems: string[] = [];
    for (const file of chosen) {
      const refused = await refusal(file);
      if (refused) problems.push(`${file.name}${colon()}${refused}`);
      else files.push(file);
    }
    fileProblems.replaceChildren(problems.length ? notice('error', h('ul', null, problems.map((p) => h('li', null, p)))) : '');
    showFiles();
  }, t('attachmentsStaged'));

  // Errors: shown for a field once it was left or the form was sent; the schema is the API's.
  const check = (all: boolean) => {
    const values = readFields(controls);
    const errors = validateFields(definition, values);
    const titleProblem = titleError(titleInput.value);
    setTitleError(all || touched.has('title') ? titleProblem : undefined);
    for (const c of controls) c.setError(all || touched.has(c.key) ? errors.get(c.key) : undefined);
    const general = errors.get('');
    return { values, count: errors.size + (titleProblem ? 1 : 0), errors, titleProblem, general };
  };
  const leave = (key: string) => {
    touched.add(key);
    check(false);
  };

  // Every change is kept at once: leaving the page must not lose the last keystrokes.
  const changed = () => {
    check(false);
    const draft: Draft = { title: titleInput.value, fields: readFields(controls), savedAt: new Date().toISOString() };
    localStorage.setItem(draftKey(type), JSON.stringify(draft));
    draftNote.textContent = t('draftSaved');
  };
  const draftNote = h('p', { class: 'muted small draft-note', 'aria-live': 'off' });

  // A draft left here earlier comes back.
  const saved = localStorage.getItem(draftKey(type));
  if (saved) {
    try {
      const draft = JSON.parse(saved) as Draft;
      titleInput.value = draft.title ?? '';
      for (const c of controls) c.write(draft.fields?.[c.key]);
      status.append(
        notice(
          'info',
          t('draftRestored'),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                localStorage.removeItem(draftKey(type));
                navigate(`/new/${type}`, { replace: true });
              },
            },
            t('discardDraft'),
          ),
        ),
      );
    } catch {
      localStorage.removeItem(draftKey(type));
    }
  }

  let key = idempotencyKey();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('submit'));
  const showSummary = (items: { anchor: string; message: string }[]) => {
    summary.hidden = items.length === 0;
    summary.replaceChildren(
      h('p', null, t('formHasErrors', { n: items.length })),
      h(
        'ul',
        null,
        items.map((i) => h('li', null, h('a', { href: `#${i.anchor}`, onclick: (e: MouseEvent) => (e.preventDefault(), document.getElementById(i.anchor)?.focus()) }, localize(i.message)))),
      ),
    );
    if (items.length) summary.focus();
  };

  const form = h(
    'form',
    {
      class: 'case-form card',
      novalidate: true,
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        touched = new Set(['title', ...controls.map((c) => c.key)]);
        const result = check(true);
        if (result.count > 0) {
          const items = [
            ...(result.titleProblem ? [{ anchor: titleId, message: result.titleProblem }] : []),
            ...controls.filter((c) => result.errors.has(c.key)).map((c) => ({ anchor: c.anchor, message: result.errors.get(c.key)! })),
            ...(result.general ? [{ anchor: titleId, message: result.general }] : []),
          ];
          showSummary(items);
          return;
        }
        showSummary([]);
        submit.disabled = true;
        submit.textContent = t('submitting');
        try {
          const created = await post<CaseView>('/api/cases', { type, title: titleInput.value.trim(), fields: result.values }, { 'Idempotency-Key': key });
          localStorage.removeItem(draftKey(type));
          stageFiles(created.id, files);
          void refreshInboxCount();
          navigate(`/cases/${created.id}`);
        } catch (error) {
          submit.disabled = false;
          submit.textContent = t('submit');
          // Only a lost connection may be retried with the same key; any answer ends its use.
          if (!(error instanceof ApiError) || error.status !== 0) key = idempotencyKey();
          const message = error instanceof Error ? error.message : String(error);
          const field = error instanceof ApiError ? error.field : undefined;
          const control = field?.startsWith('fields.') ? controls.find((c) => c.key === field.slice('fields.'.length).split('.')[0]) : undefined;
          if (control) {
            control.setError(message);
            showSummary([{ anchor: control.anchor, message }]);
          } else if (field === 'title') {
            setTitleError(message);
            showSummary([{ anchor: titleId, message }]);
          } else {
            status.replaceChildren(notice('error', t('errorGeneric', { message: localize(message) })));
          }
        }
      },
    },
    summary,
    titleField,
    controls.map((c) => c.element),
    h('div', { class: 'field' }, zone, fileProblems, fileList),
    h('div', { class: 'form-actions' }, submit, draftNote),
  );

  main.append(
    h('h1', null, t('newFormTitle', { name: txt(definition.name) })),
    definition.description ? h('p', { class: 'muted' }, txt(definition.description)) : '',
    status,
    form,
  );
}
