/** Moving between pages without reloading, and the counts in the header: 待办, 待阅 and unread messages. */
import { get } from './api.ts';
import { currentSession } from './auth.ts';
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
