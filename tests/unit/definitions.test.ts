import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { catalog } from '../../functions/domain/definitions/catalog/index.ts';
import { catalogInputs } from '../../functions/domain/definitions/catalog/inputs.ts';
import { CATALOG_FILE, catalogJson } from '../../local/catalog.ts';
import { loadDefinition, type DefinitionInput } from '../../functions/domain/definitions/definition.ts';
import { definitionVersion } from '../../functions/domain/definitions/lookup.ts';
import { decide, openCase } from '../../functions/domain/cases/engine.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import { tasksOf } from '../../functions/domain/cases/case.ts';
import { orgChart, MONDAY_9AM } from '../support/engine.ts';

const minimal: DefinitionInput = {
  type: 'vote',
  version: 1,
  name: { zh: '表决', en: 'Vote' },
  source: 'test',
  fields: [{ key: 'topic', type: 'text', label: { zh: '议题', en: 'Topic' }, required: true }],
  steps: [
    {
      id: 'vote',
      type: 'countersign',
      name: { zh: '科长表决', en: 'Section heads vote' },
      assignees: [{ rule: 'department-heads-in-field', field: 'topic' as never }],
      completion: { mode: 'ratio', ratio: 0.5 },
    },
  ],
};

describe('definitions as data', () => {
  it('every catalogue definition loads, and each type@version is kept for the cases that started on it', () => {
    // Every process of DOMAIN.md §1–§12 (the archive requests live beside them).
    expect(catalogInputs.map((d) => d.type)).toEqual(
      expect.arrayContaining([
        'incoming-document',
        'outgoing-document',
        'seal-use',
        'seal-carving',
        'seal-inspection',
        'seal-retirement',
        'leave',
        'expense',
        'petition',
        'petition-review',
        'meeting',
        'room-booking',
        'supervision',
        'archive-hand-in',
        'certificate',
        'certificate-review',
        'monthly-report',
        'theory-study',
        'office-supplies',
        'vehicle-use',
        'vehicle-repair',
        'reception',
        'news-release',
        'media-interview',
        'web-publishing',
        'duty-log',
        'procurement',
      ]),
    );
    // A later version never replaces an earlier one: both are loadable.
    for (const type of ['outgoing-document', 'seal-use', 'expense', 'petition', 'supervision', 'monthly-report', 'certificate-review']) {
      expect([definitionVersion(type, 1).version, definitionVersion(type, 2).version]).toEqual([1, 2]);
    }
    expect(definitionVersion('leave', 1).type).toBe('leave');
    expect(() => definitionVersion('leave', 99)).toThrow(/missing/);
    expect(catalog.size).toBe(catalogInputs.length);
  });

  it('the catalogue the functions load is exactly its inputs validated by the schema (after changing a definition: npm run catalog)', () => {
    expect(readFileSync(CATALOG_FILE, 'utf8'), 'catalog.json is out of date: run npm run catalog').toBe(catalogJson());
    expect([...catalog.values()]).toEqual(catalogInputs.map((input) => loadDefinition(input)));
  });

  it('refuses a bad definition with the path of the error', () => {
    expect(() => loadDefinition({ ...minimal, steps: [] })).toThrow(expect.objectContaining({ field: 'steps' }));
    expect(() => loadDefinition(minimal)).toThrow(expect.objectContaining({ field: 'steps.0.assignees.0.field' }));
    const badCondition = { ...minimal, steps: [{ ...minimal.steps[0]!, assignees: [{ rule: 'head' }], when: { field: 'nope', op: 'gt', value: 1 } }] };
    expect(() => loadDefinition(badCondition)).toThrow(expect.objectContaining({ field: 'steps.0.when.field' }));
    const badRule = { ...minimal, steps: [{ ...minimal.steps[0]!, assignees: [{ rule: 'the-boss' }] }] };
    expect(() => loadDefinition(badRule)).toThrow(expect.objectContaining({ field: 'steps.0.assignees.0.rule' }));
    // Days worked out from dates that may be left out could go uncounted, and steps that depend on them skipped.
    const optionalDates = {
      ...minimal,
      fields: [
        ...minimal.fields,
        { key: 'from', type: 'date', label: { zh: '开始', en: 'From' }, required: true },
        { key: 'to', type: 'date', label: { zh: '结束', en: 'To' } },
        { key: 'days', type: 'number', label: { zh: '天数', en: 'Days' } },
      ],
      steps: [{ ...minimal.steps[0]!, assignees: [{ rule: 'head' }] }],
      derive: [{ field: 'days', workingDaysBetween: { from: 'from', to: 'to' } }],
    } as DefinitionInput;
    expect(() => loadDefinition(optionalDates)).toThrow(expect.objectContaining({ field: 'derive.0.workingDaysBetween' }));
  });
});

describe('countersign completion by ratio and by any one', () => {
  const withDepartments = (mode: 'ratio' | 'any'): DefinitionInput => ({
    ...minimal,
    fields: [
      { key: 'topic', type: 'text', label: { zh: '议题', en: 'Topic' }, required: true },
      { key: 'departments', type: 'departments', label: { zh: '部门', en: 'Departments' }, required: true },
    ],
    steps: [{ ...(minimal.steps[0] as object), assignees: [{ rule: 'department-heads-in-field', field: 'departments' }], completion: mode === 'ratio' ? { mode: 'ratio', ratio: 0.5 } : { mode: 'any' } } as never],
  });
  const open = (mode: 'ratio' | 'any') => {
    const definition = loadDefinition(withDepartments(mode));
    let n = 0;
    const ctx = { definition, org: orgChart(), calendar: new WorkingCalendar(), now: MONDAY_9AM, newId: () => `s${++n}` };
    const c = openCase(ctx, { id: 'V1', title: '表决', fields: { topic: '年度计划', departments: ['office', 'finance', 'admin-affairs', 'petitions'] }, applicantId: 'xu-liang' });
    return { ctx, c: c.case };
  };

  it('ratio 0.5 of four signers completes on the second approval; rejections that make it impossible reject the case', () => {
    const { ctx, c } = open('ratio');
    expect(c.slots).toHaveLength(4);
    const one = decide(c, ctx, 'chen-zhiqiang', { action: 'approve' }).case;
    expect(one.status).toBe('open');
    const two = decide(one, ctx, 'sun-wei', { action: 'approve' }).case;
    expect(two.status).toBe('completed');
    const r1 = decide(c, ctx, 'chen-zhiqiang', { action: 'reject', comment: '不同意' }).case;
    expect(r1.status).toBe('open');
    const r2 = decide(r1, ctx, 'sun-wei', { action: 'reject', comment: '不同意' }).case;
    expect(r2.status).toBe('open'); // two of four may still approve
    const r3 = decide(r2, ctx, 'zhu-hong', { action: 'reject', comment: '不同意' }).case;
    expect(r3.status).toBe('rejected');
  });

  it('any one approval completes and cancels the other signatures', () => {
    const { ctx, c } = open('any');
    const done = decide(c, ctx, 'zhu-hong', { action: 'approve' }).case;
    expect(done.status).toBe('completed');
    expect(tasksOf(done)).toEqual([]);
  });
});
