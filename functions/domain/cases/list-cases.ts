/** 已办、我的申请 and every list of cases: only cases the caller may see, a full page at a time. */
import { numberingYear } from '../numbering/document-number.ts';
import type { Caller, Deps } from '../ports.ts';
import type { CaseRecord } from './case.ts';
import { canView } from './engine.ts';
import { loadOrgChart } from '../org/org-service.ts';

export interface ListCases {
  readonly type?: string;
  readonly status?: CaseRecord['status'];
  /** 我的申请: the caller's own requests. */
  readonly mine?: boolean;
  /** 已办: cases the caller acted on, other than their own requests. */
  readonly handled?: boolean;
  readonly overdue?: boolean;
  readonly department?: string;
  readonly year?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export async function listCases(deps: Pick<Deps, 'cases' | 'org' | 'access' | 'clock'>, caller: Caller, query: ListCases) {
  const now = deps.clock.now();
  const [org, grants] = await Promise.all([loadOrgChart(deps), deps.access.grantsOf(caller.personId, now)]);
  const page = await deps.cases.list({
    type: query.type,
    status: query.status,
    applicantId: query.mine ? caller.personId : undefined,
    handledBy: query.handled ? caller.personId : undefined,
    departmentId: query.department,
    year: query.year ?? numberingYear(now),
    overdueAt: query.overdue ? now : undefined,
    limit: query.limit,
    cursor: query.cursor,
    viewerId: caller.personId,
    visible: (c) => canView(c, org, caller.personId, grants),
  });
  const items = page.items.map((c) => ({
    id: c.id,
    type: c.type,
    title: c.title,
    number: c.number,
    status: c.status,
    version: c.version,
    stepName: c.status === 'open' ? c.stepName : undefined,
    applicant: { id: c.applicantId, name: c.applicantName },
    departmentId: c.departmentId,
    dueAt: c.status === 'open' ? c.dueAt : undefined,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
  }));
  return { items, next: page.next };
}
