/** The case's heading and the line under it: status, process, number, applicant, dates. */
import { typeName } from '../../directory.ts';
import { h } from '../../dom.ts';
import { colon, formatDateTime, t, txt } from '../../i18n.ts';
import type { CaseView, DefinitionSummary } from '../../types.ts';

export function caseHead(c: CaseView, summaries: readonly DefinitionSummary[]): HTMLElement {
  // tabindex so focus can be put on the heading after a decision (not left on <body>).
  return h('div', { class: 'case-head' }, h('h1', { tabindex: -1 }, c.title), meta(c, summaries));
}

function meta(c: CaseView, summaries: readonly DefinitionSummary[]): HTMLElement {
  return h(
    'p',
    { class: 'case-meta' },
    h('span', { class: `status status-${c.status}` }, t(`status_${c.status}`)),
    h('span', null, txt(c.typeName) || typeName(summaries, c.type)),
    c.number ? h('span', null, `${t('caseNumber')}${colon()}${c.number}`) : null,
    h('span', null, `${t('caseApplicant')}${colon()}${c.applicant.name}`),
    h('span', null, `${t('caseCreated')}${colon()}${formatDateTime(c.createdAt)}`),
    c.closedAt ? h('span', null, `${t('caseClosed')}${colon()}${formatDateTime(c.closedAt)}`) : null,
    c.filedAt ? h('span', null, `${t('caseFiled')}${colon()}${formatDateTime(c.filedAt)}`) : null,
  );
}
