/**
 * An admin reads the execution that drives a case through the API: its status and its history,
 * newest last, a page at a time, as the local Step Functions endpoint recorded it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };
const ADMIN = 'chen-zhiqiang';

describe('an admin reads a case’s execution through the API', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;
  let sfn: SFNClient;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE });
    api = apiClient(system.urls.api);
    sfn = new SFNClient({ endpoint: system.urls.stepfunctions, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    sfn?.destroy();
    await system?.stop();
  });

  /** Every event of the case's execution, read page by page through the API, oldest first. */
  async function allEvents(id: string, limit: number) {
    const pages: any[][] = [];
    let next: string | undefined;
    do {
      const r = await api.get(ADMIN, `/api/admin/cases/${id}/execution?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.events.length).toBeLessThanOrEqual(limit);
      pages.unshift(r.body.events);
      next = r.body.next;
    } while (next);
    return pages.flat();
  }

  it('shows a waiting case’s execution: running, waiting for people, its history newest last and paged back to the start', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮请假（查看流程执行）', { leaveType: 'personal', startDate: '2026-11-30', endDate: '2026-11-30', days: 1, reason: '家中有事' });
    // Waiting for people: the task was handed its token and returned.
    await expect
      .poll(async () => (await api.get(ADMIN, `/api/admin/cases/${c.id}/execution`)).body.events?.at(-1), { timeout: 10_000 })
      .toMatchObject({ type: 'TaskSubmitted', state: 'Drive Case' });
    const view = (await api.get(ADMIN, `/api/admin/cases/${c.id}/execution`)).body;
    expect(view).toMatchObject({
      caseId: c.id,
      executionName: c.id,
      execution: { name: c.id, status: 'RUNNING', arn: expect.stringMatching(new RegExp(`:execution:CaseWorkflow:${c.id}$`)), startedAt: expect.any(String) },
    });
    expect(view.execution.stoppedAt).toBeUndefined();
    expect(view.next).toBeUndefined();
    const types = view.events.map((e: any) => e.type);
    // One state per wait: entered, its function called with the token, and waiting.
    expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted']);
    expect(view.events.map((e: any) => e.id)).toEqual(view.events.map((_: unknown, i: number) => i + 1));
    expect(view.events.slice(1).map((e: any) => e.state)).toEqual(Array(4).fill('Drive Case'));
    expect(view.events.at(-1)).toMatchObject({ type: 'TaskSubmitted', state: 'Drive Case' });
    // Newest last, in the order they happened.
    const times = view.events.map((e: any) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // For people: no execution data (the case's id is in every input and output Step Functions keeps).
    expect(JSON.stringify(view.events)).not.toContain(c.id);
    // The same as the local Step Functions endpoint says.
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: view.execution.arn }));
    expect(described.status).toBe('RUNNING');
    expect(described.startDate!.toISOString()).toBe(view.execution.startedAt);
    const raw = await sfn.send(new GetExecutionHistoryCommand({ executionArn: view.execution.arn }));
    expect(raw.events!.map((e) => e.type)).toEqual(types);

    // Two at a time: the latest two first, then the earlier ones, and together the whole history.
    const latest = await api.get(ADMIN, `/api/admin/cases/${c.id}/execution?limit=2`);
    expect(latest.body.events.map((e: any) => e.id)).toEqual([types.length - 1, types.length]);
    expect(latest.body.next).toBeTypeOf('string');
    const paged = await allEvents(c.id, 2);
    expect(paged).toEqual(view.events);
  });

  it('shows a finished case’s execution as succeeded, with when it stopped', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮请假（流程结束）', { leaveType: 'personal', startDate: '2026-11-30', endDate: '2026-12-01', days: 2, reason: '办事' });
    // Two days: the section head, then the deputy director.
    await api.act('zhou-tao', c.id, { action: 'approve', comment: '同意' });
    await api.act('li-minghua', c.id, { action: 'approve', comment: '同意' });
    await api.until('xu-liang', c.id, (x) => x.status === 'completed', 'completed');
    await expect.poll(async () => (await api.get(ADMIN, `/api/admin/cases/${c.id}/execution?limit=3`)).body.execution?.status, { timeout: 10_000 }).toBe('SUCCEEDED');
    const view = (await api.get(ADMIN, `/api/admin/cases/${c.id}/execution?limit=3`)).body;
    expect(Date.parse(view.execution.stoppedAt)).toBeGreaterThanOrEqual(Date.parse(view.execution.startedAt));
    expect(view.events.map((e: any) => e.type)).toEqual(['SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    expect(view.events[0].state).toBe('Case Closed');
    const all = await allEvents(c.id, 100);
    // Woken once: the section head's approval moved the case on to the deputy and left the execution
    // waiting; the deputy's left it the attendance notice to send.
    expect(all.filter((e) => e.type === 'TaskSucceeded' && e.state === 'Drive Case')).toHaveLength(1);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
  });

  it('is refused to anyone but an admin (403), and an unknown case is 404', async () => {
    const c = await api.open('xu-liang', 'leave', '徐亮请假（非管理员）', { leaveType: 'personal', startDate: '2026-12-02', endDate: '2026-12-02', days: 1, reason: '办事' });
    for (const person of ['xu-liang', 'zhou-tao']) {
      const r = await api.get(person, `/api/admin/cases/${c.id}/execution`);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    const ghost = await api.get(ADMIN, '/api/admin/cases/20261127-nosuchcase/execution');
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.code).toBe('not-found');
  });
});
