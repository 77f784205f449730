/** The case's own fields and what steps' assignees entered (merged into the case's fields). */
import { h } from '../../dom.ts';
import { displayValue } from '../../fields-form.ts';
import { t, txt } from '../../i18n.ts';
import { declaredFields } from '../../../../functions/domain/definitions/fields.ts';
import type { CaseView, Definition, Org } from '../../types.ts';
import { section } from './host.ts';
import { fieldDef } from './names.ts';

/** In the definition's order, then any the definition does not declare; those without a value left out. */
export function fieldsSection(c: CaseView, definition: Definition | undefined, org: Org | undefined): HTMLElement {
  const keys = [...new Set([...(definition ? declaredFields(definition).map((f) => f.key) : []), ...Object.keys(c.fields)])].filter((k) => c.fields[k] !== undefined);
  return section(
    t('caseFields'),
    'case-fields',
    h(
      'dl',
      { class: 'field-list' },
      keys.map((k) => [h('dt', null, txt(fieldDef(definition, k)?.label) || k), h('dd', null, displayValue(fieldDef(definition, k), c.fields[k], org))]),
    ),
  );
}
