/** GET /api/cases?type=&status=&mine=&handled=&overdue=&department=&year=&cursor=&limit= : cases the caller may see, newest first. */
import { z } from 'zod';
import { defaultDeps } from '../../adapters/deps.ts';
import { canView } from '../../domain/cases/engine.ts';
import { loadOrgChart } from '../../domain/org/org-service.ts';
import { numberingYear } from '../../domain/numbering/document-number.ts';
import { httpHandler } from '../middleware.ts';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const Query = z.object({
  type: z.string().max(40).optional(),
  status: z.enum(['open', 'completed', 'rejected', 'withdrawn'], { error: '状态须为 open/completed/rejected/withdrawn。' }).optional(),
  mine: flag.optional(),
  /** 已办: cases the caller acted on, other than their own requests. */
  handled: flag.optional(),
  overdue: flag.optional(),
  department: z.string().max(40).optional(),
  year: z.coerce.number({ error: '年份无效。Invalid year.' }).int().min(2000).max(2100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2000).optional(),
});

export const handler = httpHandler({ query: Query }, async ({ query, caller }) => {
  const deps = defaultDeps();
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
  });
  const items = page.items
    .filter((c) => canView(c, org, caller.personId, grants))
    .map((c) => ({
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
  return { body: { items, next: page.next } };
});
