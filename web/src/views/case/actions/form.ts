/**
 * An action's form: its controls (controls.ts), checked as far as the page can before it is sent,
 * then POST /api/cases/{id}/actions with the case's version and an idempotency key. The page is
 * read again after; a problem the API names a field for is said at that field.
 */
import { ApiError, idempotencyKey, post } from '../../../api.ts';
import { h, notice } from '../../../dom.ts';
import { colon, formatTime, localize, t } from '../../../i18n.ts';
import { refreshInboxCount } from '../../../nav.ts';
import type { HumanStep } from '../../../types.ts';
import type { CaseHost } from '../host.ts';
import { addControls } from './controls.ts';
import { FieldProblem, FormParts, type CaseAction } from './parts.ts';

/** `label` is the action's name at this step (its submit button says it). */
export function actionForm(host: CaseHost, action: CaseAction, label: string, step: HumanStep | undefined): HTMLFormElement {
  const parts = new FormParts(action, host, step);
  addControls(parts);
  const { errors, readers } = parts;

  const submit = h('button', { type: 'submit', class: action === 'reject' ? 'danger' : 'primary', 'data-submit': action }, label);
  const formStatus = h('div', { 'aria-live': 'polite' });
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'action-form',
      'data-form': action,
      'data-step': host.c.currentStep ?? '',
      novalidate: true,
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        for (const set of errors.values()) set(undefined);
        let body: Record<string, unknown> = { action, version: host.c.version };
        try {
          for (const read of readers) body = { ...body, ...read() };
        } catch (problem) {
          if (problem instanceof FieldProblem) {
            errors.get(problem.key)?.(problem.message);
            (problem.control ? problem.control.focus() : form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
            return;
          }
          throw problem;
        }
        submit.disabled = true;
        try {
          await post(`/api/cases/${encodeURIComponent(host.c.id)}/actions`, body, { 'Idempotency-Key': idempotencyKey() });
          void refreshInboxCount();
          // The decided form is not brought back on the redraw.
          form.dataset.done = 'true';
          await host.reload(notice('success', action === 'chase' ? t('chasedAt', { at: formatTime(Date.now()) }) : `${label}${colon()}${t('actionDone')}`));
          host.main.querySelector<HTMLElement>('h1')?.focus();
        } catch (error) {
          submit.disabled = false;
          // Only a stale version means the case changed under the person: it is read again and
          // the form comes back as filled in. Other conflicts (the period ended, already
          // extended, no approver…) are refusals, said as the API words them.
          if (error instanceof ApiError && error.code === 'stale-version') {
            await host.reload(notice('warning', t('staleVersion')));
            return;
          }
          const message = error instanceof Error ? error.message : String(error);
          // Chased within the hour (429): the API says when to try again; nothing went wrong.
          if (error instanceof ApiError && error.status === 429) {
            formStatus.replaceChildren(notice('warning', localize(message)));
            return;
          }
          const field = error instanceof ApiError ? error.field : undefined;
          const input = field?.startsWith('fields.') ? parts.inputs.find((i) => i.key === field.slice('fields.'.length)) : undefined;
          if (input) {
            input.setError(message);
            input.focus();
          } else if (field && errors.has(field)) {
            errors.get(field)!(message);
          } else {
            formStatus.replaceChildren(notice('error', t('errorGeneric', { message: localize(message) })));
          }
        }
      },
    },
    parts.controls,
    formStatus,
    h('div', { class: 'form-actions' }, submit),
  );
  if (action === 'mark-read' || action === 'withdraw') form.classList.add('compact');
  return form;
}
