/**
 * 消息: what the person was told (a new item to do, a chase, a decision on their request), newest
 * first, unread ones marked; each opens its item and is marked read as it is opened.
 */
import { get, idempotencyKey, post } from '../api.ts';
import { h, notice } from '../dom.ts';
import { formatDateTime, lang, localize, t } from '../i18n.ts';
import type { PageContext } from '../main.ts';
import { currentCounts, refreshUnread, setCounts } from '../nav.ts';
import type { Page } from '../types.ts';
import { errorState } from './lists.ts';

/** A notification as GET /api/notifications answers it. */
export interface Message {
  readonly id: string;
  readonly caseId?: string;
  readonly title: string;
  /** The title in each language where the system wrote it (a digest's heading). */
  readonly heading?: { readonly zh: string; readonly en: string };
  /** What happened (`to-do`, `completed`, `overdue`, `digest`, …); absent on ones stored before it was kept. */
  readonly code?: string;
  /** The message in each language; absent on ones stored before it was kept. */
  readonly text?: { readonly zh: string; readonly en: string };
  /** Both languages in one line ("中文。English."). */
  readonly message: string;
  readonly at: string;
  readonly kind: 'info' | 'chase' | 'digest';
  readonly link?: string;
  readonly read: boolean;
}

/**
 * The message in the current language: the API's `text` in it. One stored before `text` was kept
 * is written "中文。English." around the item's title; the title is taken out before the halves are
 * split, so a title's own brackets or full stops (“（2026）1号”) cannot be taken for the seam.
 */
export function messageText(m: Pick<Message, 'title' | 'message' | 'text'>): string {
  if (m.text) return m.text[lang()];
  const mark = '\u2063';
  const held = m.title ? m.message.split(m.title).join(mark) : m.message;
  return localize(held).split(mark).join(m.title);
}

/** Where a message leads, only ever within the web form. */
function target(m: Message): string | undefined {
  const link = m.link ?? (m.caseId ? `/cases/${encodeURIComponent(m.caseId)}` : undefined);
  return link && link.startsWith('/') && !link.startsWith('//') ? link : undefined;
}

async function markRead(ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) await post('/api/notifications/read', { ids: ids.slice(i, i + 100) }, { 'Idempotency-Key': idempotencyKey() });
}

export async function messagesView({ main, query }: PageContext): Promise<void> {
  const unreadOnly = query.get('unread') === 'true';
  const status = h('div', { class: 'status-area', 'aria-live': 'polite' });
  const list = h('ul', { class: 'message-list' });
  const empty = h('p', { class: 'empty', hidden: true }, t('messagesEmpty'));
  const more = h('button', { type: 'button', hidden: true }, t('loadMore'));
  const shown: Message[] = [];
  let cursor: string | undefined;

  const markAll = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        const ids = shown.filter((m) => !m.read).map((m) => m.id);
        if (ids.length === 0) return;
        markAll.disabled = true;
        try {
          await markRead(ids);
          for (const item of list.querySelectorAll<HTMLElement>('.message.unread')) setItemRead(item);
          shown.forEach((m, i) => (shown[i] = { ...m, read: true }));
          status.replaceChildren(notice('success', t('markedAllRead')));
          await refreshUnread(true);
        } catch (error) {
          status.replaceChildren(errorState(error));
        } finally {
          markAll.disabled = false;
        }
      },
    },
    t('markAllRead'),
  );

  const item = (m: Message): HTMLElement => {
    const href = target(m);
    const heading = m.heading ? m.heading[lang()] : m.title;
    const title = href
      ? h(
          'a',
          {
            href,
            class: 'message-title',
            // Opening it reads it; the page goes on to the item meanwhile.
            onclick: () => {
              if (m.read) return;
              const li = (link as HTMLElement).closest<HTMLElement>('.message');
              if (li) setItemRead(li);
              setCounts({ unread: Math.max(0, (currentCounts().unread ?? 1) - 1) });
              void markRead([m.id]).catch(() => undefined);
            },
          },
          heading,
        )
      : h('span', { class: 'message-title' }, heading);
    const link = title;
    return h(
      'li',
      { class: `message message-${m.kind}${m.read ? '' : ' unread'}`, 'data-id': m.id },
      h('div', { class: 'message-head' }, m.read ? null : h('span', { class: 'badge badge-unread' }, t('unread')), m.kind !== 'info' ? h('span', { class: `badge badge-${m.kind}` }, t(`messageKind_${m.kind}`)) : null, title),
      h('p', { class: 'message-text' }, messageText(m)),
      h('p', { class: 'message-meta muted small' }, h('time', { datetime: m.at }, formatDateTime(m.at))),
    );
  };

  const load = async () => {
    more.disabled = true;
    try {
      const page = await get<Page<Message>>(`/api/notifications?limit=30${unreadOnly ? '&unread=true' : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      shown.push(...page.items);
      list.append(...page.items.map(item));
      cursor = page.next;
      more.hidden = !cursor;
      empty.hidden = shown.length > 0;
    } catch (error) {
      status.replaceChildren(errorState(error));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  await load();
  void refreshUnread(true);

  main.append(
    h('h1', null, t('messagesTitle')),
    h(
      'div',
      { class: 'toolbar' },
      h(
        'nav',
        { class: 'segmented', 'aria-label': t('messagesTitle') },
        h('a', { href: '/messages', class: 'button-like', 'aria-current': unreadOnly ? undefined : 'page' }, t('messagesAll')),
        h('a', { href: '/messages?unread=true', class: 'button-like', 'aria-current': unreadOnly ? 'page' : undefined }, t('messagesUnreadOnly')),
      ),
      markAll,
    ),
    status,
    list,
    empty,
    more,
  );
}

function setItemRead(li: HTMLElement): void {
  li.classList.remove('unread');
  li.querySelector('.badge-unread')?.remove();
}
