/** Who may start which process, and the catalogue as one person is offered it (新建申请). */
import { ForbiddenError } from '../errors.ts';
import type { OrgChart } from '../org/org.ts';
import { latestDefinitions } from './catalog/index.ts';
import { GROUPS, offering, type Group } from './catalog/offering.ts';
import type { Definition, Text } from './definition.ts';

export function mayStart(definition: Pick<Definition, 'type'>, org: OrgChart, personId: string): boolean {
  const starters = offering[definition.type]?.startedBy ?? 'everyone';
  if (starters === 'everyone') return org.person(personId) !== undefined;
  return starters.roles.some((role) => org.has(personId, role));
}

/** Refuses (403, nothing written) someone the process is not started by. */
export function checkMayStart(definition: Definition, org: OrgChart, personId: string): void {
  if (!mayStart(definition, org, personId)) {
    throw new ForbiddenError(`您不能发起“${definition.name.zh}”。You may not start “${definition.name.en}”.`);
  }
}

export interface OfferedDefinition {
  readonly type: string;
  readonly version: number;
  readonly name: Text;
  readonly description?: Text;
  readonly source: string;
  readonly group: Group;
  readonly groupName: Text;
  readonly canStart: boolean;
  /** How many the person started lately: the 新建申请 page lists their most used first. */
  readonly used: number;
}

/** The catalogue as a person sees it: each process with its group, whether they may start it and how often they did; by group, their most used first in each. */
export function offeredTo(org: OrgChart, personId: string, usedByType: ReadonlyMap<string, number>): OfferedDefinition[] {
  const order = Object.keys(GROUPS);
  return latestDefinitions()
    .map((d) => {
      const group = offering[d.type]?.group ?? 'approvals';
      return {
        type: d.type,
        version: d.version,
        name: d.name,
        description: d.description,
        source: d.source,
        group,
        groupName: GROUPS[group],
        canStart: mayStart(d, org, personId),
        used: usedByType.get(d.type) ?? 0,
      };
    })
    .sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || b.used - a.used);
}
