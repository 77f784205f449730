/** The process: the steps in order, the current one marked (aria-current="step"), and who must act now. */
import { h } from '../../dom.ts';
import { colon, t, txt } from '../../i18n.ts';
import type { CaseView } from '../../types.ts';
import { skippedSteps } from '../slip.ts';
import { section } from './host.ts';

export function processSection(c: CaseView): HTMLElement {
  const skipped = skippedSteps(c);
  return section(
    t('caseProcess'),
    'case-process',
    h(
      'ol',
      { class: 'process' },
      c.steps.map((s) =>
        h(
          'li',
          // A step ahead whose condition does not hold (the API says `skipped`) is shown as passed over.
          { class: `step step-${(skipped.has(s.id) && s.state === 'passed') || s.state === 'skipped' ? 'skipped' : s.state}${s.type === 'auto' ? ' step-auto' : ''}`, 'aria-current': s.state === 'current' ? 'step' : undefined },
          h('span', { class: 'step-name' }, txt(s.name)),
          h(
            'span',
            { class: 'step-state' },
            skipped.has(s.id) && s.state === 'passed'
              ? t('stepSkipped')
              : s.state === 'passed'
                ? t('stepPassed')
                : s.state === 'current'
                  ? t('stepCurrent')
                  : s.state === 'skipped'
                    ? t('stepWillSkip')
                    : t('stepAhead'),
            s.type === 'auto' ? ` · ${t('stepAuto')}` : '',
          ),
        ),
      ),
    ),
    c.status === 'open' && c.assignees.length
      ? h(
          'p',
          { class: 'assignees' },
          `${t('caseAssignees')}${colon()}`,
          c.assignees.map((a, i) => [
            i > 0 ? '、' : '',
            a.name,
            'standIn' in a && a.standIn ? `（${a.standIn.name} ${t('onBehalfOf', { name: a.name })}）` : '',
            'delegate' in a && a.delegate ? `（${t('delegateOf', { name: a.delegate.name })}）` : '',
          ]),
        )
      : null,
  );
}
