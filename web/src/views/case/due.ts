/** The due time of an open case with how it was reached: rule, start, skipped days, any extension. */
import { h, type Child } from '../../dom.ts';
import { actionName, colon, formatDateTime, lang, localize, t, txt } from '../../i18n.ts';
import type { CaseView, Definition, HumanStep } from '../../types.ts';
import { dueBadge } from '../lists.ts';
import { section } from './host.ts';
import { fieldDef } from './names.ts';

export function dueSection(c: CaseView, definition: Definition | undefined): Child {
  if (c.status !== 'open' || !c.dueAt) return null;
  const due = c.due;
  return section(
    t('caseDue'),
    'case-due',
    h('p', { class: 'due-at' }, h('time', { datetime: c.dueAt }, formatDateTime(c.dueAt)), ' ', dueBadge(c.dueAt)),
    due
      ? h(
          'dl',
          { class: 'due-explain' },
          h('dt', null, t('dueRule')),
          h('dd', null, txt(due.rule)),
          h('dt', null, t('dueStart')),
          h('dd', null, formatDateTime(due.start), dueFrom(definition, due.from)),
          due.skipped.length
            ? [h('dt', null, t('dueSkipped')), h('dd', null, h('ul', { class: 'skipped' }, due.skipped.map((d) => h('li', null, `${d.date}${colon()}${d.text ? txt(d.text) : localize(d.reason)}`))))]
            : null,
          due.extension ? [h('dt', null, actionName('extend')), h('dd', null, t('dueExtension', { days: due.extension.days, reason: due.extension.reason, by: due.extension.byName }))] : null,
        )
      : null,
  );
}

/**
 * What the due time counts from, by its name: a field's label (收文日期) or the event a step marks
 * (登记), never the code name (receivedOn) the definition uses.
 */
function dueFrom(definition: Definition | undefined, from: string | undefined): string {
  const name = fromName(definition, from);
  return name ? (lang() === 'zh' ? `（${name}）` : ` (${name})`) : '';
}

function fromName(definition: Definition | undefined, from: string | undefined): string {
  if (!from) return '';
  const field = fieldDef(definition, from);
  const marked = definition?.steps.find((s) => s.type !== 'auto' && (s as HumanStep).marks?.event === from) as HumanStep | undefined;
  return field ? txt(field.label) : marked?.marks ? txt(marked.marks.label) : '';
}
