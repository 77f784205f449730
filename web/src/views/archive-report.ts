/**
 * A 四性检测 report as the archivist reads it (DA/T 70-2018): the summary by property, the year's
 * checks of its numbering, then each item with every check, pass or fail and why — the failed
 * items first and open, the others folded to one line (their checks drawn when opened).
 */
import { download } from '../api.ts';
import { h, uid } from '../dom.ts';
import { formatDate, formatDateTime, localize, type MessageKey, t, txt } from '../i18n.ts';
import { printPart } from '../print.ts';
import type { Check, CheckReport, ItemReport, Property } from '../types.ts';
import { errorState } from './lists.ts';

/** The four properties in the standard's order. */
const PROPERTIES: readonly Property[] = ['authenticity', 'integrity', 'usability', 'security'];

const propertyName = (property: Property) => t(`property_${property}` as MessageKey);

/** ✓ 通过 or ✗ 不通过: the mark is decoration, the word is what is read. */
export function passMark(pass: boolean): HTMLElement {
  return h('span', { class: `status ${pass ? 'status-completed' : 'status-rejected'}` }, h('span', { 'aria-hidden': 'true' }, pass ? '✓ ' : '✗ '), pass ? t('checkPassed') : t('checkFailed'));
}

/** Checks as a table: result, property, what was checked, the file, why. */
function checksTable(caption: string, checks: readonly Check[], options: { property?: boolean } = {}): HTMLTableElement {
  const showProperty = options.property ?? true;
  const heads = [t('colResult'), showProperty ? t('colProperty') : null, t('colCheck'), t('colFile'), t('colWhy')].filter((x): x is string => x !== null);
  return h(
    'table',
    { class: 'data-table check-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h(
      'tbody',
      null,
      checks.map((c) => {
        const cells = [passMark(c.pass), showProperty ? propertyName(c.property) : null, txt(c.name), c.file ?? '', c.why ? localize(c.why) : ''].filter((x) => x !== null);
        return h('tr', { 'data-check': c.id, 'data-pass': String(c.pass) }, cells.map((cell, k) => h('td', { 'data-label': heads[k] }, cell)));
      }),
    ),
  );
}

/**
 * One item: its number, title and outcome on one line; its checks below, open when it failed (or
 * when asked). A passed item's checks are drawn the first time it is opened.
 */
export function itemReport(item: ItemReport, options: { open?: boolean } = {}): HTMLElement {
  const failed = item.checks.filter((c) => !c.pass).length;
  const details = h(
    'details',
    { class: 'report-item', 'data-item': item.number, 'data-pass': String(item.pass), open: options.open ?? !item.pass },
    h('summary', null, passMark(item.pass), ' ', h('strong', null, item.number), ' ', item.title, h('span', { class: 'muted' }, ` · ${failed ? t('itemFailedChecks', { n: failed }) : t('itemAllPassed')}`)),
  );
  const fill = () => {
    if (details.open && details.childElementCount === 1) details.append(checksTable(`${item.number} ${item.title}`, item.checks));
  };
  details.addEventListener('toggle', fill);
  fill();
  return details;
}

/** The summary: items passed and failed, and each property's checks passed and failed. */
function summaryTable(report: CheckReport): HTMLElement {
  const heads = [t('colProperty'), t('reportChecksPassed'), t('reportChecksFailed')];
  return h(
    'table',
    { class: 'data-table stats-table summary-table' },
    h('caption', { class: 'visually-hidden' }, t('reportByProperty')),
    h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h(
      'tbody',
      null,
      PROPERTIES.map((p) => {
        const counts = report.summary.byProperty[p] ?? { pass: 0, fail: 0 };
        return h(
          'tr',
          { 'data-property': p },
          h('th', { scope: 'row' }, propertyName(p)),
          h('td', { 'data-label': heads[1] }, String(counts.pass)),
          h('td', { 'data-label': heads[2] }, counts.fail ? h('span', { class: 'status status-rejected' }, String(counts.fail)) : '0'),
        );
      }),
    ),
  );
}

/** A part of the report under its own heading, boxed apart from the next. */
function part(title: string, ...content: HTMLElement[]): HTMLElement {
  return h('div', { class: 'card report-part' }, h('h3', null, title), content);
}

/**
 * The whole report in `into`, with its own tools: 只看不通过, 导出 XLSX (the same report as a
 * spreadsheet, fetched with the token), 打印 (this report alone on A4) and 关闭.
 */
export function drawReport(into: HTMLElement, report: CheckReport, onClose: () => void): void {
  const path = `/api/archive/reports/${report.year}/${encodeURIComponent(report.id)}`;
  const title = t('reportTitle', { year: report.year, date: formatDate(report.at) });
  const headingId = uid('report-heading');
  const problem = h('div', { 'aria-live': 'polite' });
  const failedFirst = [...report.items].sort((a, b) => Number(a.pass) - Number(b.pass));
  const items = h('div', { class: 'report-items' }, failedFirst.map((item) => itemReport(item)));
  const noneFailed = h('p', { class: 'empty', hidden: true }, t('reportNoneFailed'));
  const onlyFailed = h('input', {
    type: 'checkbox',
    id: uid('only-failed'),
    onchange: () => {
      for (const item of items.querySelectorAll<HTMLElement>('.report-item[data-pass="true"]')) item.hidden = onlyFailed.checked;
      noneFailed.hidden = !onlyFailed.checked || report.summary.failed > 0;
    },
  });
  const exportButton = h(
    'button',
    {
      type: 'button',
      'data-export': 'report-xlsx',
      onclick: async () => {
        exportButton.disabled = true;
        problem.replaceChildren();
        try {
          await download(`${path}?format=xlsx`, `四性检测报告-${report.year}.xlsx`);
        } catch (error) {
          problem.replaceChildren(errorState(error));
        } finally {
          exportButton.disabled = false;
        }
      },
    },
    t('exportXlsxFile'),
  );
  const heading = h('h2', { id: headingId, tabindex: -1 }, title);
  into.setAttribute('aria-labelledby', headingId);
  into.replaceChildren(
    heading,
    h('p', { class: 'muted' }, t('reportMeta', { by: report.byName, at: formatDateTime(report.at), trigger: t(`trigger_${report.trigger}` as MessageKey) })),
    h(
      'div',
      { class: 'toolbar no-print' },
      h('label', { class: 'checkbox-label', for: onlyFailed.id }, onlyFailed, t('onlyFailed')),
      exportButton,
      h('button', { type: 'button', onclick: () => printPart(into, `${t('archiveTitle')}　${title}`) }, t('print')),
      h('button', { type: 'button', onclick: onClose }, t('close')),
    ),
    problem,
    h('p', { class: 'report-overall' }, h('strong', { class: report.summary.failed ? 'status-rejected' : undefined }, t('reportOverall', { items: report.summary.items, passed: report.summary.passed, failed: report.summary.failed }))),
    part(t('reportByProperty'), summaryTable(report)),
    part(t('reportSequences'), report.sequences.length ? checksTable(t('reportSequences'), report.sequences, { property: false }) : h('p', { class: 'empty' }, t('reportSequencesEmpty'))),
    part(
      t('reportItems'),
      ...(report.items.length ? [noneFailed, items] : [h('p', { class: 'empty' }, t('reportItemsEmpty'))]),
      // A big year comes a page at a time (failed items first): the whole is in the XLSX.
      ...(report.page && report.page.total > report.items.length ? [h('p', { class: 'muted' }, t('reportPartial', { shown: report.items.length, total: report.page.total }))] : []),
    ),
  );
  heading.focus();
}
