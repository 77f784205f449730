/** Whom an action goes to: one person (转办、委托) or several (传阅、抄送、加签), from the org chart. */
import { fieldControl } from '../../../fields-form.ts';
import { type MessageKey, t, textOf } from '../../../i18n.ts';
import type { FieldDefinition } from '../../../types.ts';
import { FieldProblem, type FormParts } from './parts.ts';

/** Sent as `to` (one) or `people` (several); without the org chart there is nobody to choose from. */
export function peoplePicker(form: FormParts, key: 'to' | 'people', multiple: boolean): void {
  const org = form.host.org;
  if (!org) return;
  // Labelled by what the people are chosen for (传阅给、转办给).
  const label = textOf(`pickFor_${form.action}` as MessageKey);
  const def: FieldDefinition = multiple ? { key, type: 'people', label, required: true, max: 20 } : { key, type: 'person', label, required: true };
  const control = fieldControl(def, org, () => {}, () => {});
  form.errors.set(key, (m) => control.setError(m));
  form.readers.push(() => {
    const v = control.read();
    if (v === undefined || (Array.isArray(v) && v.length === 0)) throw new FieldProblem(key, multiple ? t('choosePeople') : t('choosePerson'));
    return { [key]: v };
  });
  form.controls.push(control.element);
}
