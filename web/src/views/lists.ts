/** 待办 (the inbox, with batch approval), 已办 and 我的申请. */
import { ApiError, get, idempotencyKey, post } from '../api.ts';
import { loadDefinition, loadDefinitions, typeName } from '../directory.ts';
import { h, notice, type Child } from '../dom.ts';
import { colon, formatDate, formatDateTime, localize, t, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { countTasks, currentCounts, navigate, refreshInboxCount, setCounts } from '../nav.ts';
import type { CaseListItem, CaseView, Definition, Page, Task } from '../types.ts';

const DAY = 86_400_000;

/** Overdue in red with the days, due within a day in amber; the inbox passes the server's own verdict. */
export function dueBadge(dueAt: string | undefined, now = Date.now(), server?: { overdue: boolean; daysOverdue: number }): Child {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (server ? server.overdue : due < now) {
    const days = server ? server.daysOverdue : Math.floor((now - due) / DAY);
    return h('span', { class: 'badge badge-overdue' }, days > 0 ? t('overdueDays', { n: days }) : t('overdueToday'));
  }
  if (due - now < DAY) return h('span', { class: 'badge badge-soon' }, t('dueSoon'));
  return null;
}

function dueCell(dueAt: string | undefined, server?: { overdue: boolean; daysOverdue: number }): Child {
  return dueAt ? h('span', null, h('time', { datetime: dueAt }, formatDateTime(dueAt)), ' ', dueBadge(dueAt, Date.now(), server)) : '—';
}

/** Steps whose approval needs nothing typed in may be approved several at once. */
function batchable(task: Task, definition: Definition | undefined): boolean {
  if (task.kind !== 'sign' || !definition) return false;
  const step = definition.steps.find((s) => s.name.zh === task.stepName);
  if (!step || step.type === 'auto') return false;
  return !step.inputs.some((input) => input.required);
}

/** All of the caller's open work, page after page: the inbox shows and counts every item. */
async function allTasks(): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<Task> = await get<Page<Task>>(`/api/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    tasks.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return tasks;
}

/** 待办 (`sign`: work waiting for the person's decision) and 待阅 (`read`: circulated or copied to them), each its own list. */
export async function inboxView({ main }: PageContext, kind: 'sign' | 'read' = 'sign'): Promise<void> {
  const [items, summaries] = await Promise.all([allTasks(), loadDefinitions().catch(() => [])]);
  countTasks(items);
  // Soonest due first; work with no due time last (待阅: the latest first).
  const mine = items.filter((x) => (kind === 'read') === (x.kind === 'read'));
  const tasks = kind === 'read' ? [...mine].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)) : [...mine].sort((a, b) => (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity));
  const types = [...new Set(tasks.map((x) => x.type))];
  const definitions = new Map(await Promise.all(types.map(async (type) => [type, await loadDefinition(type).catch(() => undefined)] as const)));
  if (kind === 'read') return readList(main, tasks, summaries, definitions);

  // tabindex so focus can be put on it when the list is redrawn after a batch.
  const heading = h('h1', { tabindex: -1 }, t('inboxTitle'), ' ', h('span', { class: 'muted' }, `(${tasks.length})`));
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  if (tasks.length === 0) {
    main.append(heading, status, h('p', { class: 'empty' }, t('inboxEmpty')));
    return;
  }

  const eligible = tasks.filter((task) => batchable(task, definitions.get(task.type)));
  const boxes = new Map<string, HTMLInputElement>();
  const batchButton = h('button', { type: 'button', class: 'primary', disabled: true }, t('batchApprove', { n: 0 }));
  const selectAll = h('input', { type: 'checkbox', id: 'select-all', disabled: eligible.length === 0 });
  const selected = () => [...boxes].filter(([, box]) => box.checked).map(([id]) => id);
  const update = () => {
    const n = selected().length;
    batchButton.textContent = t('batchApprove', { n });
    batchButton.disabled = n === 0;
    selectAll.checked = n > 0 && n === boxes.size;
    selectAll.indeterminate = n > 0 && n < boxes.size;
  };
  selectAll.addEventListener('change', () => {
    for (const box of boxes.values()) box.checked = selectAll.checked;
    update();
  });

  batchButton.addEventListener('click', async () => {
    const ids = selected();
    if (ids.length === 0 || !confirm(t('batchConfirm', { n: ids.length }))) return;
    batchButton.disabled = true;
    status.replaceChildren(notice('info', t('loading')));
    const failures: string[] = [];
    let ok = 0;
    for (const id of ids) {
      const task = tasks.find((x) => x.caseId === id);
      const title = task?.title ?? id;
      try {
        // Approved only at the step the person saw when ticking it: a case that has moved on (or
        // back) since is left for them to open, not approved at whatever version it is now.
        const c = await get<CaseView>(`/api/cases/${encodeURIComponent(id)}`);
        if (c.currentStepName?.zh !== task?.stepName || !c.actions.includes('approve')) throw new Error(t('batchChanged'));
        await post(`/api/cases/${encodeURIComponent(id)}/actions`, { action: 'approve', version: c.version }, { 'Idempotency-Key': idempotencyKey() });
        ok++;
      } catch (error) {
        failures.push(`${title}${colon()}${localize(error instanceof Error ? error.message : String(error))}`);
      }
    }
    const report = h('div');
    await inboxView({ main: report, params: [], query: new URLSearchParams() }, 'sign');
    main.replaceChildren(...report.childNodes);
    main.querySelector<HTMLElement>('h1')?.focus();
    const area = main.querySelector('.status-area')!;
    area.replaceChildren(
      ok > 0 ? notice('success', t('batchDone', { ok })) : '',
      failures.length > 0 ? notice('error', t('batchFailed', { n: failures.length }), h('ul', null, failures.map((f) => h('li', null, f)))) : '',
    );
    void refreshInboxCount();
  });

  const rows = tasks.map((task) => {
    const canBatch = eligible.includes(task);
    const box = canBatch ? h('input', { type: 'checkbox', class: 'row-select', 'aria-label': t('selectCase', { title: task.title }), 'data-case': task.caseId, onchange: update }) : null;
    // The whole cell is the box's target (44 px on a phone).
    const target = box ? h('label', { class: 'select-target' }, box) : null;
    if (box) boxes.set(task.caseId, box);
    const overdue = task.overdue;
    return h(
      'tr',
      { class: overdue ? 'row-overdue' : undefined, 'data-case': task.caseId },
      h('td', { class: 'select-cell', 'data-label': t('colSelect') }, target),
      h(
        'td',
        { class: 'title-cell', 'data-label': t('colTitle') },
        h('a', { href: `/cases/${task.caseId}` }, task.title),
        task.number ? h('div', { class: 'muted small case-number' }, task.number) : null,
      ),
      h('td', { 'data-label': t('colType') }, typeName(summaries, task.type)),
      h('td', { 'data-label': t('colStep') }, stepLabel(task, definitions.get(task.type))),
      h('td', { 'data-label': t('colApplicant') }, task.applicantName),
      h('td', { class: 'due-cell', 'data-label': t('colDue') }, dueCell(task.dueAt, task)),
    );
  });

  main.append(
    heading,
    status,
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'checkbox-label', for: 'select-all' }, selectAll, ' ', t('selectAll')),
      batchButton,
    ),
    h('p', { class: 'muted small' }, t('batchHint')),
    h(
      'table',
      { class: 'data-table inbox-table' },
      h('caption', { class: 'visually-hidden' }, t('inboxTitle')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col', class: 'select-cell' }, h('span', { class: 'visually-hidden' }, t('colSelect'))),
          ['colTitle', 'colType', 'colStep', 'colApplicant', 'colDue'].map((k) => h('th', { scope: 'col' }, t(k as 'colTitle'))),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}

/** 待阅: what was circulated or copied to the person, each marked read here or on its page. */
function readList(main: HTMLElement, tasks: Task[], summaries: Awaited<ReturnType<typeof loadDefinitions>>, definitions: Map<string, Definition | undefined>): void {
  const count = h('span', { class: 'muted' }, `(${tasks.length})`);
  const heading = h('h1', { tabindex: -1 }, t('readTitle'), ' ', count);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty', hidden: tasks.length > 0 }, t('readEmpty'));
  let left = tasks.length;
  const rows = tasks.map((task) => {
    const button: HTMLButtonElement = h(
      'button',
      {
        type: 'button',
        class: 'mark-read',
        'aria-label': t('markReadOf', { title: task.title }),
        onclick: async () => {
          button.disabled = true;
          try {
            const c = await get<CaseView>(`/api/cases/${encodeURIComponent(task.caseId)}`);
            if (c.actions.includes('mark-read')) await post(`/api/cases/${encodeURIComponent(task.caseId)}/actions`, { action: 'mark-read', version: c.version }, { 'Idempotency-Key': idempotencyKey() });
            row.remove();
            left--;
            count.textContent = `(${left})`;
            empty.hidden = left > 0;
            setCounts({ read: Math.max(0, (currentCounts().read ?? 1) - 1) });
            status.replaceChildren(notice('success', t('markedRead', { title: task.title })));
            heading.focus();
          } catch (error) {
            button.disabled = false;
            status.replaceChildren(notice('error', t('errorGeneric', { message: localize(error instanceof Error ? error.message : String(error)) })));
          }
        },
      },
      t('markRead'),
    );
    const row: HTMLElement = h(
      'tr',
      { 'data-case': task.caseId },
      h('td', { class: 'title-cell', 'data-label': t('colTitle') }, h('a', { href: `/cases/${task.caseId}` }, task.title), task.number ? h('div', { class: 'muted small case-number' }, task.number) : null),
      h('td', { 'data-label': t('colType') }, typeName(summaries, task.type)),
      h('td', { 'data-label': t('colFrom') }, stepLabel(task, definitions.get(task.type))),
      h('td', { 'data-label': t('colApplicant') }, task.applicantName),
      // When the case was opened: the task does not say yet when it was sent round.
      h('td', { 'data-label': t('colCreated') }, h('time', { datetime: task.createdAt }, formatDateTime(task.createdAt))),
      h('td', { class: 'action-cell', 'data-label': t('markRead') }, button),
    );
    return row;
  });
  main.append(
    heading,
    status,
    h('p', { class: 'muted small' }, t('readHint')),
    tasks.length
      ? h(
          'table',
          { class: 'data-table inbox-table read-table' },
          h('caption', { class: 'visually-hidden' }, t('readTitle')),
          h('thead', null, h('tr', null, (['colTitle', 'colType', 'colFrom', 'colApplicant', 'colCreated'] as const).map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('markRead'))))),
          h('tbody', null, rows),
        )
      : '',
    empty,
  );
}

/** The step's name in the current language, found in the definition by its Chinese name. */
function stepLabel(item: { stepName?: string }, definition: Definition | undefined): string {
  const step = definition?.steps.find((s) => s.name.zh === item.stepName);
  return step ? txt(step.name) : (item.stepName ?? '');
}

export async function caseListView({ main, query }: PageContext, which: 'done' | 'mine'): Promise<void> {
  const year = Number(query.get('year')) || new Date().getFullYear();
  const status = query.get('status') ?? '';
  const summaries = await loadDefinitions().catch(() => []);
  const params = new URLSearchParams({ year: String(year), limit: '50' });
  if (which === 'mine') params.set('mine', 'true');
  if (which === 'done') params.set('handled', 'true');
  if (status) params.set('status', status);

  const statusSelect = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, t('statusAll')),
    (['open', 'completed', 'rejected', 'withdrawn'] as const).map((s) => h('option', { value: s, selected: s === status }, t(`status_${s}`))),
  );
  const thisYear = new Date().getFullYear();
  const yearSelect = h(
    'select',
    { id: 'filter-year', name: 'year' },
    Array.from({ length: 5 }, (_, i) => thisYear - i).map((y) => h('option', { value: String(y), selected: y === year }, String(y))),
  );
  const filters = h(
    'form',
    {
      class: 'filters',
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        const next = new URLSearchParams({ year: yearSelect.value });
        if (statusSelect.value) next.set('status', statusSelect.value);
        navigate(`/${which}?${next}`);
      },
    },
    h('div', { class: 'field inline' }, h('label', { for: 'filter-status' }, t('filterStatus')), statusSelect),
    h('div', { class: 'field inline' }, h('label', { for: 'filter-year' }, t('filterYear')), yearSelect),
    h('button', { type: 'submit' }, t('show')),
  );

  const tbody = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, t('loadMore'));
  const empty = h('p', { class: 'empty', hidden: true }, t('listEmpty'));
  const problem = h('div', { 'aria-live': 'polite' });
  let cursor: string | undefined;
  let shown = 0;
  const load = async () => {
    more.disabled = true;
    try {
      const page = await get<Page<CaseListItem>>(`/api/cases?${params}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const items = page.items;
      for (const c of items) tbody.append(caseRow(c, summaries, which));
      shown += items.length;
      cursor = page.next;
      more.hidden = !cursor;
      empty.hidden = shown > 0 || !!cursor;
    } catch (error) {
      problem.replaceChildren(notice('error', t('loadFailed', { message: localize(error instanceof Error ? error.message : String(error)) })));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  await load();

  main.append(
    h('h1', null, which === 'done' ? t('doneTitle') : t('mineTitle')),
    which === 'done' ? h('p', { class: 'muted small' }, t('doneHint')) : '',
    filters,
    problem,
    h(
      'table',
      { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, which === 'done' ? t('doneTitle') : t('mineTitle')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          (['colTitle', 'colNumber', 'colType', 'colStatus', ...(which === 'done' ? (['colApplicant'] as const) : []), 'colCreated', 'colDue'] as const).map((k) => h('th', { scope: 'col' }, t(k))),
        ),
      ),
      tbody,
    ),
    empty,
    more,
  );
}

function caseRow(c: CaseListItem, summaries: Awaited<ReturnType<typeof loadDefinitions>>, which: 'done' | 'mine'): HTMLElement {
  return h(
    'tr',
    { 'data-case': c.id },
    h('td', { class: 'title-cell', 'data-label': t('colTitle') }, h('a', { href: `/cases/${c.id}` }, c.title)),
    h('td', { 'data-label': t('colNumber') }, c.number ?? '—'),
    h('td', { 'data-label': t('colType') }, typeName(summaries, c.type)),
    h('td', { 'data-label': t('colStatus') }, h('span', { class: `status status-${c.status}` }, t(`status_${c.status}`)), c.stepName ? ` · ${c.stepName}` : ''),
    which === 'done' ? h('td', { 'data-label': t('colApplicant') }, c.applicant.name) : null,
    h('td', { 'data-label': t('colCreated') }, formatDate(c.createdAt)),
    h('td', { class: 'due-cell', 'data-label': t('colDue') }, c.status === 'open' ? dueCell(c.dueAt) : '—'),
  );
}

/** Shown where an API error is the whole page's answer. */
export function errorState(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 404) return notice('warning', t('notAvailable'));
  return notice('error', t('loadFailed', { message: localize(error instanceof Error ? error.message : String(error)) }));
}
