/**
 * 日志存证核验 on the archive page (the admin, the archivist): over up to 31 days, whether each
 * day's digest of trail chain heads was written and chains to the one before, how many cases it
 * names, and each case whose trail no longer matches, with where it breaks. A check that ran out
 * of time says the day it stopped at and goes on from there when asked.
 */
import { ApiError, get } from '../api.ts';
import { h, simpleField, uid } from '../dom.ts';
import { localize, t } from '../i18n.ts';
import type { RangeCheck, TrailVerification } from '../types.ts';
import { errorState } from './lists.ts';
import { brokenAt } from './verify-trail.ts';

/** The longest period one check covers (trail-digest.ts RANGE_DAYS). */
const RANGE_DAYS = 31;
const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function trailCheckSection(today: string): HTMLElement {
  const headingId = uid('trail-check');
  const fromInput = h('input', { type: 'date', id: 'trail-from', name: 'from', value: shiftDay(today, -6), max: today, required: true });
  const toInput = h('input', { type: 'date', id: 'trail-to', name: 'to', value: today, max: today, required: true });
  const from = simpleField(t('dateFrom'), fromInput);
  const to = simpleField(t('dateTo'), toInput);
  const fields = { from, to } as const;
  const inputs = { from: fromInput, to: toInput } as const;
  const button = h('button', { type: 'submit' }, t('trailCheckRun'));
  const result = h('div', { class: 'trail-check-result', 'aria-live': 'polite' });

  const problemIn = (values: { from: string; to: string }): { field: 'from' | 'to'; message: string } | undefined => {
    if (!values.from) return { field: 'from', message: t('dateRequired') };
    if (!values.to) return { field: 'to', message: t('dateRequired') };
    if (dayNumber(values.to) < dayNumber(values.from)) return { field: 'to', message: t('dateOrder') };
    if (dayNumber(values.to) - dayNumber(values.from) >= RANGE_DAYS) return { field: 'to', message: t('dateSpan') };
    return undefined;
  };

  const run = async (values: { from: string; to: string }) => {
    from.setError(undefined);
    to.setError(undefined);
    const problem = problemIn(values);
    if (problem) {
      fields[problem.field].setError(problem.message);
      inputs[problem.field].focus();
      return;
    }
    button.disabled = true;
    button.textContent = t('trailCheckRunning');
    result.setAttribute('aria-busy', 'true');
    try {
      const check = await get<RangeCheck>(`/api/admin/trail-check?${new URLSearchParams(values)}`);
      result.replaceChildren(...drawCheck(check, (next) => void run({ from: next, to: check.to })));
    } catch (error) {
      // A date the API refuses is said under its field; anything else under the form.
      const field = error instanceof ApiError && (error.field === 'from' || error.field === 'to') ? error.field : undefined;
      if (field) {
        fields[field].setError(localize((error as ApiError).message));
        inputs[field].focus();
        result.replaceChildren();
      } else {
        result.replaceChildren(errorState(error));
      }
    } finally {
      button.disabled = false;
      button.textContent = t('trailCheckRun');
      result.removeAttribute('aria-busy');
    }
  };

  const form = h(
    'form',
    {
      class: 'trail-check-form',
      novalidate: true,
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        void run({ from: fromInput.value, to: toInput.value });
      },
    },
    h('div', { class: 'field-pair' }, from.element, to.element),
    h('div', { class: 'form-actions' }, button),
  );
  return h(
    'section',
    { class: 'card no-print', id: 'archive-trail-check', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('trailCheckTitle')),
    h('p', { class: 'field-help' }, t('trailCheckHelp')),
    form,
    result,
  );
}

function drawCheck(check: RangeCheck, goOn: (next: string) => void): HTMLElement[] {
  const heads = [t('colDay'), t('colDigest'), t('colChained'), t('colCases'), t('colBroken')];
  const brokenCount = check.broken.length;
  return [
    h('p', null, h('strong', { class: brokenCount ? 'status-rejected' : undefined }, t('trailChecked', { checked: check.checked, broken: brokenCount }))),
    h(
      'table',
      { class: 'data-table trail-days' },
      h('caption', { class: 'visually-hidden' }, t('trailCheckTitle')),
      h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        null,
        check.days.map((d) =>
          h(
            'tr',
            { 'data-day': d.day },
            h('td', { 'data-label': heads[0] }, d.day),
            h('td', { 'data-label': heads[1] }, d.digest ? t('digestPresent') : h('span', { class: 'muted' }, t('digestMissing'))),
            h('td', { 'data-label': heads[2] }, d.chained === undefined ? '—' : d.chained ? t('chainedYes') : h('span', { class: 'status status-rejected' }, t('chainedNo'))),
            h('td', { 'data-label': heads[3] }, String(d.cases)),
            h('td', { 'data-label': heads[4] }, d.broken ? h('span', { class: 'status status-rejected' }, String(d.broken)) : '0'),
          ),
        ),
      ),
    ),
    ...(brokenCount ? [h('h3', null, t('trailBroken')), h('ul', { class: 'trail-broken' }, check.broken.map(brokenCase))] : []),
    ...(check.next
      ? [
          h('p', { class: 'notice notice-warning', role: 'status' }, t('trailStopped', { next: check.next })),
          h('button', { type: 'button', 'data-continue': check.next, onclick: () => goOn(check.next!) }, t('trailContinue', { next: check.next })),
        ]
      : []),
  ];
}

/** A case whose trail breaks: the case, what is wrong, at which entry (n counts from 0) and where it is kept. */
function brokenCase(v: TrailVerification): HTMLElement {
  const b = v.broken;
  return h(
    'li',
    { 'data-case': v.caseId, 'data-problem': b?.problem },
    h('a', { href: `/cases/${encodeURIComponent(v.caseId)}` }, v.caseId),
    ' ',
    b ? localize(b.message) : '',
    b ? brokenAt(b) : '',
    b?.ref ? h('span', { class: 'small muted mono' }, ` ref ${b.ref}`) : null,
  );
}
