/** Moving between pages without reloading, and the inbox badge in the navigation. */
import { get } from './api.ts';
import { currentSession } from './auth.ts';
import type { Page, Task } from './types.ts';

const RETURN_KEY = 'bangong.returnTo';
let render: () => Promise<void> = async () => {};
let inboxCount: number | undefined;

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

export function inboxBadgeCount(): number | undefined {
  return inboxCount;
}

export function setInboxCount(count: number): void {
  inboxCount = count;
  const badge = document.getElementById('inbox-count');
  if (badge) {
    badge.textContent = count > 0 ? String(count) : '';
    badge.hidden = count === 0;
  }
}

/** Refreshes the badge after anything that may change the inbox. */
export async function refreshInboxCount(): Promise<void> {
  if (!currentSession()) return;
  try {
    setInboxCount((await get<Page<Task>>('/api/tasks?limit=100')).items.length);
  } catch {
    // The badge is a convenience; the inbox page itself reports errors.
  }
}
