/**
 * Attack: get in without a valid token, or as the wrong person. Every `user` route of the
 * topology answers 401 to each forged, expired or malformed token (the gateway's refusal, in the
 * API's error shape); a staff member is refused the admin routes (403); a stranger learns nothing
 * of another department's case (404, the same as for a case that does not exist), classified
 * cases are in nobody's lists but their handlers'; a signed token for someone not in the org
 * chart is refused; unknown routes are 404 and the local outbox is each person's own.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import { demoOrg } from '../../functions/domain/org/demo-org.ts';
import {
  CHINESE_FIRST,
  Figures,
  LOCAL_CREDENTIALS,
  attacker,
  expectRefusal,
  fillPath,
  forgedAuthorizations,
  givenSecuritySystem,
  inPool,
  isRefusal,
  leaveFields,
  mintToken,
  pdfBytes,
  plausibleBody,
  sha256,
  storage,
  type Attacker,
  type Storage,
} from './support.ts';

const userRoutes = topology.routes.filter((r) => r.auth === 'user');
const secretFields = { docKind: '发', mainRecipients: '局领导', urgency: 'normal', confidentiality: 'secret' };

describe('attack: getting in without a valid token, or as the wrong person', () => {
  const figures = new Figures();
  let system: Awaited<ReturnType<typeof givenSecuritySystem>>;
  let api: Attacker;
  let store: Storage;
  /** xu-liang's (计划财务科) leave case, with a scan attached and an upload waiting to be completed. */
  let caseA: { id: string; version: number };
  let attachmentId: string;
  let pendingUploadId: string;
  let secretCase: { id: string };
  const params = (path: string) => ({
    id: path.startsWith('/api/registers') ? 'leave' : caseA.id,
    type: 'leave',
    uploadId: pendingUploadId,
    attachmentId,
  });

  beforeAll(async () => {
    system = await givenSecuritySystem();
    api = attacker(system.urls.api, figures);
    store = storage(system.urls);
    caseA = await api.open('xu-liang', 'leave', '徐亮请假（他人不可见）', leaveFields());
    attachmentId = (await api.attach('xu-liang', caseA.id, '病历.pdf', pdfBytes('病历'))).id;
    const pending = pdfBytes('待完成');
    const asked = await api.post('xu-liang', `/api/cases/${caseA.id}/uploads`, { fileName: '待完成.pdf', contentType: 'application/pdf', size: pending.length, sha256: sha256(pending) });
    expect(asked.status, asked.what).toBe(201);
    expect((await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body: pending })).status).toBe(200);
    pendingUploadId = asked.body.uploadId;
    caseA = (await api.get('xu-liang', `/api/cases/${caseA.id}`)).body;
    secretCase = await api.open('xu-liang', 'outgoing-document', '关于某专项的秘密报告', secretFields);
  });
  afterAll(() => system?.stop());

  it(`answers 401 on each of the ${userRoutes.length} user routes to every forged, expired or malformed token, and writes nothing`, async () => {
    const forged = await forgedAuthorizations();
    expect(forged.length).toBeGreaterThanOrEqual(15);
    // The control: a token minted the same way, unforged, is let in, so each 401 below is the forgery's.
    const control = await api.get({ header: `Bearer ${await mintToken()}` }, '/api/me');
    expect(control.status, control.what).toBe(200);
    expect(control.body.id).toBe('xu-liang');

    const matrix = userRoutes.flatMap((route) => forged.map((auth) => ({ route, auth })));
    const { result: replies } = await store.refusing(figures, '401 matrix', () =>
      inPool(matrix, 8, ({ route, auth }) => {
        const body = plausibleBody(route.method, route.path, { version: caseA.version });
        return api.json({ header: auth.header }, route.method, fillPath(route.path, params(route.path)), body);
      }),
    );
    const wrong = replies
      .map((r, i) => ({ r, auth: matrix[i]!.auth.name }))
      .filter(({ r }) => r.status !== 401 || JSON.stringify(Object.keys(r.body?.error ?? {})) !== '["code","message","field"]' || r.body.error.code !== 'unauthenticated');
    expect(wrong.map(({ r, auth }) => `${auth}: ${r.what}`)).toEqual([]);
    for (const r of replies) {
      expect(r.body, r.what).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(CHINESE_FIRST), field: null } });
    }
    figures.extra['forged tokens tried'] = forged.length;
    figures.extra['routes × tokens'] = matrix.length;
  });

  it('a staff member on the admin routes: 403, and the org chart, calendar and executions unchanged', async () => {
    const org = await api.get('xu-liang', '/api/org');
    const calendar = await api.get('xu-liang', '/api/calendar?from=2026-12-01&to=2026-12-31');
    expect([org.status, calendar.status]).toEqual([200, 200]);
    // xu-liang makes himself an admin in the chart he sends.
    const promoted = { ...demoOrg, people: demoOrg.people.map((p) => (p.id === 'xu-liang' ? { ...p, roles: ['staff', 'admin'] } : p)) };
    const { result } = await store.refusing(figures, 'admin routes as staff', async () => [
      await api.put('xu-liang', '/api/org', { version: org.body.version, org: promoted }),
      await api.put('xu-liang', '/api/calendar', { version: calendar.body.version, overrides: [{ date: '2026-12-31', work: false, reason: '徐亮放假' }] }),
      await api.post('xu-liang', '/api/admin/restart-executions'),
      await api.post('xu-liang', '/api/admin/restart-executions', undefined, { 'idempotency-key': 'restart-as-staff-1' }),
      // His own case's execution, another's and one that does not exist: the same 403, so he learns nothing of which exist.
      await api.get('xu-liang', `/api/admin/cases/${caseA.id}/execution`),
      await api.get('xu-liang', `/api/admin/cases/${secretCase.id}/execution?limit=100`),
      await api.get('ma-chao', `/api/admin/cases/${caseA.id}/execution`),
      await api.get('ma-chao', '/api/admin/cases/20261127-nosuchcase/execution'),
      // A signed token whose groups claim admin does not make a staff member one: the org chart says who is.
      await api.put({ header: `Bearer ${await mintToken({ 'cognito:groups': ['admin'] })}` }, '/api/calendar', { version: calendar.body.version, overrides: [] }),
      await api.put({ header: `Bearer ${await mintToken({ 'cognito:groups': ['admin'] })}` }, '/api/org', { version: org.body.version, org: promoted }),
      await api.get({ header: `Bearer ${await mintToken({ 'cognito:groups': ['admin'] })}` }, `/api/admin/cases/${caseA.id}/execution`),
    ]);
    for (const r of result) expectRefusal(r, { status: 403, code: 'forbidden' });
    for (const r of result) expect(r.text, r.what).not.toContain(':execution:');
    // The control: the admin reads it.
    const admin = await api.get('chen-zhiqiang', `/api/admin/cases/${caseA.id}/execution`);
    expect(admin.status, admin.what).toBe(200);
    expect(admin.body.execution.arn).toContain(`:execution:`);
    expect((await api.get('xu-liang', '/api/org')).body).toEqual(org.body);
    expect((await api.get('xu-liang', '/api/calendar?from=2026-12-01&to=2026-12-31')).body).toEqual(calendar.body);
  });

  it('a stranger (马超, 行政事务科) reading or acting on 计划财务科’s case gets the same 404 as for a case that does not exist, and writes nothing', async () => {
    const ghost = '20261127-nosuchcase';
    const attempts: [string, string, (id: string) => string, unknown][] = [
      ['read', 'GET', (id) => `/api/cases/${id}`, undefined],
      ['trail', 'GET', (id) => `/api/cases/${id}/trail`, undefined],
      ['comment', 'POST', (id) => `/api/cases/${id}/actions`, { action: 'comment', version: caseA.version, comment: '我来看看' }],
      ['approve', 'POST', (id) => `/api/cases/${id}/actions`, { action: 'approve', version: caseA.version }],
      ['withdraw', 'POST', (id) => `/api/cases/${id}/actions`, { action: 'withdraw', version: caseA.version }],
      ['transfer', 'POST', (id) => `/api/cases/${id}/actions`, { action: 'transfer', version: caseA.version, to: 'ma-chao' }],
      ['upload', 'POST', (id) => `/api/cases/${id}/uploads`, plausibleBody('POST', '/api/cases/{id}/uploads')],
      ['complete', 'POST', (id) => `/api/cases/${id}/uploads/${pendingUploadId}/complete`, undefined],
      ['download', 'POST', (id) => `/api/cases/${id}/attachments/${attachmentId}/download`, undefined],
    ];
    const { result } = await store.refusing(figures, 'stranger on another department’s case', () =>
      inPool(attempts, 1, async ([name, method, path, body]) => ({
        name,
        real: await api.json('ma-chao', method, path(caseA.id), body),
        none: await api.json('ma-chao', method, path(ghost), body),
      })),
    );
    for (const { name, real, none } of result) {
      expectRefusal(real, { status: 404, code: 'not-found' });
      // Byte for byte what a case that does not exist gets: its existence is not revealed.
      expect({ name, status: real.status, text: real.text.replaceAll(caseA.id, '<id>') }).toEqual({ name, status: none.status, text: none.text.replaceAll(ghost, '<id>') });
    }
    // The applicant still sees his case whole: the upload is still waiting and the scan not downloaded.
    const own = await api.get('xu-liang', `/api/cases/${caseA.id}`);
    expect(own.body.attachments.map((a: any) => a.id)).toEqual([attachmentId]);
    expect(own.body.trail.map((t: any) => t.actorId)).not.toContain('ma-chao');
  });

  it('a classified (秘密) case: 404 to a stranger and to leaders not handling it, in none of their lists; its handlers see it', async () => {
    const lists = ['/api/cases?limit=100', '/api/cases?type=outgoing-document&limit=100', '/api/cases?status=open&limit=100', '/api/tasks?limit=100', '/api/overdue'];
    for (const person of ['ma-chao', 'zhang-xiuying', 'wang-jianguo', 'li-minghua', 'zhou-tao']) {
      const view = await api.get(person, `/api/cases/${secretCase.id}`);
      expectRefusal(view, { status: 404, code: 'not-found' });
      for (const list of lists) {
        const r = await api.get(person, list);
        expect(r.status, r.what).toBe(200);
        expect(r.text, `${person} ${list}`).not.toContain(secretCase.id);
        expect(r.text, `${person} ${list}`).not.toContain('秘密报告');
      }
      const register = await api.get(person, '/api/registers/outgoing-document?year=2026');
      expect(register.status).toBeLessThan(500);
      expect(register.text, `${person} register`).not.toContain('秘密报告');
    }
    // The controls: the applicant and the confidential clerk do see it, in lists too.
    expect((await api.get('xu-liang', '/api/cases?limit=100')).text).toContain(secretCase.id);
    expect((await api.get('yang-jing', `/api/cases/${secretCase.id}`)).status).toBe(200);
  });

  it('a signed token for a person id that is not in the org chart is refused (4xx) and writes nothing', async () => {
    const ghost = { header: `Bearer ${await mintToken({ 'cognito:username': 'ghost-user', sub: 'ghost-user' })}` };
    const ghostAdmin = { header: `Bearer ${await mintToken({ 'cognito:username': 'ghost-admin', sub: 'ghost-admin', 'cognito:groups': ['admin'] })}` };
    const org = (await api.get('xu-liang', '/api/org')).body;
    const calendar = (await api.get('xu-liang', '/api/calendar?from=2026-12-01&to=2026-12-02')).body;
    const { result } = await store.refusing(figures, 'person not in the org chart', async () => [
      await api.get(ghost, '/api/me'),
      await api.post(ghost, '/api/cases', { type: 'leave', title: '幽灵请假', fields: leaveFields() }),
      await api.post(ghost, '/api/cases', { type: 'leave', title: '幽灵请假', fields: leaveFields() }, { 'idempotency-key': 'ghost-create-0001' }),
      await api.post(ghost, `/api/cases/${caseA.id}/actions`, { action: 'comment', version: caseA.version, comment: '幽灵意见' }),
      await api.post(ghost, `/api/cases/${caseA.id}/uploads`, plausibleBody('POST', '/api/cases/{id}/uploads')),
      await api.post(ghost, `/api/cases/${caseA.id}/attachments/${attachmentId}/download`),
      await api.post(ghost, `/api/cases/${caseA.id}/uploads/${pendingUploadId}/complete`),
      await api.post(ghost, '/api/notifications/read', { ids: ['2026-11-27T00:00:00.000Z#abc'] }),
      await api.post(ghostAdmin, '/api/admin/restart-executions'),
      await api.get(ghostAdmin, `/api/admin/cases/${caseA.id}/execution`),
      await api.put(ghostAdmin, '/api/org', { version: org.version, org: demoOrg }),
      await api.put(ghostAdmin, '/api/calendar', { version: calendar.version, overrides: [] }),
    ]);
    const notRefused = result.filter((r) => !isRefusal(r)).map((r) => r.what);
    expect(notRefused).toEqual([]);
    // Reading as nobody shows nothing of anyone's.
    for (const path of ['/api/cases?limit=100', '/api/tasks', '/api/notifications', `/api/cases/${caseA.id}`, `/api/admin/cases/${caseA.id}/execution`]) {
      const r = await api.get(ghost, path);
      expect(r.status, r.what).toBeLessThan(500);
      expect(r.text, r.what).not.toContain(caseA.id);
    }
  });

  it('unknown routes under /api/ answer 404 in the error shape, with or without a token, and write nothing', async () => {
    const unknown: [string, string][] = [
      ['GET', '/api/nope'],
      ['GET', '/api/cases/x/y/z'],
      ['POST', '/api/nothing'],
      ['POST', `/api/cases/${caseA.id}/delete`],
      ['DELETE', `/api/cases/${caseA.id}`],
      ['DELETE', '/api/org'],
      ['PATCH', `/api/cases/${caseA.id}`],
      ['PUT', '/api/cases'],
      ['PUT', `/api/cases/${caseA.id}/attachments/${attachmentId}`],
      ['POST', '/api/admin/drop-table'],
      ['GET', '/api/admin/restart-executions'],
      ['POST', `/api/admin/cases/${caseA.id}/execution`],
      ['GET', `/api/admin/cases/${caseA.id}/execution/history`],
      ['GET', '/api/'],
    ];
    const { result } = await store.refusing(figures, 'unknown routes', () =>
      inPool(
        unknown.flatMap(([m, p]) => [undefined, 'xu-liang', 'chen-zhiqiang'].map((as) => ({ m, p, as }))),
        4,
        ({ m, p, as }) => api.json(as, m, p, m === 'GET' ? undefined : { action: 'approve', version: caseA.version }),
      ),
    );
    for (const r of result) expectRefusal(r, { status: 404, code: 'not-found', field: null });
    expect((await api.get('xu-liang', `/api/cases/${caseA.id}`)).body.status).toBe('open');
  });

  it('/local/outbox: 401 without a valid token; a staff member reads only the emails sent to him', async () => {
    const ses = new SESv2Client({ endpoint: system.urls.ses, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    const mail = (to: string[], subject: string) =>
      ses.send(new SendEmailCommand({ FromEmailAddress: 'bangong@localhost', Destination: { ToAddresses: to }, Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: subject } } } } }));
    await mail(['xu-liang@demo.bangong.cn'], '督办：请假待办');
    await mail(['zhou-tao@demo.bangong.cn'], '督办：周涛的待办（徐亮不应看到）');
    await mail(['chen-zhiqiang@demo.bangong.cn', 'zhou-tao@demo.bangong.cn'], '每日汇总（徐亮不应看到）');
    ses.destroy();

    const let_in: string[] = [];
    for (const auth of await forgedAuthorizations()) {
      const r = await api.get({ header: auth.header }, '/local/outbox');
      const refused = r.status === 401 && r.body?.error?.code === 'unauthenticated' && Object.keys(r.body).length === 1 && CHINESE_FIRST.test(r.body.error.message) && r.body.error.field === null;
      if (!refused) let_in.push(`${auth.name}: ${r.what}`);
    }
    expect(let_in).toEqual([]);
    const own = await api.get('xu-liang', '/local/outbox');
    expect(own.status, own.what).toBe(200);
    expect(own.body.messages.map((m: any) => m.subject)).toEqual(['督办：请假待办']);
    for (const m of own.body.messages) expect(m.to).toContain('xu-liang@demo.bangong.cn');
    for (const path of ['/local/outbox?to=zhou-tao@demo.bangong.cn', '/local/outbox?to=chen-zhiqiang@demo.bangong.cn', '/local/outbox?to=']) {
      const r = await api.get('xu-liang', path);
      expect(r.status).toBeLessThan(500);
      expect(r.text, path).not.toContain('徐亮不应看到');
    }
    // The control: an admin reads every email.
    expect((await api.get('chen-zhiqiang', '/local/outbox')).body.messages).toHaveLength(3);
  });

  it('[figures] no 5xx, no write by a refused request, no answer a browser may keep', () => {
    figures.print('access');
    figures.expectClean();
    expect(figures.requests).toBeGreaterThan(500);
  });
});
