/** 待办 (the inbox, with batch approval), 已办 and 我的申请. */
import { ApiError, get, idempotencyKey, post } from '../api.ts';
import { loadDefinition, loadDefinitions, typeName } from '../directory.ts';
import { h, notice, type Child } from '../dom.ts';
import { colon, formatDate, formatDateTime, lang, localize, t, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { countTasks, currentCounts, firstTasksPage, navigate, refreshInboxCount, setCounts } from '../nav.ts';
import type { CaseListItem, CaseView, Definition, DefinitionSummary, Page, Task } from '../types.ts';

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

/** What the inbox knows of the processes: their names, and the definitions of those in the list. */
interface Processes {
  summaries?: readonly DefinitionSummary[];
  readonly definitions: Map<string, Definition | undefined>;
}

/** How a list of the inbox draws its rows as the work and the processes' names arrive. */
interface WorkList {
  /** Shows these items (all of the list's kind read so far); `complete` when no page is left. */
  show(tasks: readonly Task[], complete: boolean): void;
  /** Names the processes and steps of the rows drawn, once their definitions are read. */
  describe(): void;
  /** A later page could not be read: said above the list. */
  problem(error: unknown): void;
}

/**
 * 待办 (`sign`: work waiting for the person's decision) and 待阅 (`read`: circulated or copied to
 * them), each its own list. The first page of the caller's work is drawn as soon as it arrives;
 * the pages after it, the processes' names and what may be approved in a batch fill in as they
 * come, without holding the first rows back.
 */
export async function inboxView({ main }: PageContext, kind: 'sign' | 'read' = 'sign'): Promise<void> {
  const summaries = loadDefinitions().catch(() => [] as DefinitionSummary[]);
  const first = await firstTasksPage();
  const processes: Processes = { definitions: new Map() };
  const list = kind === 'read' ? readList(main, processes) : signList(main, processes);
  const ofKind = (items: readonly Task[]) => items.filter((x) => (kind === 'read') === (x.kind === 'read'));
  const all = [...first.items];
  list.show(ofKind(all), !first.next);

  void summaries.then((found) => {
    processes.summaries = found;
    list.describe();
  });
  const described = new Set<string>();
  const describe = (items: readonly Task[]) => {
    for (const type of new Set(items.map((x) => x.type))) {
      if (described.has(type)) continue;
      described.add(type);
      void loadDefinition(type)
        .catch(() => undefined)
        .then((definition) => {
          processes.definitions.set(type, definition);
          list.describe();
        });
    }
  };
  describe(all);

  // The rest of the caller's open work, page after page, after the first rows are on screen: the
  // inbox shows and counts every item.
  void (async () => {
    let cursor = first.next;
    try {
      while (cursor) {
        const page: Page<Task> = await get<Page<Task>>(`/api/tasks?limit=100&cursor=${encodeURIComponent(cursor)}`);
        all.push(...page.items);
        cursor = page.next;
        list.show(ofKind(all), !cursor);
        describe(page.items);
      }
      countTasks(all);
    } catch (error) {
      countTasks(all, true);
      list.problem(error);
    }
  })();
}

/** Rows drawn before the first paint: a screenful (at 1280 × 800 some ten show below the heading and toolbar). */
const FIRST_SCREEN = 15;
const pending = new WeakMap<HTMLElement, number>();

/**
 * Puts the tasks' rows in the table in order, drawing a screenful of new rows at a time: the
 * browser paints the first rows without first drawing and laying out a hundred (4× slower on an
 * old office PC), and the rest follow in later tasks. Rows drawn before are moved, never drawn again.
 */
function fillRows<Row extends { readonly row: HTMLElement }>(tbody: HTMLElement, tasks: readonly Task[], rows: Map<string, Row>, draw: (task: Task) => Row): void {
  const turn = (pending.get(tbody) ?? 0) + 1;
  pending.set(tbody, turn);
  const place = (from: number) => {
    if (pending.get(tbody) !== turn) return; // a later page redrew the table meanwhile
    const placed: HTMLElement[] = [];
    let drawn = 0;
    let next = from;
    for (; next < tasks.length && (drawn < FIRST_SCREEN || rows.has(tasks[next]!.caseId)); next++) {
      const task = tasks[next]!;
      let row = rows.get(task.caseId);
      if (!row) {
        row = draw(task);
        rows.set(task.caseId, row);
        drawn++;
      }
      placed.push(row.row);
    }
    if (from === 0) tbody.replaceChildren(...placed);
    else tbody.append(...placed);
    if (next < tasks.length) setTimeout(() => place(next));
  };
  place(0);
}

/**
 * The step's name as the task gives it (Chinese) until its definition names it in the page's
 * language: in English the cell waits rather than show the other language.
 */
function stepCell(task: Task, label: string): HTMLElement {
  return h('td', { 'data-label': label }, lang() === 'zh' ? (task.stepName ?? '') : '');
}

/** Soonest due first; work with no due time last. */
const byDue = (a: Task, b: Task) => (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity);

/** 待办, with batch approval of the steps that need nothing typed in. */
function signList(main: HTMLElement, processes: Processes): WorkList {
  let tasks: Task[] = [];
  // tabindex so focus can be put on it when the list is redrawn after a batch.
  const count = h('span', { class: 'muted' });
  const heading = h('h1', { tabindex: -1 }, t('inboxTitle'), ' ', count);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty', hidden: true }, t('inboxEmpty'));
  const boxes = new Map<string, HTMLInputElement>();
  const batchButton = h('button', { type: 'button', class: 'primary', disabled: true }, t('batchApprove', { n: 0 }));
  const selectAll = h('input', { type: 'checkbox', id: 'select-all', disabled: true });
  const selected = () => [...boxes].filter(([, box]) => box.checked).map(([id]) => id);
  const update = () => {
    const n = selected().length;
    batchButton.textContent = t('batchApprove', { n });
    batchButton.disabled = n === 0;
    selectAll.checked = n > 0 && n === boxes.size;
    selectAll.indeterminate = n > 0 && n < boxes.size;
    selectAll.disabled = boxes.size === 0;
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

  const rows = new Map<string, { readonly task: Task; readonly row: HTMLElement; readonly select: HTMLElement; readonly type: HTMLElement; readonly step: HTMLElement }>();
  const rowOf = (task: Task) => {
    const type = h('td', { 'data-label': t('colType') });
    const step = stepCell(task, t('colStep'));
    const select = h('td', { class: 'select-cell', 'data-label': t('colSelect') });
    const row = h(
      'tr',
      { class: task.overdue ? 'row-overdue' : undefined, 'data-case': task.caseId },
      select,
      h(
        'td',
        { class: 'title-cell', 'data-label': t('colTitle') },
        h('a', { href: `/cases/${task.caseId}` }, task.title),
        task.number ? h('div', { class: 'muted small case-number' }, task.number) : null,
      ),
      type,
      step,
      h('td', { 'data-label': t('colApplicant') }, task.applicantName),
      h('td', { class: 'due-cell', 'data-label': t('colDue') }, dueCell(task.dueAt, task)),
    );
    const drawn = { task, row, select, type, step };
    name(drawn);
    return drawn;
  };
  /** The process's name, the step's in this language and the batch box, once the definitions say. */
  const name = ({ task, select, type, step }: { task: Task; select: HTMLElement; type: HTMLElement; step: HTMLElement }) => {
    // No code names meanwhile: the cell stays empty until the catalogue names the process.
    if (processes.summaries) type.textContent = typeName(processes.summaries, task.type);
    if (!processes.definitions.has(task.type)) return;
    const definition = processes.definitions.get(task.type);
    step.textContent = stepLabel(task, definition);
    if (boxes.has(task.caseId) || !batchable(task, definition)) return;
    const box = h('input', { type: 'checkbox', class: 'row-select', 'aria-label': t('selectCase', { title: task.title }), 'data-case': task.caseId, onchange: update });
    boxes.set(task.caseId, box);
    // The whole cell is the box's target (44 px on a phone).
    select.replaceChildren(h('label', { class: 'select-target' }, box));
  };

  const tbody = h('tbody');
  const table = h(
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
        (['colTitle', 'colType', 'colStep', 'colApplicant', 'colDue'] as const).map((k) => h('th', { scope: 'col' }, t(k))),
      ),
    ),
    tbody,
  );
  const toolbar = h('div', { class: 'toolbar' }, h('label', { class: 'checkbox-label', for: 'select-all' }, selectAll, ' ', t('selectAll')), batchButton);
  const hint = h('p', { class: 'muted small' }, t('batchHint'));
  main.append(heading, status, toolbar, hint, table, empty);

  return {
    show(items, complete) {
      tasks = [...items].sort(byDue);
      count.textContent = `(${tasks.length}${complete ? '' : '+'})`;
      fillRows(tbody, tasks, rows, rowOf);
      const none = complete && tasks.length === 0;
      empty.hidden = !none;
      for (const element of [toolbar, hint, table]) element.hidden = none;
    },
    describe() {
      for (const drawn of rows.values()) name(drawn);
      update();
    },
    problem(error) {
      status.replaceChildren(notice('error', t('loadFailed', { message: localize(error instanceof Error ? error.message : String(error)) })));
    },
  };
}

/** 待阅: what was circulated or copied to the person, each marked read here or on its page; the latest first. */
function readList(main: HTMLElement, processes: Processes): WorkList {
  const count = h('span', { class: 'muted' });
  const heading = h('h1', { tabindex: -1 }, t('readTitle'), ' ', count);
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty', hidden: true }, t('readEmpty'));
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'data-table inbox-table read-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, t('readTitle')),
    h('thead', null, h('tr', null, (['colTitle', 'colType', 'colFrom', 'colApplicant', 'colSent'] as const).map((k) => h('th', { scope: 'col' }, t(k))), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('markRead'))))),
    tbody,
  );
  const marked = new Set<string>();
  let left = 0;
  let complete = false;
  const redraw = () => {
    count.textContent = `(${left}${complete ? '' : '+'})`;
    empty.hidden = !complete || left > 0;
    table.hidden = left === 0;
  };
  const rows = new Map<string, { readonly task: Task; readonly row: HTMLElement; readonly type: HTMLElement; readonly step: HTMLElement }>();
  const name = ({ task, type, step }: { task: Task; type: HTMLElement; step: HTMLElement }) => {
    if (processes.summaries) type.textContent = typeName(processes.summaries, task.type);
    if (processes.definitions.has(task.type)) step.textContent = stepLabel(task, processes.definitions.get(task.type));
  };
  const rowOf = (task: Task) => {
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
            marked.add(task.caseId);
            left--;
            redraw();
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
    const type = h('td', { 'data-label': t('colType') });
    const step = stepCell(task, t('colFrom'));
    const row: HTMLElement = h(
      'tr',
      { 'data-case': task.caseId },
      h('td', { class: 'title-cell', 'data-label': t('colTitle') }, h('a', { href: `/cases/${task.caseId}` }, task.title), task.number ? h('div', { class: 'muted small case-number' }, task.number) : null),
      type,
      step,
      h('td', { 'data-label': t('colApplicant') }, task.applicantName),
      // Who sent it round and when (a task from before the API said so: when the case was opened).
      h(
        'td',
        { 'data-label': t('colSent') },
        task.sentBy ? h('span', { class: 'sent-by' }, task.sentBy.name, ' ') : null,
        h('time', { datetime: task.sentAt ?? task.createdAt }, formatDateTime(task.sentAt ?? task.createdAt)),
      ),
      h('td', { class: 'action-cell', 'data-label': t('markRead') }, button),
    );
    const drawn = { task, row, type, step };
    name(drawn);
    return drawn;
  };
  main.append(heading, status, h('p', { class: 'muted small' }, t('readHint')), table, empty);

  return {
    show(items, done) {
      const tasks = items.filter((task) => !marked.has(task.caseId)).sort((a, b) => Date.parse(b.sentAt ?? b.createdAt) - Date.parse(a.sentAt ?? a.createdAt));
      fillRows(tbody, tasks, rows, rowOf);
      left = tasks.length;
      complete = done;
      redraw();
    },
    describe() {
      for (const drawn of rows.values()) name(drawn);
    },
    problem(error) {
      status.replaceChildren(notice('error', t('loadFailed', { message: localize(error instanceof Error ? error.message : String(error)) })));
    },
  };
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
