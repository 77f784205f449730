/**
 * The actions section: exactly the actions the API lists for the caller, a button each opening its
 * form in the panel under them (comment apart, in a box of its own), and when the case was last
 * chased at this step. A form being filled in is brought back, as typed, when the page is redrawn.
 */
import { h } from '../../../dom.ts';
import { actionName, formatDateTime, t, txt } from '../../../i18n.ts';
import { section, type CaseHost } from '../host.ts';
import { humanStep, nameOf } from '../names.ts';
import { actionForm } from './form.ts';
import { keepForm, refill, type KeptForm } from './kept-form.ts';
import type { CaseAction } from './parts.ts';

export class ActionsSection {
  /** The section as last drawn. */
  private element?: HTMLElement;
  /** Opens an action's form in the panel of the section as last drawn. */
  private open: (action: CaseAction) => HTMLFormElement | undefined = () => undefined;

  constructor(private readonly host: CaseHost) {}

  /** The form being filled in now, to bring back after the redraw (see reopen). */
  keep(): KeptForm | undefined {
    return this.element ? keepForm(this.element) : undefined;
  }

  render(): HTMLElement {
    const c = this.host.c;
    const actions = c.actions.filter((a) => a !== 'comment');
    const panel = h('div', { class: 'action-form-holder' });
    const step = humanStep(this.host.definition, c.currentStep);
    const label = (action: CaseAction) => (action === 'approve' && step?.approveLabel ? txt(step.approveLabel) : actionName(action));
    const buttons = actions.map((action) =>
      h(
        'button',
        {
          type: 'button',
          class: action === 'approve' ? 'primary' : action === 'reject' ? 'danger' : undefined,
          'data-action': action,
          'aria-expanded': 'false',
          onclick: () => {
            this.open(action);
            panel.querySelector<HTMLElement>('textarea, input, select')?.focus();
          },
        },
        label(action),
      ),
    );
    const buttonRow = h('div', { class: 'action-buttons' }, buttons);
    this.open = (action) => {
      if (action === 'comment' || !actions.includes(action)) return undefined;
      for (const b of buttonRow.querySelectorAll('button')) b.setAttribute('aria-expanded', String(b.dataset.action === action));
      const form = actionForm(this.host, action, label(action), step);
      panel.replaceChildren(form);
      return form;
    };
    // 催办: when it was last chased by hand at this step, so it is not chased twice in the hour
    // (the API counts chases afresh when the case moves to another step).
    const chased = actions.includes('chase') ? (c.trail ?? []).filter((e) => e.action === 'chase' && e.stepId === c.currentStep).at(-1) : undefined;
    this.element = section(
      t('caseActions'),
      'case-actions',
      actions.length ? [buttonRow, chased ? h('p', { class: 'muted small last-chase' }, t('chasedAt', { at: formatDateTime(chased.at) }), ` · ${nameOf(this.host.org, chased.actorId, chased.actorName)}`) : null, panel] : h('p', { class: 'muted' }, t('noActions')),
      c.actions.includes('comment') ? h('details', { class: 'comment-box' }, h('summary', null, actionName('comment')), actionForm(this.host, 'comment', actionName('comment'), step)) : null,
    );
    return this.element;
  }

  /**
   * Opens the kept form again with what was typed, if the caller may still take that action at
   * the same step; a form for a step that has passed is not brought back.
   */
  reopen(kept: KeptForm): void {
    const c = this.host.c;
    if (kept.stepId !== (c.currentStep ?? '') || !c.actions.includes(kept.action)) return;
    let form: HTMLFormElement | undefined;
    if (kept.inComment) {
      const details = this.element?.querySelector<HTMLDetailsElement>('details.comment-box');
      if (details) details.open = true;
      form = details?.querySelector<HTMLFormElement>('form.action-form') ?? undefined;
    } else {
      form = this.open(kept.action);
    }
    if (form) refill(form, kept);
  }
}
