/** The admin's restart route and the notification routes as API Gateway invokes them, on the memory twins. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { givenOffice, leave, as, type Office } from '../support/memory.ts';
import { httpEvent, invoke } from '../support/http-event.ts';
import { useOffice } from '../support/handler-deps.ts';
import { handler as restartExecutions } from '../../functions/handlers/http/restart-executions.ts';
import { handler as listNotifications } from '../../functions/handlers/http/list-notifications.ts';
import { handler as readNotifications } from '../../functions/handlers/http/read-notifications.ts';

vi.mock('../../functions/adapters/deps.ts', () => import('../support/handler-deps.ts'));

let office: Office;
beforeEach(async () => {
  office = await givenOffice();
  useOffice(office);
  await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) });
});

describe('POST /api/admin/restart-executions', () => {
  it('is refused to anyone the org chart does not make an admin (403), whatever Cognito group they claim', async () => {
    const refused = await invoke(restartExecutions, httpEvent('POST /api/admin/restart-executions', { as: 'xu-liang', groups: ['admin'] }));
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect(refused.body.error.message).toMatch(/^只有管理员/);
    expect(office.workflows.started).toBe(1);
  });

  it('restarts every open case for an admin: 200 with the count, once per Idempotency-Key', async () => {
    const call = () => invoke(restartExecutions, httpEvent('POST /api/admin/restart-executions', { as: 'chen-zhiqiang', headers: { 'Idempotency-Key': 'restart-all-1' } }));
    const first = await call();
    expect([first.status, first.body]).toEqual([200, { restarted: 1 }]);
    office.clock.advance(1000);
    expect(await call()).toEqual(first);
    expect(office.workflows.started).toBe(2);
  });
});

describe('GET /api/notifications and POST /api/notifications/read', () => {
  it('lists the section head’s unread notice of the new leave, marks it read once, and refuses an empty list naming ids', async () => {
    const unread = await invoke(listNotifications, httpEvent('GET /api/notifications', { as: 'zhou-tao', query: { unread: 'true' } }));
    expect(unread.status).toBe(200);
    expect(unread.body.items).toEqual([expect.objectContaining({ personId: 'zhou-tao', read: false, text: { zh: expect.any(String), en: expect.any(String) } })]);
    const ids = unread.body.items.map((n: { id: string }) => n.id);

    const read = await invoke(readNotifications, httpEvent('POST /api/notifications/read', { as: 'zhou-tao', body: { ids } }));
    expect([read.status, read.body]).toEqual([200, { read: 1 }]);
    const again = await invoke(readNotifications, httpEvent('POST /api/notifications/read', { as: 'zhou-tao', body: { ids } }));
    expect(again.body).toEqual({ read: 0 });
    // Someone else's ids mark nothing of theirs.
    expect((await invoke(readNotifications, httpEvent('POST /api/notifications/read', { as: 'xu-liang', body: { ids } }))).body).toEqual({ read: 0 });
    const empty = await invoke(readNotifications, httpEvent('POST /api/notifications/read', { as: 'zhou-tao', body: { ids: [] } }));
    expect([empty.status, empty.body.error.field]).toEqual([400, 'ids']);
    expect(empty.body.error.message).toMatch(/^至少一条/);
    expect((await invoke(listNotifications, httpEvent('GET /api/notifications', { as: 'zhou-tao', query: { unread: 'true' } }))).body.items).toEqual([]);
  });
});
