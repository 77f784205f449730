/** Registers (登记簿/台账): chosen by year and department, exported as CSV or Excel, printed on A4. */
import { download, get } from '../api.ts';
import { departmentName, loadOrg } from '../directory.ts';
import { h, notice, uid } from '../dom.ts';
import { localize, t, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { navigate } from '../nav.ts';
import { setPrintMargins } from '../print.ts';
import type { Register, RegisterSummary } from '../types.ts';
import { errorState } from './lists.ts';

export async function registersView({ main }: PageContext): Promise<void> {
  main.append(h('h1', null, t('registersTitle')));
  let items: RegisterSummary[];
  try {
    items = (await get<{ items: RegisterSummary[] }>('/api/registers')).items;
  } catch (error) {
    main.append(errorState(error));
    return;
  }
  main.append(
    items.length === 0
      ? h('p', { class: 'empty' }, t('listEmpty'))
      : h('ul', { class: 'process-list' }, items.map((r) => h('li', null, h('a', { href: `/registers/${r.id}`, class: 'process-card' }, h('strong', null, txt(r.name)))))),
  );
}

export async function registerView({ main, params, query }: PageContext): Promise<void> {
  const id = params[0]!;
  const thisYear = new Date().getFullYear();
  const year = Number(query.get('year')) || thisYear;
  const department = query.get('department') ?? '';
  const org = await loadOrg().catch(() => undefined);
  const filter = new URLSearchParams({ year: String(year) });
  if (department) filter.set('department', department);

  const heading = h('h1', null, t('registersTitle'));
  const yearSelect = h('select', { id: 'register-year', name: 'year' }, Array.from({ length: 5 }, (_, i) => thisYear - i).map((y) => h('option', { value: String(y), selected: y === year }, String(y))));
  const deptSelect = h(
    'select',
    { id: 'register-department', name: 'department' },
    h('option', { value: '' }, t('allDepartments')),
    (org?.departments ?? []).map((d) => h('option', { value: d.id, selected: d.id === department }, departmentName(org, d.id))),
  );
  const problem = h('div', { 'aria-live': 'polite' });
  const exportButton = (format: 'csv' | 'xlsx') =>
    h(
      'button',
      {
        type: 'button',
        'data-export': format,
        onclick: async () => {
          try {
            await download(`/api/registers/${encodeURIComponent(id)}/export?format=${format}&${filter}`, `${id}-${year}.${format}`);
          } catch (error) {
            problem.replaceChildren(notice('error', t('loadFailed', { message: localize(error instanceof Error ? error.message : String(error)) })));
          }
        },
      },
      format === 'csv' ? t('exportCsv') : t('exportXlsx'),
    );
  const toolbar = h(
    'form',
    {
      class: 'filters no-print',
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        const next = new URLSearchParams({ year: yearSelect.value });
        if (deptSelect.value) next.set('department', deptSelect.value);
        navigate(`/registers/${id}?${next}`);
      },
    },
    h('div', { class: 'field inline' }, h('label', { for: 'register-year' }, t('filterYear')), yearSelect),
    h('div', { class: 'field inline' }, h('label', { for: 'register-department' }, t('department')), deptSelect),
    h('button', { type: 'submit' }, t('show')),
    exportButton('csv'),
    exportButton('xlsx'),
    h('button', { type: 'button', onclick: () => window.print() }, t('print')),
  );

  let register: Register;
  try {
    register = await get<Register>(`/api/registers/${encodeURIComponent(id)}?${filter}`);
  } catch (error) {
    main.append(heading, h('p', null, h('a', { href: '/registers' }, t('registerChoose'))), errorState(error));
    return;
  }
  heading.textContent = txt(register.name);
  const orgName = org ? txt({ zh: org.name, en: org.nameEn ?? org.name }) : '';
  const scope = `${orgName}　${year}　${department ? departmentName(org, department) : t('allDepartments')}`;
  setPrintMargins(`${txt(register.name)}　${scope}`);
  // The whole sheet, title included, prints on landscape pages (print.css `page: register`).
  main.classList.add('register-sheet');
  main.append(
    h('p', { class: 'no-print' }, h('a', { href: '/registers' }, t('registerChoose'))),
    heading,
    h('p', { class: 'print-only register-scope' }, scope),
    toolbar,
    problem,
    register.rows.length === 0
      ? h('p', { class: 'empty' }, t('listEmpty'))
      : wideTable(
          txt(register.name),
          h(
            'table',
            { class: 'data-table register-table' },
            h('caption', { class: 'visually-hidden' }, txt(register.name)),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                register.columns.map((col) => h('th', { scope: 'col' }, headerLabel(txt(col.label)))),
              ),
            ),
            h(
              'tbody',
              null,
              register.rows.map((row) => {
                // Each line opens its case: the row names it (`caseId`), the title is the link.
                const caseId = typeof row.caseId === 'string' && row.caseId ? row.caseId : undefined;
                return h(
                  'tr',
                  { 'data-case': caseId },
                  register.columns.map((col) => {
                    const value = row[col.key];
                    const text = value === null || value === undefined ? '' : String(value);
                    const linked = caseId && (col.key === 'title' || col.key === 'caseId');
                    // Long texts wrap in a column of their own width; dates, numbers and short words stay whole.
                    const kind = text.length > 16 ? 'long' : /^[\d\s:/.-]+$/.test(text) || text.length <= 5 ? 'short' : undefined;
                    return h('td', { 'data-label': txt(col.label), class: kind }, linked && text ? h('a', { href: `/cases/${encodeURIComponent(caseId)}` }, text) : text);
                  }),
                );
              }),
            ),
          ),
        ),
  );
}

/**
 * A header that may wrap onto two lines at its middle (承办<wbr>科室) and nowhere else: on a
 * crowded printed sheet it never stands one character a line (print.css keeps words whole).
 */
function headerLabel(label: string): (string | HTMLElement)[] {
  if (!/^[\u4e00-\u9fff]{4,}$/.test(label)) return [label];
  const middle = Math.ceil(label.length / 2);
  return [label.slice(0, middle), h('wbr'), label.slice(middle)];
}

/**
 * A table wider than the screen scrolls sideways in a focusable region that says so: a shadow at
 * the side that has more, and a line telling how to see it (shown only while it overflows).
 */
export function wideTable(label: string, table: HTMLTableElement): HTMLElement {
  const hintId = uid('scroll-hint');
  const hint = h('p', { class: 'scroll-hint no-print', id: hintId, hidden: true }, t('scrollHint'));
  const region = h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label, 'aria-describedby': hintId }, table);
  const update = () => {
    const overflows = region.scrollWidth > region.clientWidth + 1;
    hint.hidden = !overflows;
    region.classList.toggle('overflows', overflows);
    region.classList.toggle('at-start', region.scrollLeft <= 1);
    region.classList.toggle('at-end', region.scrollLeft + region.clientWidth >= region.scrollWidth - 1);
  };
  region.addEventListener('scroll', update, { passive: true });
  new ResizeObserver(update).observe(region);
  return h('div', { class: 'wide-table' }, hint, region);
}
