/** Which cases a list asks for (CaseFilter), as every store answers it: the store reads, this decides. */
import type { CaseFilter } from '../ports.ts';
import type { CaseRecord } from './case.ts';

/** Whether `c` is one the list asks for (not whether the viewer may see it: that is `filter.visible`). */
export function matchesCaseFilter(c: CaseRecord, filter: Omit<CaseFilter, 'visible' | 'limit' | 'viewerId' | 'year'>): boolean {
  const overdueBefore = filter.overdueAt === undefined ? undefined : new Date(filter.overdueAt).toISOString();
  return (
    (!filter.type || c.type === filter.type) &&
    (!filter.status || c.status === filter.status) &&
    (!filter.departmentId || c.departmentId === filter.departmentId) &&
    (!filter.applicantId || c.applicantId === filter.applicantId) &&
    (!filter.handledBy || ((c.participants ?? []).includes(filter.handledBy) && c.applicantId !== filter.handledBy)) &&
    // Overdue: due before then, and open unless the list asks for a status of its own.
    (overdueBefore === undefined || (c.dueAt !== undefined && c.dueAt < overdueBefore && (filter.status !== undefined || c.status === 'open')))
  );
}
