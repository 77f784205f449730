/** 退回: to the step before (the default), to the applicant, or to any step passed; with the reason. */
import { h, uid } from '../../../dom.ts';
import { t, txt } from '../../../i18n.ts';
import { commentBox } from './comment.ts';
import type { FormParts } from './parts.ts';

export function returnControls(form: FormParts): void {
  const id = uid('return-to');
  const passed = form.host.c.steps.filter((s) => s.state === 'passed' && s.type !== 'auto');
  const select = h(
    'select',
    { id, name: 'toStep' },
    h('option', { value: '' }, t('returnToPrevious')),
    h('option', { value: 'applicant' }, t('returnToApplicant')),
    passed.map((s) => h('option', { value: s.id }, txt(s.name))),
  );
  form.controls.push(h('div', { class: 'field' }, h('label', { for: id }, t('returnTo')), select));
  form.readers.push(() => (select.value ? { toStep: select.value } : {}));
  commentBox(form, t('reason'), true);
}
