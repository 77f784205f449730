/**
 * Sizes no request can break: a bureau of 5,000 people, a case with thousands of trail entries, lists
 * in which the caller may see only a few cases among many.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenLocalSystem } from '../support/local-system.ts';
import { apiClient } from '../support/api.ts';
import { bigOrg } from '../support/big-org.ts';
import { bulkComments, bulkLoad, makeCases } from '../support/bulk-load.ts';

const ALL_FREE = { api: 0, dynamodb: 0, s3: 0, stepfunctions: 0, scheduler: 0, ses: 0 };

describe('sizes no request can break', () => {
  let system: Awaited<ReturnType<typeof givenLocalSystem>>;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    system = await givenLocalSystem({ ports: ALL_FREE });
    api = apiClient(system.urls.api);
  });
  afterAll(() => system?.stop());

  it('a case with 3,000 trail entries opens with its latest 50, and the rest page back to the first', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（讨论很长）', { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '家中有事' });
    await api.settled('xu-liang', c.id);
    await bulkComments(system.urls.dynamodb, c.id, 3_000, 100);
    const view = await api.get('xu-liang', `/api/cases/${c.id}`);
    expect(view.status).toBe(200);
    expect(view.body.trail).toHaveLength(50);
    expect(view.body.trail.at(-1).comment).toMatch(/^2999 /);
    // The routing slip still has the whole case: submitted, and the section head's step entered.
    expect(view.body.slip.map((e: any) => e.action)).toEqual(expect.arrayContaining(['submit', 'enter']));
    expect(view.body.slip.some((e: any) => e.action === 'comment')).toBe(false);
    const seen = new Set<string>(view.body.trail.map((e: any) => e.at + e.action));
    let cursor: string | undefined = view.body.trailEarlier;
    let pages = 0;
    while (cursor) {
      const page = await api.get('xu-liang', `/api/cases/${c.id}/trail?limit=200&cursor=${encodeURIComponent(cursor)}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeGreaterThan(0);
      for (const e of page.body.items) seen.add(e.at + e.action);
      cursor = page.body.earlier;
      pages++;
    }
    // Every comment and the case's own entries, each once; the first page reached the submission.
    expect(seen.size).toBeGreaterThanOrEqual(3_000 + 2);
    expect(pages).toBe(15);
    // Someone who may not see the case cannot read its trail either.
    expect((await api.get('ma-chao', `/api/cases/${c.id}/trail`)).status).toBe(404);
  }, 120_000);

  it('a case sent on 1,000 times with long opinions still opens, with the latest 300 entries of its routing slip', async () => {
    const c = await api.open('xu-liang', 'leave', '请假（反复传阅）', { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '家中有事' });
    await api.settled('xu-liang', c.id);
    await bulkComments(system.urls.dynamodb, c.id, 1_000, 2_000, { action: 'circulate' });
    const view = await api.get('zhou-tao', `/api/cases/${c.id}`);
    expect(view.status).toBe(200);
    expect(view.body.slip).toHaveLength(300);
    expect(view.body.slip.at(-1).comment).toMatch(/^999 /);
  }, 120_000);

  it('a list in which the caller may see few of many cases comes in full pages, never an empty one while more exist', async () => {
    // 600 requests by 马超's section; 胡军 may see only his own three among them.
    await bulkLoad(system.urls.dynamodb, makeCases(600, { end: Date.parse('2026-11-20T02:00:00Z'), spacingMs: 60_000, openEvery: 3, prefix: 'many', applicants: ['ma-chao'] }));
    for (const n of [1, 2, 3]) await api.open('hu-jun', 'leave', `胡军请假 ${n}`, { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '事' });
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.get('hu-jun', `/api/cases?year=2026&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items.length);
      expect(page.body.items.every((item: any) => item.applicant.id === 'hu-jun')).toBe(true);
      cursor = page.body.next;
    } while (cursor);
    expect(pages).toEqual([2, 1]);
  }, 120_000);

  it('an org chart of 5,000 people in 300 departments is saved and read back whole, and the system works on it', async () => {
    const org = bigOrg(5_000, 300);
    expect(JSON.stringify(org).length).toBeGreaterThan(400 * 1024);
    const current = await api.get('chen-zhiqiang', '/api/org');
    const saved = await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: current.body.version, org });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 300)).toBe(200);
    const read = await api.get('xu-liang', '/api/org');
    expect(read.body.version).toBe(current.body.version + 1);
    expect(read.body.people).toHaveLength(5_000);
    expect(read.body.departments).toHaveLength(300);
    // A person of one of the new sections asks for leave; their section head gets it.
    const person = org.people.find((p) => p.departmentId === 'dept-200' && p.roles.includes('staff'))!;
    const head = org.people.find((p) => p.departmentId === 'dept-200' && p.roles.includes('department-head'))!;
    const c = await api.open(person.id, 'leave', '请假', { leaveType: 'personal', startDate: '2026-11-24', endDate: '2026-11-24', days: 1, reason: '事' });
    const settled = await api.settled(person.id, c.id);
    expect(settled.body.assignees.map((a: any) => a.id)).toEqual([head.id]);
    // A stale version is still refused, and a second save works from the new one.
    expect((await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: current.body.version, org })).status).toBe(409);
    expect((await api.call('chen-zhiqiang', 'PUT', '/api/org', { version: read.body.version, org: { ...org, name: '示范市机关事务管理局（新）' } })).status).toBe(200);
    expect((await api.get('xu-liang', '/api/org')).body.name).toBe('示范市机关事务管理局（新）');
  }, 120_000);
});
