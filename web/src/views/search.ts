/**
 * 全文检索: the results of the header's search box. The words and the filters live in the address
 * (/search?q=…&type=…), so a search can be bookmarked, sent and printed; changing a filter reads
 * the results again in place, saying the new count, without moving the focus.
 *
 * Snippets are the text of cases (what people typed) with the query's places given as offsets:
 * they are put in as text nodes, each place in a <mark>, never as markup.
 */
import { ApiError, get } from '../api.ts';
import { departmentName, loadDefinitions, loadOrg, typeName } from '../directory.ts';
import { append, h, notice, type Child } from '../dom.ts';
import { colon, formatDate, formatDateTime, lang, listSeparator, localize, type MessageKey, t, txt } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { focusSearch, SEARCH_FILTERS, SEARCH_PATH, showSearchError } from '../nav.ts';
import { setPrintMargins } from '../print.ts';
import type { DefinitionSummary, Org, SearchMatch, SearchResult, SearchResults } from '../types.ts';

type FilterKey = (typeof SEARCH_FILTERS)[number];
type Filters = Partial<Record<FilterKey, string>>;

/** Results a page asks for at a time. */
const PAGE_SIZE = 20;
const STATUSES = ['open', 'completed', 'rejected', 'withdrawn'] as const;

export async function searchView({ main, query }: PageContext): Promise<void> {
  const q = (query.get('q') ?? '').trim();
  const filters: Filters = {};
  for (const key of SEARCH_FILTERS) if (query.get(key)) filters[key] = query.get(key)!;
  setPrintMargins(t('searchTitle'));
  const [summaries, org] = await Promise.all([loadDefinitions().catch(() => [] as DefinitionSummary[]), loadOrg().catch(() => undefined)]);
  const page = new SearchPage(main, q, filters, summaries, org);
  if (!q) {
    page.drawNoQuery();
    return;
  }
  await page.search();
}

/** Puts the snippet's text in as text, each highlighted range in a <mark>; bad ranges are skipped, not trusted. */
export function markedText(snippet: { readonly text: string; readonly highlights: readonly (readonly number[])[] }): Child[] {
  const text = snippet.text;
  const ranges = snippet.highlights
    .filter((r) => r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]))
    .map((r) => [Math.max(0, r[0]!), Math.min(text.length, r[1]!)] as const)
    .sort((a, b) => a[0] - b[0]);
  const parts: Child[] = [];
  let at = 0;
  for (const [from, to] of ranges) {
    const start = Math.max(from, at);
    if (to <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(h('mark', null, text.slice(start, to)));
    at = to;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

class SearchPage {
  private readonly heading = h('h1', { tabindex: -1 });
  private readonly count = h('span', { class: 'result-count' });
  /** Says each new count (a filter changed, more loaded); the heading says the first. */
  private readonly announcer = h('p', { class: 'search-announcer visually-hidden', role: 'status' });
  /** The empty state, a hint to narrow the search, or what to change. */
  private readonly notes = h('div');
  private readonly results = h('section', { class: 'search-results', 'aria-labelledby': 'search-heading' });
  private readonly list = h('ol', { class: 'result-list' });
  private readonly more = h('button', { type: 'button', class: 'search-more no-print', hidden: true }, t('loadMore'));
  private readonly moreProblem = h('div', { 'aria-live': 'polite' });
  private readonly shownLine = h('p', { class: 'muted small search-shown', hidden: true });
  private readonly printedFilters = h('p', { class: 'print-only small' });
  private readonly controls = new Map<FilterKey, HTMLSelectElement | HTMLInputElement>();
  private readonly fieldErrors = new Map<FilterKey, HTMLElement>();
  private filterBox!: HTMLDetailsElement;
  private filterSummary!: HTMLElement;
  private clearButton!: HTMLButtonElement;
  /** Only the latest request's answer is drawn. */
  private asked = 0;
  private next?: string;
  private shown = 0;
  private total = 0;
  private debounce?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly main: HTMLElement,
    private readonly q: string,
    private filters: Filters,
    private readonly summaries: readonly DefinitionSummary[],
    private readonly org: Org | undefined,
  ) {
    this.heading.id = 'search-heading';
    this.more.addEventListener('click', () => void this.loadMore());
  }

  /** /search with no words: where to type them. */
  drawNoQuery(): void {
    this.heading.textContent = t('searchTitle');
    this.main.append(this.heading, h('p', null, t('searchEmptyQuery'), ' ', h('button', { type: 'button', class: 'link-button', onclick: () => focusSearch() }, t('searchLabel'))), h('p', { class: 'muted small' }, t('searchShortcut')));
  }

  /** The first page of results for the address's words and filters, drawn in full. */
  async search(): Promise<void> {
    this.heading.replaceChildren(t('searchHeading', { q: this.q }), ' ', this.count);
    this.main.append(this.heading, this.announcer, this.filterForm(), this.notes, this.printedFilters, this.results);
    this.results.append(this.list, this.shownLine, this.moreProblem, this.more);
    await this.query({ announce: false });
  }

  private params(): URLSearchParams {
    const params = new URLSearchParams({ q: this.q });
    for (const key of SEARCH_FILTERS) if (this.filters[key]) params.set(key, this.filters[key]!);
    return params;
  }

  /** The API's answer for the words and filters: the first page, or the one after `cursor`. */
  private fetch(cursor?: string): Promise<SearchResults> {
    const params = this.params();
    params.set('limit', String(PAGE_SIZE));
    if (cursor) params.set('cursor', cursor);
    return get<SearchResults>(`/api/search?${params}`);
  }

  private async query(options: { announce: boolean }): Promise<void> {
    const asked = ++this.asked;
    this.setBusy(true);
    this.clearErrors();
    try {
      const found = await this.fetch();
      if (asked !== this.asked) return;
      this.draw(found);
      if (options.announce) this.announcer.textContent = this.countText(found.total);
    } catch (error) {
      if (asked !== this.asked) return;
      this.list.replaceChildren();
      this.more.hidden = true;
      this.shownLine.hidden = true;
      this.count.textContent = '';
      this.problem(error);
    } finally {
      if (asked === this.asked) this.setBusy(false);
    }
  }

  private async loadMore(): Promise<void> {
    if (!this.next) return;
    const asked = this.asked;
    this.more.disabled = true;
    this.moreProblem.replaceChildren();
    this.list.setAttribute('aria-busy', 'true');
    try {
      const found = await this.fetch(this.next);
      if (asked !== this.asked) return;
      const items = found.items.map((r) => this.item(r));
      this.list.append(...items);
      this.shown += items.length;
      this.next = found.next;
      this.updateShown();
      this.announcer.textContent = t('searchShown', { shown: this.shown, total: this.total });
      // The next result to read is the first new one.
      items[0]?.querySelector<HTMLElement>('a')?.focus();
    } catch (error) {
      this.moreProblem.replaceChildren(notice('error', t('loadFailed', { message: localize(messageOf(error)) })));
    } finally {
      this.more.disabled = false;
      this.list.removeAttribute('aria-busy');
    }
  }

  private draw(found: SearchResults): void {
    this.total = found.total;
    this.shown = found.items.length;
    this.next = found.next;
    this.count.textContent = this.countText(found.total);
    this.list.replaceChildren(...found.items.map((r) => this.item(r)));
    this.list.hidden = found.items.length === 0;
    this.notes.replaceChildren();
    append(this.notes, [found.truncated ? notice('warning', t('searchTruncated', { n: found.total })) : null, found.items.length === 0 ? this.emptyState() : null]);
    this.updateShown();
  }

  private updateShown(): void {
    this.more.hidden = !this.next;
    this.shownLine.hidden = !this.next;
    this.shownLine.textContent = t('searchShown', { shown: this.shown, total: this.total });
  }

  private countText(n: number): string {
    return n === 1 ? t('searchCountOne') : t('searchCount', { n });
  }

  private setBusy(busy: boolean): void {
    if (busy) this.results.setAttribute('aria-busy', 'true');
    else this.results.removeAttribute('aria-busy');
    if (busy) this.count.textContent = t('searching');
  }

  /** 没有找到: what to try next, with the filters' clearing at hand when some are set. */
  private emptyState(): HTMLElement {
    const filtered = SEARCH_FILTERS.some((k) => k !== 'sort' && this.filters[k]);
    return h(
      'div',
      { class: 'search-empty' },
      h('p', { class: 'search-empty-title' }, t('searchEmpty', { q: this.q })),
      h('p', null, t('searchTips')),
      h('ul', null, h('li', null, t('searchTipSpelling')), h('li', null, t('searchTipFewer')), h('li', null, t('searchTipDates'))),
      filtered ? h('button', { type: 'button', class: 'no-print', onclick: () => this.apply({ sort: this.filters.sort }) }, t('clearFilters')) : null,
    );
  }

  /** A 400 beside the field it names (the words: under the header's box); anything else above the results. */
  private problem(error: unknown): void {
    const message = localize(messageOf(error));
    const field = error instanceof ApiError && error.status === 400 ? error.field : undefined;
    if (field === 'q') {
      // Nothing was searched for: the heading does not say results.
      this.heading.textContent = t('searchTitle');
      showSearchError(message);
      this.notes.replaceChildren(this.errorSummary(message, () => focusSearch()));
      return;
    }
    const key = SEARCH_FILTERS.find((k) => k === field);
    const control = key && this.controls.get(key);
    if (key && control) {
      const line = this.fieldErrors.get(key)!;
      line.textContent = message;
      line.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      this.filterBox.open = true;
      this.notes.replaceChildren(this.errorSummary(message, () => control.focus()));
      return;
    }
    this.notes.replaceChildren(notice('error', t('loadFailed', { message })));
  }

  /** Names what to change, linked to where it is. */
  private errorSummary(message: string, go: () => void): HTMLElement {
    return h('div', { class: 'error-summary' }, h('p', null, t('searchProblem')), h('button', { type: 'button', class: 'link-button', onclick: go }, message));
  }

  private clearErrors(): void {
    showSearchError(undefined);
    for (const [key, line] of this.fieldErrors) {
      line.hidden = true;
      line.textContent = '';
      this.controls.get(key)?.removeAttribute('aria-invalid');
    }
    this.notes.replaceChildren();
  }

  /** Sets the filters, in the address and in the results (read again, the focus left where it is). */
  private apply(next: Filters): void {
    clearTimeout(this.debounce);
    this.filters = Object.fromEntries(Object.entries(next).filter(([, v]) => v)) as Filters;
    for (const [key, control] of this.controls) control.value = this.filters[key] ?? (key === 'sort' ? 'relevance' : '');
    history.replaceState(null, '', `${SEARCH_PATH}?${this.params()}`);
    this.describeFilters();
    void this.query({ announce: true });
  }

  private filterForm(): HTMLElement {
    const thisYear = Number(formatDate(new Date().toISOString()).slice(0, 4));
    const years = Array.from({ length: 6 }, (_, i) => String(thisYear - i));
    if (this.filters.year && !years.includes(this.filters.year)) years.push(this.filters.year);
    const select = (key: FilterKey, all: string | undefined, options: readonly (readonly [string, string])[]) =>
      h(
        'select',
        { id: `search-${key}`, name: key, 'aria-describedby': `search-${key}-error` },
        all === undefined ? null : h('option', { value: '' }, all),
        options.map(([value, label]) => h('option', { value, selected: (this.filters[key] ?? '') === value }, label)),
      );
    const date = (key: FilterKey) => h('input', { type: 'date', id: `search-${key}`, name: key, value: this.filters[key] ?? '', 'aria-describedby': `search-${key}-error` });
    const fields: [FilterKey, MessageKey, HTMLSelectElement | HTMLInputElement][] = [
      ['type', 'filterType', select('type', t('typeAll'), this.summaries.map((d) => [d.type, txt(d.name)] as const))],
      ['status', 'filterStatus', select('status', t('statusAll'), STATUSES.map((s) => [s, t(`status_${s}`)] as const))],
      ['year', 'filterYear', select('year', t('yearAll'), years.map((y) => [y, y] as const))],
      ['department', 'department', select('department', t('allDepartments'), (this.org?.departments ?? []).map((d) => [d.id, departmentName(this.org, d.id)] as const))],
      ['from', 'filterFrom', date('from')],
      ['to', 'filterTo', date('to')],
      ['sort', 'sortBy', select('sort', undefined, [['relevance', t('sortRelevance')], ['date', t('sortDate')]])],
    ];
    const cells = fields.map(([key, label, control]) => {
      this.controls.set(key, control);
      const error = h('p', { class: 'field-error', id: `search-${key}-error`, hidden: true });
      this.fieldErrors.set(key, error);
      return h('div', { class: 'field' }, h('label', { for: control.id }, t(label)), control, error);
    });
    this.filterSummary = h('span');
    this.clearButton = h('button', { type: 'button', onclick: () => this.apply({ sort: this.filters.sort }) }, t('clearFilters'));
    const form = h(
      'form',
      {
        class: 'search-filters',
        novalidate: true,
        // A choice reads the results at once; a date, once it has stopped changing as it is typed.
        onchange: (event: Event) => {
          const wait = (event.target as HTMLElement).matches('input[type="date"]') ? 500 : 0;
          clearTimeout(this.debounce);
          this.debounce = setTimeout(() => this.apply(this.formValues()), wait);
        },
        onsubmit: (event: SubmitEvent) => {
          event.preventDefault();
          this.apply(this.formValues());
        },
      },
      h('div', { class: 'search-filter-fields' }, cells),
      h('div', { class: 'form-actions' }, this.clearButton),
    );
    // Open on a wide screen; on a phone folded under its summary, which says how many are set.
    this.filterBox = h('details', { class: 'search-filter-box no-print', open: !matchMedia('(max-width: 700px)').matches }, h('summary', null, this.filterSummary), form);
    this.describeFilters();
    return this.filterBox;
  }

  private formValues(): Filters {
    const values: Filters = {};
    for (const [key, control] of this.controls) if (control.value && !(key === 'sort' && control.value === 'relevance')) values[key] = control.value;
    return values;
  }

  /** The summary's count and, for the printed page, the filters in words. */
  private describeFilters(): void {
    const set = SEARCH_FILTERS.filter((k) => k !== 'sort' && this.filters[k]);
    this.filterSummary.textContent = set.length ? t('searchFiltersSet', { n: set.length }) : t('searchFilters');
    this.clearButton.hidden = set.length === 0;
    const words = set.map((k) => {
      const v = this.filters[k]!;
      const value = k === 'type' ? typeName(this.summaries, v) : k === 'status' ? t(`status_${v as (typeof STATUSES)[number]}`) : k === 'department' ? departmentName(this.org, v) : v;
      return `${t(({ type: 'filterType', status: 'filterStatus', year: 'filterYear', department: 'department', from: 'filterFrom', to: 'filterTo', sort: 'sortBy' } as const)[k])}${colon()}${value}`;
    });
    this.printedFilters.textContent = words.length ? t('searchFiltersPrinted', { list: words.join(listSeparator()) }) : '';
  }

  private item(r: SearchResult): HTMLElement {
    const c = r.case;
    // A whole title that matched is marked in the heading itself, not said again below it.
    const inTitle = r.matches.find((m) => m.field === 'title' && m.snippet.text === c.title);
    const matches = r.matches.filter((m) => m !== inTitle);
    const caseHref = `/cases/${encodeURIComponent(c.id)}`;
    return h(
      'li',
      { class: 'search-result', 'data-case': c.id },
      h('h2', { class: 'search-result-title' }, h('a', { href: caseHref }, inTitle ? markedText(inTitle.snippet) : c.title)),
      h(
        'p',
        { class: 'search-result-meta' },
        h('span', { class: `status status-${c.status}` }, t(`status_${c.status}`)),
        h('span', null, txt(c.typeName) || typeName(this.summaries, c.type)),
        c.number ? h('span', null, `${t('caseNumber')}${colon()}${c.number}`) : null,
        h('span', null, `${t('caseApplicant')}${colon()}${c.applicantName}`),
        h('span', null, `${t('caseCreated')}${colon()}`, h('time', { datetime: c.createdAt }, formatDate(c.createdAt))),
      ),
      matches.length ? h('dl', { class: 'search-matches' }, matches.map((m) => this.match(c.id, m))) : null,
    );
  }

  /** Where it matched (标题, a field, 意见 with who wrote it, a file's page that opens in the preview) and the snippet. */
  private match(caseId: string, m: SearchMatch): Child[] {
    const label = txt(m.label);
    const page = m.kind === 'page' && m.attachment;
    const where = page
      ? h(
          'a',
          { class: 'match-page', href: `/cases/${encodeURIComponent(caseId)}?${new URLSearchParams({ attachment: page.id, page: String(page.page) })}` },
          h('span', { class: 'visually-hidden' }, `${t('searchOpenPage')}${colon()}`),
          label,
        )
      : label;
    const by = m.opinion
      ? h(
          'span',
          { class: 'match-by' },
          lang() === 'zh' ? '——' : ' — ',
          t('searchOpinionBy', { name: m.opinion.actorName, at: formatDateTime(m.opinion.at) }),
          m.opinion.stepName ? (lang() === 'zh' ? `（${m.opinion.stepName}）` : ` (${m.opinion.stepName})`) : '',
        )
      : null;
    return [h('dt', { class: `match-kind-${m.kind}` }, where), h('dd', null, h('span', { class: 'snippet' }, markedText(m.snippet)), by)];
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
