/**
 * 核验流程日志 on the case page: asks the API to verify the case's trail (its hash chain, its head,
 * the routing slip's copies and the latest daily digest, GET /api/cases/{id}/verify) and says the
 * outcome in one line: 通过 with how many entries and the digest it was checked against, or
 * 不通过 with what is wrong and at which entry.
 */
import { get } from '../api.ts';
import { h } from '../dom.ts';
import { actionName, formatDateTime, localize, t } from '../i18n.ts';
import type { TrailVerification } from '../types.ts';
import { errorState } from './lists.ts';

/**
 * The button and its result line. Made once per case page and kept across its redraws, so the
 * outcome stays on screen while the page is read again.
 */
export function trailVerifier(caseId: () => string): HTMLElement {
  const said = h('div', { class: 'verify-result', 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      'data-verify-trail': '',
      onclick: async () => {
        button.disabled = true;
        button.textContent = t('verifyingTrail');
        try {
          said.replaceChildren(outcome(await get<TrailVerification>(`/api/cases/${encodeURIComponent(caseId())}/verify`)));
        } catch (error) {
          said.replaceChildren(errorState(error));
        } finally {
          button.disabled = false;
          button.textContent = t('verifyTrail');
        }
      },
    },
    t('verifyTrail'),
  );
  return h('div', { class: 'verify-trail no-print' }, h('div', { class: 'toolbar' }, button), said);
}

function outcome(v: TrailVerification): HTMLElement {
  if (v.ok) {
    const digest = v.digests.find((d) => d.ok);
    return h('p', { class: 'status status-completed', 'data-verified': 'true' }, h('span', { 'aria-hidden': 'true' }, '✓ '), digest ? t('verifyPassed', { n: v.entries, day: digest.day }) : t('verifyPassedNoDigest', { n: v.entries }));
  }
  const b = v.broken;
  return h('p', { class: 'status status-rejected', 'data-verified': 'false' }, h('span', { 'aria-hidden': 'true' }, '✗ '), t('verifyFailed', { message: b ? localize(b.message) : '' }), b ? brokenAt(b) : '');
}

/** （第 3 条：同意，2026/11/23 10:05）: the entry where the trail first breaks, as far as it is known. */
export function brokenAt(b: NonNullable<TrailVerification['broken']>): string {
  if (b.n === undefined) return '';
  if (!b.action || !b.at) return t('trailBrokenEntry', { n: b.n + 1 });
  return t('verifyFailedAt', { n: b.n + 1, action: actionName(b.action), at: formatDateTime(b.at) });
}
