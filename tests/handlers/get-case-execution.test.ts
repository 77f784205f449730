/** GET /api/admin/cases/{id}/execution as API Gateway invokes it, on the memory twins. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { givenOffice, leave, as, type Office } from '../support/memory.ts';
import { httpEvent, invoke } from '../support/http-event.ts';
import { useOffice } from '../support/handler-deps.ts';
import { handler } from '../../functions/handlers/http/get-case-execution.ts';

vi.mock('../../functions/adapters/deps.ts', () => import('../support/handler-deps.ts'));

const ROUTE = 'GET /api/admin/cases/{id}/execution';
let office: Office;
let caseId: string;
beforeEach(async () => {
  office = await givenOffice();
  useOffice(office);
  caseId = ((await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) })).body as { id: string }).id;
});

describe(ROUTE, () => {
  it('answers an admin with the execution and a page of its history (50 by default)', async () => {
    for (let i = 0; i < 60; i++) office.workflows.event(caseId, 'TaskStateEntered', { state: 'Drive Case' });
    const total = (await office.workflows.history(caseId, { limit: 1000 })).events.length;
    const r = await invoke(handler, httpEvent(ROUTE, { as: 'chen-zhiqiang', path: { id: caseId } }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ caseId, executionName: caseId, execution: { status: 'RUNNING' }, next: expect.any(String) });
    expect(r.body.events).toHaveLength(50);
    expect(r.body.events.at(-1).id).toBe(total);
    const rest = await invoke(handler, httpEvent(ROUTE, { as: 'chen-zhiqiang', path: { id: caseId }, query: { limit: '100', next: r.body.next } }));
    expect(rest.body.events.map((e: { id: number }) => e.id)).toEqual(Array.from({ length: total - 50 }, (_, i) => i + 1));
    expect(rest.body.next).toBeUndefined();
  });

  it('refuses a bad limit or next with 400 naming it, a staff member with 403, no token with 401', async () => {
    for (const [query, field] of [
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ next: 'a b' }, 'next'],
      [{ next: 'x'.repeat(1025) }, 'next'],
    ] as const) {
      const r = await invoke(handler, httpEvent(ROUTE, { as: 'chen-zhiqiang', path: { id: caseId }, query }));
      expect([r.status, r.body.error.field], JSON.stringify(query)).toEqual([400, field]);
      expect(r.body.error.message).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff]/);
    }
    const long = await invoke(handler, httpEvent(ROUTE, { as: 'chen-zhiqiang', path: { id: 'x'.repeat(61) } }));
    expect([long.status, long.body.error.field]).toEqual([400, 'id']);
    const staff = await invoke(handler, httpEvent(ROUTE, { as: 'xu-liang', groups: ['admin'], path: { id: caseId } }));
    expect([staff.status, staff.body.error.code]).toEqual([403, 'forbidden']);
    const anonymous = await invoke(handler, httpEvent(ROUTE, { path: { id: caseId } }));
    expect(anonymous.status).toBe(401);
  });
});
