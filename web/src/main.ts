/**
 * The web form: one page that routes by path (/ 待办, /cases/{id}, /new/{type}, /search, /dashboard …),
 * renders plain DOM and talks to the same API as everything else.
 */
import { whenUnauthenticated } from './api.ts';
import { currentSession, finishCognitoLogin, signOut } from './auth.ts';
import { config, loadConfig } from './config.ts';
import { hasRole, loadMe, meIfKnown, resetDirectory } from './directory.ts';
import { h, notice } from './dom.ts';
import { colon, lang, localize, type MessageKey, setLang, t } from './i18n.ts';
import { setPrintMargins } from './print.ts';
import * as inbox from './views/lists.ts';
import { currentCounts, focusSearch, navigate, onCounts, refreshInboxCount, refreshUnread, requireLogin, resetCounts, searchBox, searchToggle, setRenderer, type Counts } from './nav.ts';

/** What a page gets: where to render, the path's parameters and its query. */
export interface PageContext {
  readonly main: HTMLElement;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
}

/** A page of the web form: its address, its menu entry, and its view, a module loaded when first opened. */
interface Route {
  readonly path: RegExp;
  readonly nav: MessageKey | undefined;
  readonly load: () => Promise<unknown>;
  readonly draw: (ctx: PageContext) => Promise<void>;
}

function route<View>(path: RegExp, nav: MessageKey | undefined, load: () => Promise<View>, draw: (view: View, ctx: PageContext) => Promise<void>): Route {
  return { path, nav, load, draw: async (ctx) => draw(await load(), ctx) };
}

// The inbox is the page most people open first: its view is in the entry script, not a chunk of its own.
const lists = async () => inbox;
const newRequest = () => import('./views/new-request.ts');
const registers = () => import('./views/registers.ts');

const pages: readonly Route[] = [
  route(/^\/$/, 'navInbox', lists, (v, ctx) => v.inboxView(ctx, 'sign')),
  route(/^\/read$/, 'navRead', lists, (v, ctx) => v.inboxView(ctx, 'read')),
  route(/^\/done$/, 'navDone', lists, (v, ctx) => v.caseListView(ctx, 'done')),
  route(/^\/mine$/, 'navMine', lists, (v, ctx) => v.caseListView(ctx, 'mine')),
  route(/^\/new$/, 'navNew', newRequest, (v, ctx) => v.chooseProcessView(ctx)),
  route(/^\/new\/([a-z0-9-]+)$/, 'navNew', newRequest, (v, ctx) => v.newRequestView(ctx)),
  route(/^\/cases\/([A-Za-z0-9-]+)$/, undefined, () => import('./views/case.ts'), (v, ctx) => v.casePage(ctx)),
  route(/^\/registers$/, 'navRegisters', registers, (v, ctx) => v.registersView(ctx)),
  route(/^\/registers\/([A-Za-z0-9-]+)$/, 'navRegisters', registers, (v, ctx) => v.registerView(ctx)),
  route(/^\/dashboard$/, 'navDashboard', () => import('./views/dashboard.ts'), (v, ctx) => v.dashboardView(ctx)),
  route(/^\/archive$/, 'navArchive', () => import('./views/archive.ts'), (v, ctx) => v.archiveView(ctx)),
  route(/^\/search$/, undefined, () => import('./views/search.ts'), (v, ctx) => v.searchView(ctx)),
  route(/^\/messages$/, 'navMessages', () => import('./views/messages.ts'), (v, ctx) => v.messagesView(ctx)),
  route(/^\/login$/, undefined, () => import('./views/login.ts'), (v, ctx) => v.loginView(ctx)),
];

/** The top menu; 待办 and 待阅 carry their counts; an entry with roles is shown only to those who hold one. */
const NAV: readonly [string, MessageKey, keyof Counts | undefined, (readonly string[])?][] = [
  ['/', 'navInbox', 'sign'],
  ['/read', 'navRead', 'read'],
  ['/done', 'navDone', undefined],
  ['/mine', 'navMine', undefined],
  ['/new', 'navNew', undefined],
  ['/registers', 'navRegisters', undefined],
  ['/dashboard', 'navDashboard', undefined],
  // 四性检测 and 移交: the API refuses everyone else (check-archive.ts ARCHIVE_ROLES).
  ['/archive', 'navArchive', undefined, ['archivist', 'office-director', 'admin', 'confidential-clerk']],
];

/** Shows the menu entries kept for some roles to the person who holds one (hidden until the person is read). */
function showEntriesByRole(): void {
  const me = meIfKnown();
  // Shown to those who hold a role; taken out of the menu for everyone else (not kept hidden in it).
  for (const item of document.querySelectorAll<HTMLElement>('[data-roles]')) {
    if (hasRole(me, item.dataset.roles!.split(' '))) item.hidden = false;
    else item.remove();
  }
}

let renderCount = 0;

/** A count badge, kept current by updateBadges() as the counts change. */
function badge(which: 'sign' | 'read' | 'unread'): HTMLElement {
  const element = h('span', { class: 'count', 'data-count': which });
  fillBadge(element, currentCounts());
  return element;
}

function fillBadge(element: HTMLElement, counts: Counts): void {
  const which = element.dataset.count as 'sign' | 'read' | 'unread';
  const n = counts[which] ?? 0;
  element.hidden = n === 0;
  // Read with its link as "待办 3 项" / "消息 2 条未读": the number and, for screen readers, what it counts.
  const more = which === 'unread' ? counts.unreadMore : counts.tasksMore;
  element.replaceChildren(n === 0 ? '' : more ? `${n}+` : String(n), n === 0 ? '' : h('span', { class: 'visually-hidden' }, t(which === 'unread' ? 'unreadUnit' : 'itemUnit')));
}

function updateBadges(counts: Counts): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-count]')) fillBadge(element, counts);
  const menu = document.querySelector<HTMLElement>('.menu-button [data-menu-count]');
  if (menu) {
    const n = (counts.sign ?? 0) + (counts.read ?? 0);
    menu.hidden = n === 0;
    menu.textContent = n === 0 ? '' : String(n);
  }
}

function header(path: string): HTMLElement {
  const session = currentSession();
  const nav = session
    ? h(
        'nav',
        { class: 'main-nav', 'aria-label': t('mainNav') },
        h(
          'ul',
          null,
          NAV.filter(([, , , roles]) => !roles || !meIfKnown() || hasRole(meIfKnown(), roles)).map(([href, key, count, roles]) => {
            const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
            const attrs = roles ? { 'data-roles': roles.join(' '), hidden: !hasRole(meIfKnown(), roles) } : null;
            return h('li', attrs, h('a', { href, 'aria-current': active ? 'page' : undefined }, h('span', { class: 'nav-label' }, t(key)), count ? badge(count as 'sign' | 'read') : null));
          }),
        ),
      )
    : null;
  const langButton = h(
    'button',
    {
      type: 'button',
      class: 'link-button lang-switch',
      lang: lang() === 'zh' ? 'en' : 'zh-CN',
      title: t('switchLangLabel'),
      onclick: () => {
        setLang(lang() === 'zh' ? 'en' : 'zh');
        void render({ keepFocus: true });
      },
    },
    t('switchLang'),
  );
  const account = h(
    'div',
    { class: 'account' },
    session ? h('span', { class: 'who' }, h('span', { class: 'visually-hidden' }, `${t('signedInAs')}${colon()}`), session.name) : null,
    session
      ? h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            onclick: () => {
              resetDirectory();
              resetCounts();
              signOut();
              if (config().auth.mode === 'dev') navigate('/login');
            },
          },
          config().auth.mode === 'dev' ? t('switchUser') : t('signOut'),
        )
      : null,
    langButton,
  );
  const headerElement: HTMLElement = h('header', { class: 'site-header' });
  const searchButton = session ? searchToggle(headerElement, path) : null;
  // On a phone the menu folds behind one button, so the header stays one row.
  const menuButton = session
    ? h(
        'button',
        {
          type: 'button',
          class: 'menu-button',
          'aria-expanded': 'false',
          'aria-controls': 'site-menu',
          onclick: () => {
            const open = !headerElement.classList.contains('menu-open');
            headerElement.classList.toggle('menu-open', open);
            menuButton!.setAttribute('aria-expanded', String(open));
            if (open) headerElement.querySelector<HTMLElement>('#site-menu a')?.focus();
          },
        },
        h('span', { class: 'menu-icon', 'aria-hidden': 'true' }),
        t('menu'),
        h('span', { class: 'count', 'data-menu-count': '', hidden: true }),
      )
    : null;
  const messages = session ? h('a', { href: '/messages', class: 'messages-link', 'aria-current': path === '/messages' ? 'page' : undefined }, h('span', { class: 'bell', 'aria-hidden': 'true' }), h('span', { class: 'nav-label' }, t('navMessages')), badge('unread')) : null;
  // Esc closes the open menu and gives the focus back to its button.
  headerElement.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !headerElement.classList.contains('menu-open')) return;
    headerElement.classList.remove('menu-open');
    menuButton?.setAttribute('aria-expanded', 'false');
    menuButton?.focus();
  });
  headerElement.append(
    h('a', { class: 'skip-link', href: '#main' }, t('skipToContent')),
    h('div', { class: 'brand' }, h('a', { href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '办'), h('span', null, t('appName'))), h('span', { class: 'tagline' }, t('appTagline'))),
    h('div', { class: 'header-tools' }, searchButton, messages, menuButton),
    ...(session ? [searchBox(path, new URLSearchParams(location.search))] : []),
    h('div', { class: 'site-menu', id: 'site-menu' }, nav, account),
  );
  return headerElement;
}

/** An address that is no page of the web form: said in the app's own words, with ways back. */
function notFoundView(main: HTMLElement, path: string): void {
  main.append(
    h('h1', null, t('pageNotFound')),
    h('p', null, t('pageNotFoundHelp', { path })),
    h('ul', { class: 'way-back' }, h('li', null, h('a', { href: '/', class: 'button-like' }, t('backToInbox'))), h('li', null, h('a', { href: '/new', class: 'button-like' }, t('navNew')))),
  );
}

/** Renders the page the address names. */
async function render(options: { keepFocus?: boolean } = {}): Promise<void> {
  const count = ++renderCount;
  const path = location.pathname;
  const root = document.getElementById('app')!;
  if (!currentSession() && path !== '/login') return requireLogin();
  const match = pages.map((page) => ({ m: page.path.exec(path), nav: page.nav, page: page.draw })).find((x) => x.m);
  const main = h('main', { id: 'main', tabindex: -1 });
  root.replaceChildren(header(path), main);
  setPrintMargins(t('appName'));
  document.body.classList.remove('print-slip');
  if (!match) {
    notFoundView(main, path);
    document.title = `${t('pageNotFound')} · ${t('appName')}`;
    if (count > 1) main.querySelector('h1')?.setAttribute('tabindex', '-1');
    if (count > 1) main.querySelector<HTMLElement>('h1')?.focus();
    return;
  }
  void refreshUnread();
  if (currentSession() && !meIfKnown()) void loadMe().then(showEntriesByRole, () => undefined);
  main.append(h('p', { class: 'loading', role: 'status' }, t('loading')));
  document.title = `${match.nav ? t(match.nav) : ''}${match.nav ? ' · ' : ''}${t('appName')}`;
  try {
    // The page draws into its own element, shown once it is ready (and redraws itself there later).
    const page = h('div', { class: 'page' });
    await match.page({ main: page, params: match.m!.slice(1), query: new URLSearchParams(location.search) });
    if (count !== renderCount) return; // a newer page replaced this one meanwhile
    main.replaceChildren(page);
  } catch (error) {
    if (count !== renderCount) return;
    main.replaceChildren(h('h1', null, t('loadFailed', { message: '' }).replace(/[：:]\s*$/, '')), notice('error', localize(error instanceof Error ? error.message : String(error))));
  }
  const heading = main.querySelector('h1');
  if (heading) document.title = `${heading.textContent} · ${t('appName')}`;
  // Moving focus to the new page's heading tells screen-reader users the page changed.
  if (!options.keepFocus && count > 1) (heading ?? main).setAttribute('tabindex', '-1');
  if (!options.keepFocus && count > 1) (heading ?? main).focus();
  if (options.keepFocus) root.querySelector<HTMLElement>('.lang-switch')?.focus();
}

async function boot(): Promise<void> {
  setLang(lang());
  const root = document.getElementById('app')!;
  // The page's module loads while config.json does (index.html preloads the inbox's).
  const signedIn = !!currentSession();
  pages.find((page) => page.path.test(signedIn ? location.pathname : '/login'))?.load().catch(() => undefined);
  try {
    await loadConfig();
  } catch {
    root.replaceChildren(h('main', { id: 'main' }, notice('error', t('errorNetwork'))));
    return;
  }
  onCounts(updateBadges);
  whenUnauthenticated(() => {
    resetDirectory();
    resetCounts();
    sessionStorage.setItem('bangong.expired', '1');
    requireLogin();
  });
  const auth = config().auth;
  if (auth.mode === 'cognito' && new URLSearchParams(location.search).has('code')) {
    try {
      const back = await finishCognitoLogin(auth);
      history.replaceState(null, '', back ?? '/');
    } catch (error) {
      root.replaceChildren(h('main', { id: 'main' }, notice('error', localize(error instanceof Error ? error.message : String(error)))));
      return;
    }
  }
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = link.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//') || link.target || link.hasAttribute('download')) return;
    event.preventDefault();
    navigate(href);
  });
  window.addEventListener('popstate', () => void render());
  // "/" puts the cursor in the search box, unless it is typed into a field.
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || !currentSession()) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
    event.preventDefault();
    focusSearch();
  });
  setRenderer(() => render());
  // The badges' counts are read beside the page, not after it (the inbox shares their request).
  void refreshInboxCount();
  await render();
}

void boot();
