/** 已办、我的申请 and every list: only cases the caller may see, full pages, cursors that serve only their owner and list. */
import { describe, expect, it } from 'vitest';
import { actOnCase } from '../../functions/domain/cases/act-on-case.ts';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { listCases } from '../../functions/domain/cases/list-cases.ts';
import { as, givenOffice, leave, type Office } from '../support/memory.ts';

async function open(office: Office, applicant: string, title: string, days = 1) {
  return (await createCase(office, { caller: as(applicant), type: 'leave', title, fields: leave(days) })).body as { id: string; version: number };
}

/** Every page of a list, with each page's size. */
async function allPages(office: Office, who: string, query: Parameters<typeof listCases>[2]) {
  const pages: { id: string }[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listCases(office, as(who), { ...query, cursor });
    pages.push(page.items);
    cursor = page.next;
  } while (cursor);
  return pages;
}

describe('list cases', () => {
  it('shows staff only the cases they take part in, a leader every one, newest first', async () => {
    const office = await givenOffice();
    const xu = [await open(office, 'xu-liang', '徐亮请假一'), await open(office, 'xu-liang', '徐亮请假二')];
    office.clock.advance(60_000);
    const ma = await open(office, 'ma-chao', '马超请假');

    expect((await listCases(office, as('ma-chao'), { limit: 20 })).items.map((c) => c.id)).toEqual([ma.id]);
    // His section head signs it, so he sees it; not the finance section's.
    expect((await listCases(office, as('sun-wei'), { limit: 20 })).items.map((c) => c.id)).toEqual([ma.id]);
    const head = await listCases(office, as('wang-jianguo'), { limit: 20 });
    expect(head.items.map((c) => c.id)).toEqual([ma.id, ...xu.map((c) => c.id).reverse()]);
    expect(head.items[0]).toMatchObject({ title: '马超请假', applicant: { id: 'ma-chao', name: '马超' }, status: 'open', stepName: '科长审批' });
  });

  it('fills every page with cases the caller may see, reading past the others, and never ends on an empty page', async () => {
    const office = await givenOffice();
    for (let i = 0; i < 25; i++) await open(office, 'xu-liang', `徐亮请假${i}`);
    const own = [await open(office, 'ma-chao', '马超请假一'), await open(office, 'ma-chao', '马超请假二'), await open(office, 'ma-chao', '马超请假三')];
    for (let i = 0; i < 25; i++) await open(office, 'xu-liang', `徐亮又请假${i}`);

    const pages = await allPages(office, 'ma-chao', { limit: 2 });
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages.flat().map((c) => c.id)).toEqual(own.map((c) => c.id).reverse());
    const everything = await allPages(office, 'wang-jianguo', { limit: 7 });
    expect(everything.flat()).toHaveLength(53);
    expect(new Set(everything.flat().map((c) => c.id)).size).toBe(53);
  });

  it('refuses another person’s cursor, or one from another list, as a 400 naming the cursor', async () => {
    const office = await givenOffice();
    for (let i = 0; i < 3; i++) await open(office, 'xu-liang', `徐亮请假${i}`);
    const first = await listCases(office, as('xu-liang'), { limit: 1, mine: true });
    expect(first.next).toEqual(expect.any(String));
    await expect(listCases(office, as('ma-chao'), { limit: 1, mine: true, cursor: first.next })).rejects.toMatchObject({ name: 'ValidationError', field: 'cursor' });
    await expect(listCases(office, as('xu-liang'), { limit: 1, status: 'open', cursor: first.next })).rejects.toMatchObject({ name: 'ValidationError', field: 'cursor' });
    await expect(listCases(office, as('xu-liang'), { limit: 1, mine: true, cursor: `${first.next}x` })).rejects.toMatchObject({ field: 'cursor' });
  });

  it('我的申请 lists the caller’s own requests; 已办 the cases they acted on, not their own', async () => {
    const office = await givenOffice();
    const mine = await open(office, 'zhou-tao', '周涛请假');
    const signed = await open(office, 'xu-liang', '徐亮请假（已批）');
    await open(office, 'xu-liang', '徐亮请假（未批）');
    await actOnCase(office, { caller: as('zhou-tao'), caseId: signed.id, version: signed.version, command: { action: 'approve' } });

    expect((await listCases(office, as('zhou-tao'), { limit: 20, mine: true })).items.map((c) => c.id)).toEqual([mine.id]);
    expect((await listCases(office, as('zhou-tao'), { limit: 20, handled: true })).items.map((c) => c.id)).toEqual([signed.id]);
    expect((await listCases(office, as('xu-liang'), { limit: 20, mine: true, status: 'completed' })).items.map((c) => c.id)).toEqual([signed.id]);
  });
});
