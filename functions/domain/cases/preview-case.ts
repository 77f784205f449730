/**
 * What a request would be, as the person fills in its form, before anything is sent: the values
 * the system works out (请假天数) and the steps it would take, each with who would sign — so a
 * two-day leave shows 科长审批 → 分管领导审批 and not 局长审批. Writes nothing.
 */
import { conditionKeys } from '../definitions/field-keys.ts';
import { deriveFields } from '../definitions/derive.ts';
import { evaluate, wellFormedFields } from '../definitions/fields.ts';
import { latestDefinition } from '../definitions/lookup.ts';
import { checkMayStart } from '../definitions/starting.ts';
import type { Caller, Deps } from '../ports.ts';
import { resolveAssignees } from './assignees.ts';
import { loadRules } from './rules.ts';

export async function previewCase(deps: Pick<Deps, 'org' | 'calendar'>, caller: Caller, type: string, raw: Readonly<Record<string, unknown>>) {
  const definition = latestDefinition(type);
  const { org, calendar } = await loadRules(deps);
  checkMayStart(definition, org, caller.personId);
  const applicant = org.person(caller.personId)!;
  // Only values each well formed by their field's rule are reasoned about (a list is no longer
  // than its field allows, an id is a string): a half-filled form is fine, a crafted one costs nothing.
  const given = wellFormedFields(definition, raw);
  const { derived, issues } = deriveFields(definition, given, calendar, applicant.roles);
  const fields = { ...given, ...derived };
  const known = (key: string) => fields[key] !== undefined && fields[key] !== '';
  const steps = definition.steps.map((step) => {
    // A step whose condition reads a value not given yet (or entered by an earlier step) may or may not come.
    const runs = conditionKeys(step.when).every(known) ? evaluate(step.when, { fields, applicantRoles: applicant.roles }) : null;
    const assignees =
      runs !== false && step.type !== 'auto'
        ? resolveAssignees(step.assignees, { org, applicantId: applicant.id, departmentId: applicant.departmentId, fields })
            .filter((p) => p.id !== applicant.id)
            .map((p) => ({ id: p.id, name: p.name }))
        : [];
    return { id: step.id, name: step.name, type: step.type, runs, assignees };
  });
  return { type: definition.type, version: definition.version, derived, issues, steps };
}
