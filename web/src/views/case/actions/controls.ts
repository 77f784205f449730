/** Which controls each action's form has; 已阅 (mark-read) is the button alone. */
import { t } from '../../../i18n.ts';
import { addSignerControls } from './add-signer.ts';
import { approveControls } from './approve.ts';
import { commentBox } from './comment.ts';
import type { CaseAction, FormParts } from './parts.ts';
import { peoplePicker } from './people.ts';
import { returnControls } from './return.ts';

type Controls = (form: FormParts) => void;

const note: Controls = (form) => commentBox(form, t('comment'), false);
const reason: Controls = (form) => commentBox(form, t('reason'), true);
const toOne: Controls = (form) => {
  peoplePicker(form, 'to', false);
  note(form);
};
const toSeveral: Controls = (form) => {
  peoplePicker(form, 'people', true);
  note(form);
};

const CONTROLS: Partial<Record<CaseAction, Controls>> = {
  approve: approveControls,
  reject: reason,
  extend: reason,
  comment: (form) => commentBox(form, t('comment'), true),
  return: returnControls,
  transfer: toOne,
  delegate: toOne,
  'add-signer': addSignerControls,
  circulate: toSeveral,
  copy: toSeveral,
  withdraw: note,
  resubmit: note,
  chase: note,
};

export function addControls(form: FormParts): void {
  CONTROLS[form.action]?.(form);
}
