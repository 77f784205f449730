/** The names the case page shows for what the API gives by id: fields, steps and people. */
import { personName } from '../../directory.ts';
import { txt } from '../../i18n.ts';
import { declaredFields } from '../../../../functions/domain/definitions/fields.ts';
import type { Definition, FieldDefinition, HumanStep, Org } from '../../types.ts';

/** A field of the case or one a step's assignee enters (merged into the case's fields). */
export function fieldDef(definition: Definition | undefined, key: string): FieldDefinition | undefined {
  return definition ? declaredFields(definition).find((f) => f.key === key) : undefined;
}

/** A step a person decides (none for an automatic one). */
export function humanStep(definition: Definition | undefined, id: string | undefined): HumanStep | undefined {
  const step = definition?.steps.find((s) => s.id === id);
  return step && step.type !== 'auto' ? step : undefined;
}

/** A step's name in the current language where the definition has it, else as the trail gave it. */
export function stepName(definition: Definition | undefined, id: string | undefined, fallback: string): string {
  const step = definition?.steps.find((s) => s.id === id);
  return step ? txt(step.name) : fallback;
}

/** A person's name in the current language where the org chart has them, else as the API gave it. */
export function nameOf(org: Org | undefined, id: string | undefined, given: string): string {
  return id && org?.people.some((p) => p.id === id) ? personName(org, id) : given;
}
