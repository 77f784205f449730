/** 超期督办: overdue work per department with its chases, and the month's figures (考核). */
import { ApiError, download, get, idempotencyKey, post } from '../api.ts';
import { departmentName, loadDefinitions, loadOrg, personName, typeName } from '../directory.ts';
import { h, notice } from '../dom.ts';
import { formatDateTime, formatTime, localize, t, txt, type Text } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate } from '../nav.ts';
import type { Figures, Overdue, OverdueItem, Stats } from '../types.ts';
import { errorState } from './lists.ts';

const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`);
const name = (n: Text | string) => (typeof n === 'string' ? n : txt(n));

/** Export buttons for a file the API makes (CSV or Excel), with any failure said beside them. */
function exportButtons(path: (format: 'csv' | 'xlsx') => string, name: string, problem: HTMLElement): HTMLElement[] {
  return (['csv', 'xlsx'] as const).map((format) =>
    h(
      'button',
      {
        type: 'button',
        'data-export': `${name}-${format}`,
        onclick: async () => {
          try {
            await download(path(format), `${name}.${format}`);
          } catch (error) {
            problem.replaceChildren(errorState(error));
          }
        },
      },
      format === 'csv' ? t('exportCsv') : t('exportXlsx'),
    ),
  );
}

/** The API hears one 催办 a case an hour. */
const CHASE_INTERVAL_MS = 3_600_000;

/**
 * 催办 from the board: one logged chase to whoever the line waits on, at the version the board
 * read (read again once if the case moved since). Chased within the hour, the API says when to
 * try again (429): said beside the button, as an answer, not a failure.
 */
function chaseButton(line: OverdueItem): HTMLElement {
  // Chased within the hour (here or elsewhere): said with its time, as after a chase from this page.
  if (line.lastChasedAt && Date.now() - Date.parse(line.lastChasedAt) < CHASE_INTERVAL_MS) {
    return h('span', { class: 'chase-holder' }, h('span', { class: 'chased' }, t('chasedAt', { at: formatTime(line.lastChasedAt) })));
  }
  const cell = h('span', { class: 'chase-holder' });
  const said = h('span', { 'aria-live': 'polite' });
  // The answer takes the button's place and the focus (not dropped on <body>), said as it comes.
  const answer = (content: HTMLElement) => {
    content.tabIndex = -1;
    button.remove();
    said.replaceChildren(content);
    content.focus();
  };
  const send = async (version: number, again: boolean): Promise<void> => {
    try {
      await post(`/api/cases/${encodeURIComponent(line.caseId)}/actions`, { action: 'chase', version }, { 'Idempotency-Key': idempotencyKey() });
      const row = cell.closest('tr');
      const count = row?.querySelector('.chase-count');
      if (count) count.textContent = String(line.chases + 1);
      answer(h('span', { class: 'chased' }, t('chasedAt', { at: formatTime(Date.now()) })));
    } catch (caught) {
      let error = caught;
      if (error instanceof ApiError && error.code === 'stale-version' && !again) {
        try {
          const fresh = (await get<Overdue>('/api/overdue')).items.find((x) => x.caseId === line.caseId);
          if (fresh) return await send(fresh.version, true);
          // Off the board: done, or on to a step not overdue. Nothing left to chase here.
          answer(h('span', { class: 'chase-moved-on' }, t('chaseMovedOn')));
          return;
        } catch (reread) {
          error = reread;
        }
      }
      button.disabled = false;
      const message = localize(error instanceof Error ? error.message : String(error));
      said.replaceChildren(error instanceof ApiError && error.status === 429 ? notice('warning', message) : notice('error', t('errorGeneric', { message })));
    }
  };
  const button = h(
    'button',
    {
      type: 'button',
      'data-chase': line.caseId,
      onclick: () => {
        button.disabled = true;
        void send(line.version, false);
      },
    },
    t('chaseLine'),
    h('span', { class: 'visually-hidden' }, ` ${line.title}`),
  );
  cell.append(button, said);
  return cell;
}

export async function dashboardView({ main, query }: PageContext): Promise<void> {
  const department = query.get('department') ?? '';
  // This month as the office counts it: China's time (UTC+8, no summer time), not UTC, which is
  // still last month until 08:00 on the 1st.
  const month = /^\d{4}-\d{2}$/.test(query.get('month') ?? '') ? query.get('month')! : new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const [org, summaries] = await Promise.all([loadOrg().catch(() => undefined), loadDefinitions().catch(() => [])]);
  main.append(h('h1', null, t('dashboardTitle')));

  const [overdue, stats] = await Promise.allSettled([
    get<Overdue>(`/api/overdue${department ? `?department=${encodeURIComponent(department)}` : ''}`),
    get<Stats>(`/api/stats?month=${month}`),
  ]);

  const go = (next: { department?: string; month?: string }) => {
    const q = new URLSearchParams();
    const d = next.department ?? department;
    if (d) q.set('department', d);
    q.set('month', next.month ?? month);
    navigate(`/dashboard?${q}`);
  };

  // Overdue work
  const overdueSection = h('section', { class: 'card', id: 'overdue', 'aria-labelledby': 'overdue-heading' }, h('h2', { id: 'overdue-heading' }, t('dashboardItems')));
  if (overdue.status === 'rejected') {
    overdueSection.append(errorState(overdue.reason));
  } else {
    const o = overdue.value;
    const total = o.departments.reduce((n, d) => n + d.count, 0);
    overdueSection.append(
      h(
        'div',
        { class: 'dept-summary', role: 'group', 'aria-label': t('dashboardByDept') },
        h('button', { type: 'button', class: 'dept-chip', 'aria-pressed': String(!department), onclick: () => go({ department: '' }) }, t('allDepartments'), h('span', { class: 'count' }, String(total))),
        o.departments.map((d) =>
          h(
            'button',
            { type: 'button', class: `dept-chip${d.count > 0 ? ' has-overdue' : ''}`, 'aria-pressed': String(d.department === department), onclick: () => go({ department: d.department }) },
            name(d.name),
            h('span', { class: 'count' }, String(d.count)),
          ),
        ),
      ),
    );
    const items = [...o.items].sort((a, b) => b.daysOverdue - a.daysOverdue);
    const rows = items.map((i) => [i.title, typeName(summaries, i.type), txt(i.stepName), i.assignees.map((p) => personName(org, p)).join('、'), departmentName(org, i.department), formatDateTime(i.dueAt), i.daysOverdue, i.chases] as const);
    const header = [t('colTitle'), t('colType'), t('colStep'), t('caseAssignees'), t('department'), t('colDue'), t('daysOverdueCol'), t('chases')];
    const chasing = items.some((i) => i.canChase);
    if (chasing) header.push(t('chaseCol'));
    const problem = h('div', { 'aria-live': 'polite' });
    overdueSection.append(
      h(
        'div',
        { class: 'toolbar no-print' },
        exportButtons((format) => `/api/overdue/export?format=${format}${department ? `&department=${encodeURIComponent(department)}` : ''}`, `overdue-${department || 'all'}`, problem),
        h('button', { type: 'button', onclick: () => window.print() }, t('print')),
      ),
      problem,
      items.length === 0
        ? h('p', { class: 'empty' }, t('dashboardEmpty'))
        : h(
            'table',
            { class: 'data-table overdue-table' },
            // The 催办 column is not printed (its cells are no-print): nor is its head.
            h('thead', null, h('tr', null, header.map((x, k) => h('th', { scope: 'col', class: k === 8 ? 'no-print' : undefined }, x)))),
            h(
              'tbody',
              null,
              items.map((i, n) =>
                h(
                  'tr',
                  { class: 'row-overdue' },
                  h('td', { class: 'title-cell', 'data-label': header[0] }, h('a', { href: `/cases/${i.caseId}` }, i.title)),
                  rows[n]!.slice(1, 6).map((v, k) => h('td', { 'data-label': header[k + 1] }, String(v))),
                  h('td', { 'data-label': header[6] }, h('span', { class: 'badge badge-overdue' }, t('overdueDays', { n: i.daysOverdue }))),
                  h('td', { 'data-label': header[7], class: 'chase-count' }, String(i.chases)),
                  chasing ? h('td', { 'data-label': header[8], class: 'chase-cell no-print' }, i.canChase ? chaseButton(i) : null) : null,
                ),
              ),
            ),
          ),
    );
  }

  // The month's figures
  const monthInput = h('input', { type: 'month', id: 'stats-month', name: 'month', value: month });
  const statsSection = h(
    'section',
    { class: 'card', id: 'stats', 'aria-labelledby': 'stats-heading' },
    h('h2', { id: 'stats-heading' }, t('statsTitle')),
    h(
      'form',
      {
        class: 'filters no-print',
        onsubmit: (event: SubmitEvent) => {
          event.preventDefault();
          if (/^\d{4}-\d{2}$/.test(monthInput.value)) go({ month: monthInput.value });
        },
      },
      h('div', { class: 'field inline' }, h('label', { for: 'stats-month' }, t('month')), monthInput),
      h('button', { type: 'submit' }, t('show')),
    ),
  );
  if (stats.status === 'rejected') {
    statsSection.append(errorState(stats.reason));
  } else {
    const s = stats.value;
    const cols = [t('statCompleted'), t('statOnTime'), t('statFirstPass'), t('statOverdue'), t('statHours')];
    const figures = (f: Figures) => [String(f.completed), percent(f.onTimeRate), percent(f.firstPassRate), String(f.overdue), f.averageHandlingHours === null ? '—' : String(Math.round(f.averageHandlingHours * 10) / 10)];
    const table = (first: string, rows: { label: string; f: Figures }[]) =>
      h(
        'table',
        { class: 'data-table stats-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, first), cols.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.label), figures(r.f).map((v, k) => h('td', { 'data-label': cols[k] }, v))))),
      );
    const problem = h('div', { 'aria-live': 'polite' });
    statsSection.append(
      h('div', { class: 'toolbar no-print' }, exportButtons((format) => `/api/stats/export?month=${s.month}&format=${format}`, `stats-${s.month}`, problem)),
      problem,
      s.departments.length === 0 ? h('p', { class: 'empty' }, t('listEmpty')) : table(t('department'), s.departments.map((d) => ({ label: name(d.name), f: d }))),
      s.people.length ? h('details', null, h('summary', null, t('statsByPerson')), table(t('person'), s.people.map((p) => ({ label: name(p.name), f: p })))) : '',
    );
  }
  main.append(overdueSection, statsSection);
}
