/** Opening a case: the record, its trail and inbox written together, the execution started once, refusals writing nothing. */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { as, givenOffice, leave } from '../support/memory.ts';

describe('create a case', () => {
  it('opens a leave at the section head, puts it in his inbox, starts one execution and records what it waits on', async () => {
    const office = await givenOffice();
    const response = await createCase(office, { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1) });
    expect(response.statusCode).toBe(201);
    const view = response.body as { id: string; version: number; currentStep: string; status: string };
    expect(view).toMatchObject({ version: 1, currentStep: 'section-head', status: 'open' });

    const stored = await office.cases.get(view.id);
    expect(stored).toMatchObject({ applicantId: 'xu-liang', applicantName: '徐亮', departmentId: 'finance', status: 'open' });
    expect((await office.cases.trail(view.id)).map((t) => t.action)).toEqual(['submit', 'enter']);
    expect((await office.cases.tasksFor('zhou-tao', 10)).items.map((t) => [t.caseId, t.kind])).toEqual([[view.id, 'sign']]);
    expect(office.workflows.of(view.id)).toEqual([view.id]);
    expect(await office.cases.waiting(view.id)).toMatchObject({ execution: view.id, stepKey: expect.any(String) });
    // The case is in its register (the type's, for the year), as the `register` index has it.
    expect((await office.registers.entries<{ id: string }>('leave', 2026)).map((c) => c.id)).toEqual([view.id]);
  });

  it('refuses fields that break the definition with a 400 naming the field, and writes nothing', async () => {
    const office = await givenOffice();
    const refused = createCase(office, { caller: as('xu-liang'), type: 'leave', title: '无效请假', fields: { ...leave(1), days: -1 } });
    await expect(refused).rejects.toMatchObject({ name: 'ValidationError', field: 'fields.days', message: expect.stringMatching(/^[^A-Za-z]*天数/) });
    expect((await office.cases.tasksFor('zhou-tao', 10)).items).toEqual([]);
    expect(office.workflows.started).toBe(0);
  });

  it('refuses dates that are not dates (no dashes, words, 30 February) with a 400 naming the field, never an error of the date checks', async () => {
    const office = await givenOffice();
    for (const startDate of ['20261101', 'Liu', '2026-02-30', '2026-13-01']) {
      const refused = createCase(office, { caller: as('xu-liang'), type: 'leave', title: '日期无效', fields: { ...leave(1), startDate } });
      await expect(refused, startDate).rejects.toMatchObject({ name: 'ValidationError', field: 'fields.startDate' });
    }
    expect(office.workflows.started).toBe(0);
  });

  it('opens one case for a retried request with the same Idempotency-Key, and refuses the key for another body', async () => {
    const office = await givenOffice();
    const cmd = { caller: as('xu-liang'), type: 'leave', title: '徐亮事假1天', fields: leave(1), idempotencyKey: 'retry-0001' };
    const [first, second] = await Promise.all([createCase(office, cmd), createCase(office, cmd)]);
    expect(second).toEqual(first);
    expect(office.workflows.started).toBe(1);
    expect((await office.cases.tasksFor('zhou-tao', 10)).items).toHaveLength(1);
    await expect(createCase(office, { ...cmd, title: '另一个请求' })).rejects.toMatchObject({ name: 'UnprocessableError', code: 'idempotency-key-reused' });
  });
});
