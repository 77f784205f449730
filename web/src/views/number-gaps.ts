/**
 * 断号报告 on the archive page: for each number sequence of a year (发文字号, 收文号, 件号), the
 * range given, how many were used, voided and are missing, the gaps, and every void with its
 * reason, who voided it and when. Read when asked (an org of many departments has many counters);
 * exported as XLSX or printed on A4 on its own.
 */
import { download, get } from '../api.ts';
import { h, uid } from '../dom.ts';
import { formatDateTime, listSeparator, t, txt } from '../i18n.ts';
import { printPart } from '../print.ts';
import type { NumberGapsReport } from '../types.ts';
import { errorState } from './lists.ts';

type Sequence = NumberGapsReport['sequences'][number];

const range = (from: number, to: number) => (from === to ? String(from) : `${from}–${to}`);

export function gapsSection(year: number): HTMLElement {
  const headingId = uid('gaps');
  const body = h('div', { class: 'gaps-body', 'aria-live': 'polite' });
  const problem = h('div', { 'aria-live': 'polite' });
  const show = h('button', { type: 'button', 'data-gaps': 'show', onclick: () => void load() }, t('gapsShow'));
  const exportButton = h(
    'button',
    {
      type: 'button',
      'data-export': 'gaps-xlsx',
      onclick: async () => {
        exportButton.disabled = true;
        problem.replaceChildren();
        try {
          await download(`/api/archive/gaps?year=${year}&format=xlsx`, `断号报告-${year}.xlsx`);
        } catch (error) {
          problem.replaceChildren(errorState(error));
        } finally {
          exportButton.disabled = false;
        }
      },
    },
    t('exportXlsxFile'),
  );
  const heading = h('h2', { id: headingId }, t('gapsReportTitle', { year }));
  const section = h('section', { class: 'card', id: 'archive-gaps', 'aria-labelledby': headingId });
  const printButton = h('button', { type: 'button', hidden: true, onclick: () => printPart(section, `${t('archiveTitle')}　${t('gapsReportTitle', { year })}`) }, t('print'));

  const load = async () => {
    show.disabled = true;
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(h('p', { class: 'loading' }, t('loading')));
    try {
      const report = await get<NumberGapsReport>(`/api/archive/gaps?year=${year}`);
      body.replaceChildren(...drawGaps(report));
      printButton.hidden = report.sequences.length === 0;
    } catch (error) {
      body.replaceChildren(errorState(error));
    } finally {
      show.disabled = false;
      body.removeAttribute('aria-busy');
    }
  };

  section.append(heading, h('p', { class: 'field-help' }, t('gapsHelp')), h('div', { class: 'toolbar no-print' }, show, exportButton, printButton), problem, body);
  return section;
}

function drawGaps(report: NumberGapsReport): HTMLElement[] {
  if (report.sequences.length === 0) return [h('p', { class: 'empty' }, t('gapsEmpty', { year: report.year }))];
  const heads = [t('colSequence'), t('colRange'), t('colUsed'), t('colVoided'), t('colMissing')];
  return [
    h('p', null, h('strong', { class: report.total.gaps ? 'status-rejected' : undefined }, t('gapsTotal', report.total))),
    h(
      'table',
      { class: 'data-table gaps-table' },
      h('caption', { class: 'visually-hidden' }, t('gapsReportTitle', { year: report.year })),
      h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        null,
        report.sequences.map((s) =>
          h(
            'tr',
            { 'data-sequence': s.kind },
            h('td', { 'data-label': heads[0] }, txt(s.label)),
            h('td', { 'data-label': heads[1] }, s.first === undefined ? `–${s.last}` : range(s.first, s.last)),
            h('td', { 'data-label': heads[2] }, String(s.used)),
            h('td', { 'data-label': heads[3] }, String(s.voided)),
            h('td', { 'data-label': heads[4] }, s.missing ? h('span', { class: 'status status-rejected' }, String(s.missing)) : '0'),
          ),
        ),
      ),
    ),
    ...report.sequences.filter((s) => s.gaps.length > 0 || s.voids.length > 0).map(sequenceDetail),
  ];
}

/** A sequence with gaps or voids: the gaps on one line, the voids as a table. */
function sequenceDetail(s: Sequence): HTMLElement {
  const heads = [t('colNumberShort'), t('colVoidReason'), t('colVoidBy'), t('colVoidAt')];
  return h(
    'div',
    { class: 'card gaps-detail', 'data-sequence': s.kind },
    h('h3', null, txt(s.label)),
    s.gaps.length ? h('p', null, t('gapsMissing', { list: s.gaps.map((g) => range(g.from, g.to)).join(listSeparator()) })) : null,
    s.voids.length
      ? h(
          'table',
          { class: 'data-table voids-table' },
          h('caption', null, t('gapsVoids')),
          h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            null,
            s.voids.map((v) =>
              h(
                'tr',
                null,
                h('td', { 'data-label': heads[0] }, v.number || String(v.sequence)),
                h('td', { 'data-label': heads[1] }, v.reason ?? ''),
                h('td', { 'data-label': heads[2] }, v.by === 'system' ? t('systemActor') : (v.byName ?? v.by ?? '')),
                h('td', { 'data-label': heads[3] }, formatDateTime(v.at)),
              ),
            ),
          ),
        )
      : null,
  );
}
