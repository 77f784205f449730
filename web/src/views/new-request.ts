/**
 * New request: the processes on offer, then a form generated from the chosen definition's fields,
 * checked as you go by the API's own schema, kept as a draft on this device until it is sent.
 */
import { ApiError, get, idempotencyKey, post } from '../api.ts';
import { currentSession } from '../auth.ts';
import { loadDefinition, loadOrg, personName } from '../directory.ts';
import { h, notice, uid } from '../dom.ts';
import { derivedControl, fieldControl, readFields, titleError, validateFields, type DerivedControl, type FieldControl } from '../fields-form.ts';
import { colon, formatBytes, lang, localize, t, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate, refreshInboxCount } from '../nav.ts';
import { dropZone, refusal, stageFiles } from '../uploads.ts';
import type { CaseView, Definition, DefinitionSummary } from '../types.ts';
import type { previewCase } from '../../../functions/domain/cases/preview-case.ts';

/** One process as GET /api/definitions?startable=true offers it: its group, and how often the person started one lately. */
type Offered = DefinitionSummary;

/** How many of the person's most used processes head the page (常用). */
const FAVOURITES = 4;

/**
 * 新建申请: only what the person may start (the API says), their most used first (常用), then by
 * group (公文、审批、印章…) in the API's order, with a search by name in either language.
 */
export async function chooseProcessView({ main }: PageContext): Promise<void> {
  // Asked afresh each time: what was just started counts towards 常用.
  const items = (await get<{ items: Offered[] }>('/api/definitions?startable=true')).items.filter((d) => d.canStart !== false);
  const favourites = items
    .filter((d) => (d.used ?? 0) > 0)
    .sort((a, b) => (b.used ?? 0) - (a.used ?? 0))
    .slice(0, FAVOURITES);
  const card = (d: Offered) =>
    h('li', { 'data-type': d.type }, h('a', { href: `/new/${d.type}`, class: 'process-card' }, h('strong', null, txt(d.name)), d.description ? h('span', { class: 'muted small' }, txt(d.description)) : null));
  const groups = new Map<string, { name: string; items: Offered[] }>();
  for (const d of items) {
    const key = d.group ?? '';
    const group = groups.get(key) ?? { name: d.groupName ? txt(d.groupName) : '', items: [] };
    group.items.push(d);
    groups.set(key, group);
  }
  const sections = [
    ...(favourites.length ? [{ id: 'favourites', name: t('newFavourites'), items: favourites }] : []),
    ...[...groups].map(([key, g]) => ({ id: `group-${key || 'other'}`, name: g.name, items: g.items })),
  ].map((g) => {
    const headingId = `${g.id}-heading`;
    const list = h('ul', { class: 'process-list' }, g.items.map(card));
    const el = g.name
      ? h('section', { class: `process-group${g.id === 'favourites' ? ' process-favourites' : ''}`, 'aria-labelledby': headingId, 'data-group': g.id }, h('h2', { id: headingId }, g.name), list)
      : h('section', { class: 'process-group', 'data-group': g.id }, list);
    return { el, items: g.items, list };
  });

  // Search: by name in Chinese or English (or the type's code), as typed.
  const searchId = uid('process-search');
  const count = h('p', { class: 'muted small', id: `${searchId}-count`, 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty', hidden: true }, t('newNoMatch'));
  const search = h('input', {
    id: searchId,
    type: 'search',
    name: 'q',
    autocomplete: 'off',
    'aria-describedby': `${searchId}-count`,
    oninput: () => filter(),
  });
  if (items.length === 0) {
    // Nothing to choose from: said, with no search over an empty page.
    main.append(h('h1', null, t('newTitle')), h('p', { class: 'empty' }, t('newNothing')));
    return;
  }
  const filter = () => {
    const q = search.value.trim().toLowerCase();
    const matches = (d: Offered) => !q || [d.name.zh, d.name.en, d.type].some((s) => s.toLowerCase().includes(q));
    const shown = new Set<string>();
    for (const s of sections) {
      let any = false;
      for (const li of s.list.children as HTMLCollectionOf<HTMLElement>) {
        const d = s.items.find((x) => x.type === li.dataset.type)!;
        li.hidden = !matches(d);
        if (!li.hidden) {
          any = true;
          shown.add(d.type);
        }
      }
      s.el.hidden = !any;
    }
    empty.hidden = shown.size > 0;
    count.textContent = q ? t('newMatches', { n: shown.size }) : '';
  };
  main.append(
    h('h1', null, t('newTitle')),
    h('div', { class: 'field process-search', role: 'search' }, h('label', { for: searchId }, t('newSearch')), search, count),
    h('p', null, t('newChoose')),
    empty,
    ...sections.map((s) => s.el),
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

  // What the API works out (a leave's 天数) is shown, not typed; the half days sit beside their dates.
  const derive = definition.derive ?? [];
  const derivedKeys = new Set(derive.map((d) => d.field));
  const halves = new Map<string, string>();
  for (const d of derive) {
    // A leave from the morning of its first day to the evening of its last: whole days unless changed.
    if (d.workingDaysBetween.fromHalf) halves.set(d.workingDaysBetween.fromHalf, 'am');
    if (d.workingDaysBetween.toHalf) halves.set(d.workingDaysBetween.toHalf, 'pm');
  }
  const spanKeys = new Set(derive.flatMap((d) => [d.workingDaysBetween.from, d.workingDaysBetween.to, d.workingDaysBetween.fromHalf, d.workingDaysBetween.toHalf].filter((k): k is string => !!k)));
  const derived: DerivedControl[] = [];
  const controls: FieldControl[] = definition.fields.map((field) => {
    if (derivedKeys.has(field.key)) {
      const control = derivedControl(field);
      derived.push(control);
      return control;
    }
    return fieldControl(
      field,
      org,
      () => changed(field.key),
      () => leave(field.key),
      halves.has(field.key) ? { choices: true, initial: halves.get(field.key) } : {},
    );
  });
  const byKey = (key: string | undefined) => controls.find((c) => c.key === key);
  // Each date with its half (开始日期 | 上午 下午) on one row.
  const paired = new Set<string>();
  const rows: HTMLElement[] = [];
  for (const c of controls) {
    if (paired.has(c.key)) continue;
    const span = derive.find((d) => d.workingDaysBetween.from === c.key || d.workingDaysBetween.to === c.key)?.workingDaysBetween;
    const half = span ? byKey(span.from === c.key ? span.fromHalf : span.toHalf) : undefined;
    if (half) {
      paired.add(half.key);
      rows.push(h('div', { class: 'field-pair' }, c.element, half.element));
    } else rows.push(c.element);
  }

  // The preview (POST …/preview): the days worked out and the steps this request will take, with who signs.
  // Not a live region: a screen reader would read the whole list again at each change. The days
  // (the <output>) are said as they change; the steps are there to be read when wanted.
  const processPanel = h('div', { class: 'preview-steps' });
  // Asked again only for what the answer depends on: fields the derive rules, step conditions and
  // assignee rules name, and every choice (dates, options, people); never the title or free text.
  const ruleText = JSON.stringify([definition.steps, derive]);
  const previewReads = new Set(definition.fields.filter((f) => f.type !== 'text' || ruleText.includes(`"${f.key}"`)).map((f) => f.key));
  let shownSteps = '';
  const processSection = h('aside', { class: 'card request-process', 'aria-labelledby': 'request-process-heading' }, h('h2', { id: 'request-process-heading' }, t('previewTitle')), processPanel);
  let previewIssues = new Map<string, string>();
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let previewSeq = 0;
  const showSteps = (steps: PreviewStep[]) => {
    // Redrawn only when the steps or who signs changed, so the list is not re-read as it stands.
    const drawn = JSON.stringify([lang(), steps.filter((s) => s.runs !== false).map((s) => [s.id, s.runs, s.assignees.map((a) => a.id)])]);
    if (drawn === shownSteps) return;
    shownSteps = drawn;
    processPanel.replaceChildren(
      h(
        'ol',
        { class: 'process' },
        steps
          .filter((s) => s.runs !== false)
          .map((s) =>
            h(
              'li',
              { class: `step${s.type === 'auto' ? ' step-auto' : ''}${s.runs === null ? ' step-maybe' : ''}`, 'data-step': s.id },
              h('span', { class: 'step-name' }, txt(s.name)),
              h(
                'span',
                { class: 'step-state' },
                s.assignees.length ? s.assignees.map((a) => personName(org, a.id)).join(lang() === 'zh' ? '、' : ', ') : s.type === 'auto' ? t('stepAuto') : '',
                s.runs === null ? h('span', { class: 'badge badge-maybe' }, t('previewDepends')) : null,
              ),
            ),
          ),
      ),
    );
  };
  const preview = async () => {
    const seq = ++previewSeq;
    try {
      const answer = await post<Preview>(`/api/definitions/${encodeURIComponent(type)}/preview`, { fields: readFields(controls) });
      if (seq !== previewSeq) return;
      for (const d of derived) d.show(answer.derived[d.key]);
      previewIssues = new Map(answer.issues.map((i) => [i.field, i.message]));
      check(false);
      showSteps(answer.steps);
    } catch (error) {
      if (seq !== previewSeq) return;
      // No figure is better than a wrong one: what the last answer worked out, and its issues, go.
      for (const d of derived) d.show(undefined);
      previewIssues = new Map();
      check(false);
      shownSteps = '';
      // The form is still there to fill in: the panel says why it cannot show the steps.
      processPanel.replaceChildren(h('p', { class: 'muted small' }, t('previewFailed', { message: localize(error instanceof Error ? error.message : String(error)) })));
    }
  };
  // Asked ~300 ms after the last change, so typing a date is one request, not one per keystroke.
  const schedulePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => void preview(), PREVIEW_DELAY_MS);
  };

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
    // The dates are judged as soon as both are there (结束日期不能早于开始日期), on what is filled so far, without waiting for the rest.
    const spanErrors = spanKeys.size ? validateFields(optionalFields(definition), values) : new Map<string, string>();
    for (const c of controls) {
      const eager = spanKeys.has(c.key) ? (spanErrors.get(c.key) ?? previewIssues.get(c.key)) : previewIssues.get(c.key);
      c.setError((all || touched.has(c.key) ? errors.get(c.key) : undefined) ?? eager);
    }
    const general = errors.get('');
    return { values, count: errors.size + (titleProblem ? 1 : 0), errors, titleProblem, general };
  };
  const leave = (key: string) => {
    touched.add(key);
    check(false);
  };

  // Every change is kept at once: leaving the page must not lose the last keystrokes.
  const changed = (key?: string) => {
    check(false);
    if (key !== undefined && previewReads.has(key)) schedulePreview();
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
    rows,
    h('div', { class: 'field' }, zone, fileProblems, fileList),
    h('div', { class: 'form-actions' }, submit, draftNote),
  );

  main.append(
    h('h1', null, t('newFormTitle', { name: txt(definition.name) })),
    definition.description ? h('p', { class: 'muted' }, txt(definition.description)) : '',
    status,
    h('div', { class: 'request-layout' }, form, processSection),
  );
  void preview();
}

/** What POST /api/definitions/{type}/preview answers (functions/domain/cases/preview-case.ts). */
type Preview = Awaited<ReturnType<typeof previewCase>>;
type PreviewStep = Preview['steps'][number];

const PREVIEW_DELAY_MS = 300;

/** The definition with nothing required: its cross-field checks judged on what is filled so far. */
function optionalFields(definition: Definition): Definition {
  return { ...definition, fields: definition.fields.map((f) => ({ ...f, required: false })) } as Definition;
}
