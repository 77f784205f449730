/** 编号: numbers drawn at once are distinct and consecutive, recorded with their cases; a number is never recorded twice. */
import { describe, expect, it } from 'vitest';
import { createCase } from '../../functions/domain/cases/create-case.ts';
import { incomingDocument } from '../support/case-fields.ts';
import { as, givenOffice } from '../support/memory.ts';

const incoming = (n: number) => incomingDocument({ docNumber: `市机管发〔2026〕${n}号` });

describe('numbering', () => {
  it('gives twelve incoming documents registered at once twelve consecutive register numbers, each recorded with its case', async () => {
    const office = await givenOffice();
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createCase(office, { caller: as('liu-fang'), type: 'incoming-document', title: `来文${i + 1}`, fields: incoming(i + 1) })),
    );
    const ids = opened.map((r) => (r.body as { id: string }).id);
    const numbers = await Promise.all(ids.map(async (id) => (await office.cases.get(id))!.number));
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.map((n) => Number(/〕(\d+)号$/.exec(n!)![1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    const { last, records } = await office.numbering.uses('收文', 2026);
    expect(last).toBe(12);
    expect(records.map((r) => [r.sequence, r.status])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 'used']));
    expect(new Set(records.map((r) => r.caseId))).toEqual(new Set(ids));
  });

  it('draws distinct numbers for concurrent draws of one kind and year, and refuses to record one twice', async () => {
    const office = await givenOffice();
    const draws = await Promise.all(Array.from({ length: 50 }, () => office.numbering.allocate('示事管发', 2026)));
    expect(draws.map((d) => d.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(draws.find((d) => d.sequence === 7)!.number).toBe('示事管发〔2026〕7号');
    // Another kind or year has its own counter.
    expect((await office.numbering.allocate('示事管发', 2027)).sequence).toBe(1);

    const seven = draws.find((d) => d.sequence === 7)!;
    await office.numbering.void(seven, '作废测试', 'liu-fang');
    await expect(office.numbering.record(seven, { title: '又用一次', by: 'liu-fang' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await office.numbering.uses('示事管发', 2026)).records).toEqual([expect.objectContaining({ sequence: 7, status: 'void', reason: '作废测试' })]);
  });
});
