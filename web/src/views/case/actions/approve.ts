/**
 * 同意 (or the step's own word: 拟办, 批办, 办结): the step's own entries (拟办 names departments, a
 * due date…), sent as `fields` and prefilled with what an earlier step entered (批办 starts from
 * 拟办's proposal), and the opinion.
 */
import { fieldControl, isOpinionInput, readFields, validateInputs } from '../../../fields-form.ts';
import { t } from '../../../i18n.ts';
import { commentBox, usualOpinions } from './comment.ts';
import { FieldProblem, type FormParts } from './parts.ts';

export function approveControls(form: FormParts): void {
  const { c, definition, org } = form.host;
  const step = form.step;
  const defs = c.currentStepInputs ?? step?.inputs ?? [];
  if (org && defs.length) {
    const inputs = defs.map((f) => fieldControl(f, org, () => {}, () => {}));
    form.inputs = inputs;
    for (const i of inputs) i.write(c.fields[i.key]);
    // A step's written opinion (拟办意见) takes the usual opinions as the comment box does.
    for (const [k, i] of inputs.entries()) {
      const box = isOpinionInput(defs[k]!) ? i.element.querySelector('textarea') : null;
      if (box) box.before(usualOpinions(form.host, box));
    }
    form.controls.push(inputs.map((i) => i.element));
    form.readers.push(() => {
      const values = readFields(inputs);
      // Without the definition the API alone judges them.
      const problems = definition && step ? validateInputs(definition, step, form.host.c.fields, values) : new Map<string, string>();
      for (const i of inputs) i.setError(problems.get(i.key));
      const first = inputs.find((i) => problems.has(i.key));
      if (first) throw new FieldProblem(`fields.${first.key}`, problems.get(first.key)!, first);
      return { fields: values };
    });
  }
  // One opinion box per step: a step that asks for a written opinion (拟办意见) takes it there.
  if (!defs.some(isOpinionInput)) commentBox(form, t('comment'), false);
}
