/** Resolves a step's approver rules against the org chart, for one case. */
import type { AssigneeRule } from '../definitions/definition.ts';
import type { OrgChart, Person } from '../org/org.ts';

export interface RuleContext {
  readonly org: OrgChart;
  readonly applicantId: string;
  readonly departmentId?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

function resolveRule(rule: AssigneeRule, ctx: RuleContext): Person[] {
  const { org } = ctx;
  switch (rule.rule) {
    case 'department-head-of-applicant':
      return org.departmentHeadOf(ctx.departmentId);
    case 'deputy-in-charge-of-applicant-department':
      return org.deputyInChargeOf(ctx.departmentId);
    case 'deputy-in-charge-of-role': {
      const departments = new Set(org.withRole(rule.role).map((p) => p.departmentId));
      return [...departments].flatMap((d) => org.deputyInChargeOf(d));
    }
    case 'head':
      return org.withRole('head');
    case 'office-director':
      return org.withRole('office-director');
    case 'role':
      return org.withRole(rule.role);
    case 'person-in-field':
      return asList(ctx.fields[rule.field]).flatMap((id) => org.person(id) ?? []);
    case 'department-heads-in-field':
      return asList(ctx.fields[rule.field]).flatMap((d) => org.departmentHeadOf(d));
    case 'deputies-in-charge-of-field':
      return asList(ctx.fields[rule.field]).flatMap((d) => org.deputyInChargeOf(d));
    case 'applicant':
      return org.person(ctx.applicantId) ? [org.person(ctx.applicantId)!] : [];
  }
}

/** The distinct active people the rules name, in rule order. */
export function resolveAssignees(rules: readonly AssigneeRule[], ctx: RuleContext): Person[] {
  const seen = new Map<string, Person>();
  for (const rule of rules) {
    for (const person of resolveRule(rule, ctx)) if (person.active !== false && !seen.has(person.id)) seen.set(person.id, person);
  }
  return [...seen.values()];
}
