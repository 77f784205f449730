/** 加签: the people added, whether they sign before or after the current step's assignee, and a note. */
import { h, uid } from '../../../dom.ts';
import { t } from '../../../i18n.ts';
import { commentBox } from './comment.ts';
import type { FormParts } from './parts.ts';
import { peoplePicker } from './people.ts';

export function addSignerControls(form: FormParts): void {
  peoplePicker(form, 'people', true);
  const name = uid('position');
  const radios = (['before', 'after'] as const).map((p, i) => h('label', { class: 'choice' }, h('input', { type: 'radio', name, value: p, checked: i === 0 }), ' ', p === 'before' ? t('positionBefore') : t('positionAfter')));
  form.controls.push(h('fieldset', { class: 'field field-set' }, h('legend', null, t('position')), h('div', { class: 'choices' }, radios)));
  form.readers.push(() => ({ position: (radios.map((r) => r.querySelector('input')!).find((r) => r.checked)?.value ?? 'before') as string }));
  commentBox(form, t('comment'), false);
}
