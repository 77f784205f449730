/**
 * Moving between pages without reloading, and what the header keeps on every page: the counts
 * (待办, 待阅 and unread messages) and the search box (全文检索).
 */
import { get } from './api.ts';
import { currentSession } from './auth.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { Page, Task } from './types.ts';

const RETURN_KEY = 'bangong.returnTo';
let render: () => Promise<void> = async () => {};

/** What the header's badges show; undefined until first read. */
export interface Counts {
  /** 待办: work waiting for the person's decision. */
  readonly sign?: number;
  /** 待阅: documents circulated or copied to them, not yet read. */
  readonly read?: number;
  /** Unread messages (notifications), and whether there are more than were counted. */
  readonly unread?: number;
  readonly unreadMore?: boolean;
  /** More tasks than were counted (the badges say "100+"). */
  readonly tasksMore?: boolean;
}
let counts: Counts = {};
const listeners = new Set<(counts: Counts) => void>();

/** main.ts hands over how to render the page the address names. */
export function setRenderer(renderer: () => Promise<void>): void {
  render = renderer;
}

/** Goes to a page of the web form without reloading. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

/** Sends someone who is not signed in to the sign-in page, remembering where they were going. */
export function requireLogin(): void {
  if (location.pathname !== '/login') sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
  navigate('/login', { replace: true });
}

/** Where to go after signing in. */
export function takeReturnPath(): string {
  const path = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return path && path.startsWith('/') && !path.startsWith('//') && path !== '/login' ? path : '/';
}

export function currentCounts(): Counts {
  return counts;
}

/** The header subscribes to redraw its badges. */
export function onCounts(listener: (counts: Counts) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setCounts(next: Partial<Counts>): void {
  counts = { ...counts, ...next };
  for (const listener of listeners) listener(counts);
}

/** Forgets the counts of the person who was signed in. */
export function resetCounts(): void {
  counts = {};
  lastUnreadRead = 0;
}

/** The inbox's items by kind (待办 and 待阅 are counted apart); `more` when there are more than were read. */
export function countTasks(tasks: readonly Task[], more = false): void {
  setCounts({ sign: tasks.filter((x) => x.kind !== 'read').length, read: tasks.filter((x) => x.kind === 'read').length, tasksMore: more });
}

let firstPage: Promise<Page<Task>> | undefined;
/**
 * The first page of the caller's open work. The badges and the inbox both ask for it as a page
 * opens: while one request is on its way, they share it.
 */
export function firstTasksPage(): Promise<Page<Task>> {
  firstPage ??= get<Page<Task>>('/api/tasks?limit=100').finally(() => {
    firstPage = undefined;
  });
  return firstPage;
}

/** Refreshes the badges after anything that may change the inbox or the messages. */
export async function refreshInboxCount(): Promise<void> {
  if (!currentSession()) return;
  await Promise.all([refreshTasks(), refreshUnread(true)]);
}

/** One page of the inbox is enough for the badges: past 100 they say "100+". */
async function refreshTasks(): Promise<void> {
  try {
    const page = await firstTasksPage();
    countTasks(page.items, !!page.next);
  } catch {
    // The badges are a convenience; the inbox page itself reports errors.
  }
}

let lastUnreadRead = 0;
/** The unread count, read again at most every 30 s while moving between pages (or now, when asked). */
export async function refreshUnread(now = false): Promise<void> {
  if (!currentSession() || (!now && Date.now() - lastUnreadRead < 30_000)) return;
  lastUnreadRead = Date.now();
  try {
    const unread = await get<{ count: number; more: boolean }>('/api/notifications/unread-count');
    setCounts({ unread: unread.count, unreadMore: unread.more });
  } catch {
    lastUnreadRead = 0;
  }
}

/** The results page's address; its query names the words and the filters. */
export const SEARCH_PATH = '/search';
const SEARCH_FORM_ID = 'site-search';
const SEARCH_INPUT_ID = 'site-search-q';
const SEARCH_ERROR_ID = 'site-search-error';
/** The results page's filters, kept when a new query is typed on it. */
export const SEARCH_FILTERS = ['type', 'status', 'year', 'department', 'from', 'to', 'sort'] as const;

/**
 * The header's search box. Typed on the results page, a new query keeps the filters set there;
 * from any other page it starts afresh. Its error line is where the results page says what is
 * wrong with the words (a 400 naming `q`).
 */
export function searchBox(path: string, query: URLSearchParams): HTMLFormElement {
  const onResults = path === SEARCH_PATH;
  const input = h('input', {
    type: 'search',
    id: SEARCH_INPUT_ID,
    name: 'q',
    value: onResults ? (query.get('q') ?? '') : '',
    placeholder: t('searchPlaceholder'),
    maxlength: 100,
    autocomplete: 'off',
    enterkeyhint: 'search',
    'aria-keyshortcuts': '/',
    'aria-describedby': `${SEARCH_ERROR_ID} site-search-hint`,
  });
  const error = h('p', { class: 'field-error', id: SEARCH_ERROR_ID, hidden: true });
  return h(
    'form',
    {
      class: 'header-search',
      id: SEARCH_FORM_ID,
      role: 'search',
      'aria-label': t('searchLabel'),
      novalidate: true,
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        const q = input.value.trim();
        if (!q) {
          showSearchError(t('searchEmptyQuery'));
          input.focus();
          return;
        }
        const next = new URLSearchParams({ q });
        if (location.pathname === SEARCH_PATH) {
          const current = new URLSearchParams(location.search);
          for (const key of SEARCH_FILTERS) if (current.get(key)) next.set(key, current.get(key)!);
        }
        navigate(`${SEARCH_PATH}?${next}`);
      },
    },
    h('label', { for: SEARCH_INPUT_ID, class: 'visually-hidden' }, t('searchLabel')),
    h('span', { id: 'site-search-hint', class: 'visually-hidden' }, t('searchShortcut')),
    h('div', { class: 'header-search-box' }, input, h('button', { type: 'submit', class: 'header-search-submit' }, h('span', { class: 'search-icon', 'aria-hidden': 'true' }), h('span', { class: 'visually-hidden' }, t('searchButton')))),
    h('div', { 'aria-live': 'polite' }, error),
  );
}

/** Says what is wrong with the words under the header's box (or clears it). */
export function showSearchError(message: string | undefined): void {
  const error = document.getElementById(SEARCH_ERROR_ID);
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (!error || !input) return;
  error.hidden = !message;
  error.textContent = message ?? '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/**
 * The phone's button for the search box, which folds behind it as the menu does behind its own;
 * on the results page the box is open (it holds the words searched for).
 */
export function searchToggle(header: HTMLElement, path: string): HTMLButtonElement {
  header.classList.toggle('search-open', path === SEARCH_PATH);
  return h(
    'button',
    {
      type: 'button',
      class: 'search-toggle',
      'aria-expanded': String(path === SEARCH_PATH),
      'aria-controls': SEARCH_FORM_ID,
      onclick: () => (header.classList.contains('search-open') ? setSearchOpen(header, false) : focusSearch()),
    },
    h('span', { class: 'search-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'visually-hidden' }, t('searchLabel')),
  );
}

function setSearchOpen(header: Element, open: boolean): void {
  header.classList.toggle('search-open', open);
  header.querySelector('.search-toggle')?.setAttribute('aria-expanded', String(open));
}

/** Puts the cursor in the header's search box, opening it on a phone (the `/` key, the phone's button, a link to it). */
export function focusSearch(): void {
  const input = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
  const header = input?.closest('.site-header');
  if (header) setSearchOpen(header, true);
  input?.focus();
  input?.select();
}
