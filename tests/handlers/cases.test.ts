/**
 * The case routes' handlers as API Gateway invokes them, on the memory twins: defaultDeps() is
 * replaced (the one seam between a handler and its adapters) by the office in memory.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { givenOffice, leave, type Office } from '../support/memory.ts';
import { httpEvent, invoke } from '../support/http-event.ts';
import { useOffice } from '../support/handler-deps.ts';
import { handler as createCase } from '../../functions/handlers/http/create-case.ts';
import { handler as actOnCase } from '../../functions/handlers/http/act-on-case.ts';
import { handler as getCase } from '../../functions/handlers/http/get-case.ts';
import { handler as listTasks } from '../../functions/handlers/http/list-tasks.ts';
import { handler as listCases } from '../../functions/handlers/http/list-cases.ts';

vi.mock('../../functions/adapters/deps.ts', () => import('../support/handler-deps.ts'));

let office: Office;
beforeEach(async () => {
  office = await givenOffice();
  useOffice(office);
});

const open = (as: string, body: unknown, headers?: Record<string, string>) => invoke(createCase, httpEvent('POST /api/cases', { as, body, headers }));

/** Chinese first, then English: the clerk reads the first half. */
const chineseFirst = /^[^A-Za-z]*[\u4e00-\u9fff]/;

describe('POST /api/cases', () => {
  it('opens a case: 201 with the case view, and the case stored', async () => {
    const response = await open('xu-liang', { type: 'leave', title: '徐亮事假1天', fields: leave(1) });
    expect(response.status).toBe(201);
    expect(response.headers['Content-Type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^20261123-/),
      type: 'leave',
      title: '徐亮事假1天',
      status: 'open',
      version: 1,
      currentStep: 'section-head',
      applicant: { id: 'xu-liang', name: '徐亮' },
      assignees: [{ id: 'zhou-tao', name: '周涛' }],
      actions: expect.arrayContaining(['withdraw']),
    });
    expect(await office.cases.get(response.body.id)).toMatchObject({ title: '徐亮事假1天' });
  });

  it('refuses a request without an ID token’s claims (401), an access token’s included, and stores nothing', async () => {
    const body = { type: 'leave', title: '匿名', fields: leave(1) };
    const anonymous = await invoke(createCase, httpEvent('POST /api/cases', { body }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: 'unauthenticated', field: null, message: expect.stringMatching(chineseFirst) });
    const accessToken = await invoke(createCase, httpEvent('POST /api/cases', { body, claims: { token_use: 'access', 'cognito:username': 'xu-liang' } }));
    expect(accessToken.status).toBe(401);
    expect(office.workflows.started).toBe(0);
  });

  it('refuses a bad body with a 400 naming the field, Chinese first', async () => {
    const noTitle = await open('xu-liang', { type: 'leave', fields: leave(1) });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error).toMatchObject({ code: 'validation', field: 'title', message: expect.stringMatching(chineseFirst) });
    const badDays = await open('xu-liang', { type: 'leave', title: '无效请假', fields: { ...leave(1), days: -1 } });
    expect([badDays.status, badDays.body.error.field]).toEqual([400, 'fields.days']);
    expect(badDays.body.error.message).toMatch(chineseFirst);
    const notJson = await open('xu-liang', '{not json');
    expect([notJson.status, notJson.body.error.field]).toEqual([400, 'body']);
    expect(office.workflows.started).toBe(0);
  });

  it('refuses a body larger than the route takes with a 413, unread', async () => {
    const huge = { type: 'leave', title: '大', fields: { ...leave(1), reason: '事'.repeat(100_000) } };
    const response = await open('xu-liang', huge);
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: 'too-large', field: 'body', message: expect.stringMatching(chineseFirst) });
    expect(office.workflows.started).toBe(0);
  });

  it('refuses someone who is not an active person of the org chart (403), whatever their token says', async () => {
    const response = await open('nobody-here', { type: 'leave', title: '外人请假', fields: leave(1) });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(chineseFirst) });
  });

  it('answers a retry under the same Idempotency-Key with the first response, byte for byte', async () => {
    const body = { type: 'leave', title: '徐亮事假1天', fields: leave(1) };
    const first = await open('xu-liang', body, { 'Idempotency-Key': 'create-0001' });
    const retry = await open('xu-liang', body, { 'Idempotency-Key': 'create-0001' });
    expect(retry).toEqual(first);
    expect(office.workflows.started).toBe(1);
  });
});

describe('the routes of one case', () => {
  it('GET /api/cases/{id}: 200 with the trail and the caller’s actions; 404 for a stranger, as for no case at all', async () => {
    const { body: c } = await open('xu-liang', { type: 'leave', title: '徐亮事假1天', fields: leave(1) });
    const asHead = await invoke(getCase, httpEvent('GET /api/cases/{id}', { as: 'zhou-tao', path: { id: c.id } }));
    expect(asHead.status).toBe(200);
    expect(asHead.body).toMatchObject({ id: c.id, version: 1, currentStep: 'section-head' });
    expect(asHead.body.actions).toEqual(expect.arrayContaining(['approve', 'reject', 'return']));
    expect(asHead.body.trail.map((t: { action: string }) => t.action)).toEqual(['submit', 'enter']);

    const stranger = await invoke(getCase, httpEvent('GET /api/cases/{id}', { as: 'ma-chao', path: { id: c.id } }));
    const missing = await invoke(getCase, httpEvent('GET /api/cases/{id}', { as: 'ma-chao', path: { id: '20261123-ffffffff' } }));
    expect([stranger.status, missing.status]).toEqual([404, 404]);
    expect(stranger.body).toEqual(missing.body);
  });

  it('POST /api/cases/{id}/actions: 403 for someone not at the step, 409 for a stale version, 400 naming a missing reason, 200 for the assignee', async () => {
    const { body: c } = await open('xu-liang', { type: 'leave', title: '徐亮事假2天', fields: leave(2) });
    const act = (as: string, body: unknown) => invoke(actOnCase, httpEvent('POST /api/cases/{id}/actions', { as, path: { id: c.id }, body }));

    const notHis = await act('li-minghua', { action: 'approve', version: 1 });
    expect([notHis.status, notHis.body.error.code]).toEqual([403, 'forbidden']);
    const stale = await act('zhou-tao', { action: 'approve', version: 7 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'stale-version']);
    const noReason = await act('zhou-tao', { action: 'reject', version: 1 });
    expect([noReason.status, noReason.body.error.field]).toEqual([400, 'comment']);
    expect(noReason.body.error.message).toMatch(chineseFirst);
    const unknown = await act('zhou-tao', { action: 'approve-all', version: 1 });
    expect([unknown.status, unknown.body.error.field]).toEqual([400, 'action']);

    const approved = await act('zhou-tao', { action: 'approve', version: 1, comment: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: c.id, version: 2, currentStep: 'deputy', assignees: [{ id: 'li-minghua' }] });
  });

  it('GET /api/tasks and GET /api/cases: 200 with items and a cursor; a bad limit is a 400 naming it', async () => {
    for (let i = 0; i < 3; i++) await open('xu-liang', { type: 'leave', title: `徐亮请假${i}`, fields: leave(1) });
    const tasks = await invoke(listTasks, httpEvent('GET /api/tasks', { as: 'zhou-tao', query: { limit: '2' } }));
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toHaveLength(2);
    expect(tasks.body.items[0]).toMatchObject({ kind: 'sign', type: 'leave', applicantName: '徐亮', overdue: false, daysOverdue: 0 });
    expect(tasks.body.next).toEqual(expect.any(String));
    const rest = await invoke(listTasks, httpEvent('GET /api/tasks', { as: 'zhou-tao', query: { limit: '2', cursor: tasks.body.next } }));
    expect(rest.body.items).toHaveLength(1);

    const mine = await invoke(listCases, httpEvent('GET /api/cases', { as: 'xu-liang', query: { mine: 'true' } }));
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { title: string }) => c.title)).toEqual(['徐亮请假2', '徐亮请假1', '徐亮请假0']);
    const badLimit = await invoke(listCases, httpEvent('GET /api/cases', { as: 'xu-liang', query: { limit: '500' } }));
    expect([badLimit.status, badLimit.body.error.field]).toEqual([400, 'limit']);
    expect(badLimit.body.error.message).toMatch(chineseFirst);
  });
});
