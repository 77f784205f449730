/**
 * The web form: one page that routes by path (/ 待办, /cases/{id}, /new/{type}, /dashboard …),
 * renders plain DOM and talks to the same API as everything else.
 */
import { whenUnauthenticated } from './api.ts';
import { currentSession, finishCognitoLogin, signOut } from './auth.ts';
import { config, loadConfig } from './config.ts';
import { resetDirectory } from './directory.ts';
import { h, notice } from './dom.ts';
import { lang, localize, setLang, t, type MessageKey } from './i18n.ts';
import { caseListView, inboxView } from './views/lists.ts';
import { casePage } from './views/case.ts';
import { chooseProcessView, newRequestView } from './views/new-request.ts';
import { loginView } from './views/login.ts';
import { registerView, registersView } from './views/registers.ts';
import { dashboardView } from './views/dashboard.ts';
import { inboxBadgeCount, navigate, refreshInboxCount, requireLogin, setRenderer } from './nav.ts';

/** What a page gets: where to render, the path's parameters and its query. */
export interface PageContext {
  readonly main: HTMLElement;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
}

type PageRenderer = (ctx: PageContext) => Promise<void>;

const pages: readonly [RegExp, MessageKey | undefined, PageRenderer][] = [
  [/^\/$/, 'navInbox', inboxView],
  [/^\/done$/, 'navDone', (ctx) => caseListView(ctx, 'done')],
  [/^\/mine$/, 'navMine', (ctx) => caseListView(ctx, 'mine')],
  [/^\/new$/, 'navNew', chooseProcessView],
  [/^\/new\/([a-z0-9-]+)$/, 'navNew', newRequestView],
  [/^\/cases\/([A-Za-z0-9-]+)$/, undefined, casePage],
  [/^\/registers$/, 'navRegisters', registersView],
  [/^\/registers\/([A-Za-z0-9-]+)$/, 'navRegisters', registerView],
  [/^\/dashboard$/, 'navDashboard', dashboardView],
  [/^\/login$/, undefined, loginView],
];

const NAV: readonly [string, MessageKey][] = [
  ['/', 'navInbox'],
  ['/done', 'navDone'],
  ['/mine', 'navMine'],
  ['/new', 'navNew'],
  ['/registers', 'navRegisters'],
  ['/dashboard', 'navDashboard'],
];

let renderCount = 0;

function header(path: string): HTMLElement {
  const session = currentSession();
  const nav = session
    ? h(
        'nav',
        { class: 'main-nav', 'aria-label': t('mainNav') },
        h(
          'ul',
          null,
          NAV.map(([href, key]) => {
            const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
            return h(
              'li',
              null,
              h(
                'a',
                { href, 'aria-current': active ? 'page' : undefined },
                t(key),
                href === '/' ? h('span', { id: 'inbox-count', class: 'count', hidden: !inboxBadgeCount() }, inboxBadgeCount() ? String(inboxBadgeCount()) : '') : null,
              ),
            );
          }),
        ),
      )
    : null;
  return h(
    'header',
    { class: 'site-header' },
    h('a', { class: 'skip-link', href: '#main' }, t('skipToContent')),
    h('div', { class: 'brand' }, h('a', { href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '办'), h('span', null, t('appName'))), h('span', { class: 'tagline' }, t('appTagline'))),
    h(
      'div',
      { class: 'user-bar' },
      session ? h('span', { class: 'who' }, h('span', { class: 'visually-hidden' }, `${t('signedInAs')}：`), session.name) : null,
      session
        ? h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                resetDirectory();
                signOut();
                if (config().auth.mode === 'dev') navigate('/login');
              },
            },
            config().auth.mode === 'dev' ? t('switchUser') : t('signOut'),
          )
        : null,
      h(
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
      ),
    ),
    nav,
  );
}

/** Renders the page the address names. */
async function render(options: { keepFocus?: boolean } = {}): Promise<void> {
  const count = ++renderCount;
  const path = location.pathname;
  const root = document.getElementById('app')!;
  if (!currentSession() && path !== '/login') return requireLogin();
  const match = pages.map(([pattern, nav, page]) => ({ m: pattern.exec(path), nav, page })).find((x) => x.m);
  const main = h('main', { id: 'main', tabindex: -1 });
  root.replaceChildren(header(path), main);
  if (!match) {
    main.append(h('h1', null, t('pageNotFound')), h('p', null, h('a', { href: '/' }, t('backToInbox'))));
    return;
  }
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
  try {
    await loadConfig();
  } catch {
    root.replaceChildren(h('main', { id: 'main' }, notice('error', t('errorNetwork'))));
    return;
  }
  whenUnauthenticated(() => {
    resetDirectory();
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
  setRenderer(() => render());
  await render();
  void refreshInboxCount();
}

void boot();
