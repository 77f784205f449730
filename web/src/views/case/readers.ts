/**
 * 传阅/抄送: who it went to and who has read it ("已阅 1/2，未阅：黄丽"), so whoever sent it
 * round knows where it is (条例 第二十四条: 传阅 without 漏传、误传、延误).
 */
import { personName } from '../../directory.ts';
import { h, type Child } from '../../dom.ts';
import { formatDateTime, formatDayMonth, lang, t } from '../../i18n.ts';
import type { CaseView, Org } from '../../types.ts';
import { section } from './host.ts';
import { nameOf } from './names.ts';

export function readersSection(c: CaseView, org: Org | undefined): Child {
  const readers = c.readers ?? [];
  if (readers.length === 0) return null;
  const read = readers.filter((r) => r.readAt);
  const unread = readers.filter((r) => !r.readAt);
  // The name in the current language where the org chart has the person, else as the API gave it.
  const name = (r: (typeof readers)[number]) => nameOf(org, r.id, r.name);
  const names = (list: typeof readers) => list.map(name).join(lang() === 'zh' ? '、' : ', ');
  return section(
    t('readersTitle'),
    'case-readers',
    h(
      'p',
      { class: 'readers-summary' },
      h('strong', null, t('readersSummary', { read: read.length, total: readers.length })),
      lang() === 'zh' ? '，' : '. ',
      unread.length ? t('readersUnread', { names: names(unread) }) : t('readersAllRead'),
    ),
    h(
      'ul',
      { class: 'readers' },
      readers.map((r) =>
        h(
          'li',
          { class: r.readAt ? 'reader read' : 'reader unread' },
          h('span', { class: 'reader-name' }, name(r)),
          h('span', { class: 'muted small' }, ` ${t(r.kind === 'copy' ? 'readerKind_copy' : 'readerKind_circulate')} · `),
          r.readAt ? h('span', { class: 'small' }, h('time', { datetime: r.readAt }, t('readAt', { at: formatDateTime(r.readAt) }))) : h('span', { class: 'small reader-pending' }, t('notReadYet')),
          sentBy(r, org) ? h('span', { class: 'muted small reader-sent' }, ' · ', t('readerSentBy', sentBy(r, org)!)) : null,
        ),
      ),
    ),
  );
}

/**
 * Who put a reader on the case and when ("周涛 11月26日 送阅"). The case view is to carry them
 * (`addedByName`, `addedAt`, kept on the record since the API's last change); shown when it does,
 * the name in the current language where the view gives the person's id (`addedBy`) too.
 */
function sentBy(reader: object, org: Org | undefined): { name: string; at: string } | undefined {
  const r = reader as { readonly addedBy?: string; readonly addedByName?: string; readonly addedAt?: string };
  if (!r.addedByName || !r.addedAt) return undefined;
  const name = r.addedBy && org?.people.some((p) => p.id === r.addedBy) ? personName(org, r.addedBy) : r.addedByName;
  return { name, at: formatDayMonth(r.addedAt) };
}
