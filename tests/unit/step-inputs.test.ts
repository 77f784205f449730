/**
 * Step inputs: what an assignee enters with an approval (拟办 names departments and a due date,
 * 承办 records what was done), validated like the case's fields, merged into them, recorded in
 * the trail and usable by later steps' rules, conditions and deadlines.
 */
import { describe, expect, it } from 'vitest';
import { decide, openCase, type EngineContext } from '../../functions/domain/cases/engine.ts';
import { caseView } from '../../functions/domain/cases/case-view.ts';
import { loadDefinition, type Definition, type DefinitionInput } from '../../functions/domain/definitions/definition.ts';
import { WorkingCalendar } from '../../functions/domain/calendar/working-calendar.ts';
import type { CaseRecord } from '../../functions/domain/cases/case.ts';
import { MONDAY_9AM, orgChart } from '../support/engine.ts';

const shanghai = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

const handling: DefinitionInput = {
  type: 'handling',
  version: 1,
  name: { zh: '办件', en: 'Handling' },
  source: 'test',
  fields: [
    { key: 'subject', type: 'text', label: { zh: '事由', en: 'Subject' }, required: true },
    {
      key: 'urgency',
      type: 'enum',
      label: { zh: '紧急程度', en: 'Urgency' },
      required: true,
      options: [
        { value: 'normal', label: { zh: '平件', en: 'Normal' } },
        { value: 'urgent', label: { zh: '急件', en: 'Urgent' } },
      ],
    },
  ],
  checks: [{ check: 'lead-in-list', lead: 'leadDepartment', list: 'handlingDepartments' }],
  steps: [
    {
      id: 'propose',
      type: 'approve',
      name: { zh: '拟办', en: 'Propose' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 3 },
      deadlines: [{ when: { field: 'urgency', op: 'eq', value: 'urgent' }, deadline: { sameDay: true } }],
      inputs: [
        { key: 'handlingDepartments', type: 'departments', label: { zh: '承办部门', en: 'Handled by' }, required: true },
        { key: 'leadDepartment', type: 'department', label: { zh: '主办部门', en: 'Lead' } },
        { key: 'dueDate', type: 'date', label: { zh: '办复期限', en: 'Answer by' }, required: true },
        { key: 'proposal', type: 'text', label: { zh: '拟办意见', en: 'Proposal' }, required: true, maxLength: 500 },
      ],
    },
    {
      id: 'handle',
      type: 'countersign',
      name: { zh: '承办', en: 'Handle' },
      assignees: [{ rule: 'department-heads-in-field', field: 'handlingDepartments' }],
      completion: { mode: 'all' },
      deadline: { dateField: 'dueDate' },
      inputs: [{ key: 'result', type: 'text', label: { zh: '办理结果', en: 'Result' }, required: true }],
    },
    { id: 'close', type: 'approve', name: { zh: '办结', en: 'Close' }, assignees: [{ rule: 'applicant' }] },
  ],
  register: { name: { zh: '办件登记', en: 'Register' }, columns: ['subject', 'handlingDepartments', 'dueDate', 'result'] },
};

function given(fields: Record<string, unknown> = { subject: '关于年终检查的通知', urgency: 'normal' }, definition: Definition = loadDefinition(handling), now = MONDAY_9AM, applicantId = 'liu-fang') {
  let n = 0;
  const ctx: EngineContext = { definition, org: orgChart(), calendar: new WorkingCalendar(), now, newId: () => `s${++n}` };
  const opened = openCase(ctx, { id: 'H1', title: '办件', fields, applicantId });
  return { ctx, c: opened.case };
}

const proposal = { handlingDepartments: ['finance', 'admin-affairs'], leadDepartment: 'finance', dueDate: '2026-11-27', proposal: '拟请计划财务科牵头，行政事务科配合，于11月27日前办复' };

describe('step inputs in definitions', () => {
  it('a later step may use an earlier step’s inputs in its rules and deadline; the register may show them', () => {
    const d = loadDefinition(handling);
    expect(d.steps[0]).toMatchObject({ inputs: [expect.objectContaining({ key: 'handlingDepartments' }), expect.anything(), expect.anything(), expect.anything()] });
    expect(d.steps[2]).toMatchObject({ inputs: [] });
  });

  it('refuses a reference to an input not yet entered, a date deadline on a non-date, clashing and duplicate inputs, with the path', () => {
    const steps = handling.steps as any[];
    const usesOwn = { ...handling, steps: [{ ...steps[0], assignees: [{ rule: 'department-heads-in-field', field: 'handlingDepartments' }] }, ...steps.slice(1)] };
    expect(() => loadDefinition(usesOwn)).toThrow(expect.objectContaining({ field: 'steps.0.assignees.0.field' }));
    const conditionTooEarly = { ...handling, steps: [{ ...steps[0], when: { field: 'result', op: 'eq', value: 'x' } }, ...steps.slice(1)] };
    expect(() => loadDefinition(conditionTooEarly)).toThrow(expect.objectContaining({ field: 'steps.0.when.field' }));
    const notADate = { ...handling, steps: [steps[0], { ...steps[1], deadline: { dateField: 'proposal' } }, steps[2]] };
    expect(() => loadDefinition(notADate)).toThrow(expect.objectContaining({ field: 'steps.1.deadline.dateField' }));
    const unknownFrom = { ...handling, steps: [steps[0], { ...steps[1], deadline: { days: 3, from: 'nothing' } }, steps[2]] };
    expect(() => loadDefinition(unknownFrom)).toThrow(expect.objectContaining({ field: 'steps.1.deadline.from' }));
    const clash = { ...handling, steps: [steps[0], { ...steps[1], inputs: [{ key: 'dueDate', type: 'text', label: { zh: '期限', en: 'Due' } }] }, steps[2]] };
    expect(() => loadDefinition(clash)).toThrow(expect.objectContaining({ field: 'steps.1.inputs.0.type' }));
    const duplicate = { ...handling, steps: [{ ...steps[0], inputs: [...steps[0].inputs, steps[0].inputs[0]] }, ...steps.slice(1)] };
    expect(() => loadDefinition(duplicate)).toThrow(expect.objectContaining({ field: 'steps.0.inputs.4.key' }));
    const badCheck = { ...handling, checks: [{ check: 'lead-in-list', lead: 'nobody', list: 'handlingDepartments' }] };
    expect(() => loadDefinition(badCheck)).toThrow(expect.objectContaining({ field: 'checks.0' }));
    // The same key at a later step (批办 re-routes) with the same type is fine.
    const reroute = { ...handling, steps: [steps[0], { ...steps[1], inputs: [...steps[1].inputs, steps[0].inputs[0]] }, steps[2]] };
    expect(loadDefinition(reroute).steps[1]).toBeDefined();
  });
});

describe('approving with inputs', () => {
  it('refuses missing, unknown, mistyped and dangling values with the field path, in Chinese first, and changes nothing', () => {
    const { ctx, c } = given();
    const before = structuredClone(c);
    const attempt = (fields: Record<string, unknown> | undefined) => () => decide(c, ctx, 'chen-zhiqiang', { action: 'approve', fields });
    expect(attempt(undefined)).toThrow(expect.objectContaining({ code: 'validation', field: 'fields.handlingDepartments', message: expect.stringMatching(/^请选择承办部门/) }));
    expect(attempt({ ...proposal, dueDate: undefined })).toThrow(expect.objectContaining({ field: 'fields.dueDate' }));
    expect(attempt({ ...proposal, dueDate: '2026-02-30' })).toThrow(expect.objectContaining({ field: 'fields.dueDate', message: expect.stringMatching(/^办复期限不是有效日期/) }));
    expect(attempt({ ...proposal, proposal: '' })).toThrow(expect.objectContaining({ field: 'fields.proposal' }));
    expect(attempt({ ...proposal, handlingDepartments: [] })).toThrow(expect.objectContaining({ field: 'fields.handlingDepartments' }));
    expect(attempt({ ...proposal, extra: 1 })).toThrow(expect.objectContaining({ field: 'fields', message: expect.stringMatching(/^包含未定义的字段/) }));
    expect(attempt({ ...proposal, subject: '改标题' })).toThrow(expect.objectContaining({ field: 'fields' }));
    expect(attempt({ ...proposal, handlingDepartments: ['finance', 'nowhere'] })).toThrow(expect.objectContaining({ field: 'fields.handlingDepartments', message: expect.stringMatching(/没有这个部门/) }));
    // Several departments need a lead (联合办理须明确牵头科室), and the lead is one of them.
    expect(attempt({ ...proposal, leadDepartment: undefined })).toThrow(expect.objectContaining({ field: 'fields.leadDepartment', message: expect.stringMatching(/^承办部门有多个时，请指定主办部门/) }));
    expect(attempt({ ...proposal, leadDepartment: 'petitions' })).toThrow(expect.objectContaining({ field: 'fields.leadDepartment' }));
    expect(c).toEqual(before);
  });

  it('merges the inputs into the fields, records them in the trail, and the next step is assigned and due by them', () => {
    const { ctx, c } = given();
    expect(c.dueAt).toBe(shanghai('2026-11-26', '17:30')); // 3 working days
    const out = decide(c, ctx, 'chen-zhiqiang', { action: 'approve', comment: '拟办', fields: proposal });
    expect(out.case.fields).toMatchObject({ subject: '关于年终检查的通知', ...proposal });
    expect(out.trail.find((t) => t.action === 'approve')).toMatchObject({ actorName: '陈志强', comment: '拟办', detail: { fields: proposal } });
    expect(out.case.slots.map((s) => s.personId)).toEqual(['zhou-tao', 'sun-wei']);
    // 拟办's due date is 承办's deadline.
    expect(out.case.dueAt).toBe(shanghai('2026-11-27', '17:30'));
    expect(out.case.due?.rule.zh).toBe('按“办复期限”');
    // One department alone needs no lead.
    const single = decide(c, ctx, 'chen-zhiqiang', { action: 'approve', fields: { ...proposal, handlingDepartments: ['petitions'], leadDepartment: undefined } });
    expect(single.case.slots.map((s) => s.personId)).toEqual(['zhu-hong']);
  });

  it('an urgent one is due the same day (a conditional deadline)', () => {
    const { c } = given({ subject: '紧急通知', urgency: 'urgent' });
    expect(c.dueAt).toBe(shanghai('2026-11-23', '17:30'));
    expect(c.due?.rule.zh).toBe('当日办结');
  });

  it('a step without inputs refuses fields; a signer added to a step may approve without the required inputs, its own signer may not', () => {
    const { ctx, c } = given();
    const proposed = decide(c, ctx, 'chen-zhiqiang', { action: 'approve', fields: proposal }).case;
    const handled = decide(decide(proposed, ctx, 'zhou-tao', { action: 'approve', fields: { result: '已落实' } }).case, ctx, 'sun-wei', { action: 'approve', fields: { result: '已配合' } }).case;
    expect(handled.fields.result).toBe('已配合');
    expect(() => decide(handled, ctx, 'liu-fang', { action: 'approve', fields: { result: 'x' } })).toThrow(expect.objectContaining({ field: 'fields', message: expect.stringMatching(/^本步骤无需填写内容/) }));
    expect(decide(handled, ctx, 'liu-fang', { action: 'approve', fields: {} }).case.status).toBe('completed');

    const added = decide(proposed, ctx, 'zhou-tao', { action: 'add-signer', people: ['xu-liang'], position: 'before' }).case;
    const helper = decide(added, ctx, 'xu-liang', { action: 'approve', comment: '已核实数据' }).case;
    expect(() => decide(helper, ctx, 'zhou-tao', { action: 'approve' })).toThrow(expect.objectContaining({ field: 'fields.result' }));
  });

  it('a return to the applicant keeps what assignees entered; the applicant changes only their own fields', () => {
    const { ctx, c } = given();
    const proposed = decide(c, ctx, 'chen-zhiqiang', { action: 'approve', fields: proposal }).case;
    const returned = decide(proposed, ctx, 'zhou-tao', { action: 'return', toStep: 'applicant', comment: '事由不清' }).case;
    const again = decide(returned, ctx, 'liu-fang', { action: 'resubmit', fields: { subject: '关于年终安全检查的通知' } }).case;
    expect(again.fields).toMatchObject({ subject: '关于年终安全检查的通知', dueDate: '2026-11-27' });
    expect(() => decide(returned, ctx, 'liu-fang', { action: 'resubmit', fields: { dueDate: '2026-12-01' } })).toThrow(expect.objectContaining({ field: 'fields' }));
  });

  it('the case view names the current step’s inputs for the form', () => {
    const { ctx, c } = given();
    const view = caseView({ ...c, version: 1 }, ctx.definition, ctx.org, 'chen-zhiqiang', MONDAY_9AM);
    expect(view.currentStepInputs?.map((f) => f.key)).toEqual(['handlingDepartments', 'leadDepartment', 'dueDate', 'proposal']);
    expect(view.actions).toContain('approve');
    const closed = caseView({ ...c, status: 'completed' } as CaseRecord, ctx.definition, ctx.org, 'chen-zhiqiang', MONDAY_9AM);
    expect(closed.currentStepInputs).toBeUndefined();
  });
});

describe('cross-field checks', () => {
  const booking: DefinitionInput = {
    type: 'booking',
    version: 1,
    name: { zh: '预约', en: 'Booking' },
    source: 'test',
    fields: [
      { key: 'meetingDate', type: 'date', label: { zh: '会议日期', en: 'Date' }, required: true },
      { key: 'room', type: 'text', label: { zh: '会议室', en: 'Room' }, required: true },
      { key: 'important', type: 'boolean', label: { zh: '重要会议', en: 'Important' } },
      { key: 'attendees', type: 'people', label: { zh: '参会人员', en: 'Attendees' } },
      { key: 'fund', type: 'text', label: { zh: '经费来源', en: 'Fund' } },
    ],
    checks: [
      { check: 'days-ahead', field: 'meetingDate', min: 1, max: 3 },
      { check: 'required-when', field: 'fund', when: { field: 'important', op: 'eq', value: true } },
      { check: 'each-in', field: 'attendees', in: ['byPhone', 'byFax'], atLeast: 1 },
      { check: 'each-in', field: 'attendees', in: ['byPhone', 'byFax'], atLeast: 2, when: { field: 'important', op: 'eq', value: true } },
    ],
    steps: [
      {
        id: 'notice',
        type: 'approve',
        name: { zh: '通知', en: 'Notice' },
        assignees: [{ rule: 'role', role: 'clerk' }],
        allow: ['return'],
        inputs: [
          { key: 'byPhone', type: 'people', label: { zh: '电话通知', en: 'By phone' } },
          { key: 'byFax', type: 'people', label: { zh: '传真通知', en: 'By fax' } },
        ],
      },
    ],
  };
  const open = (fields: Record<string, unknown>, now = MONDAY_9AM) => given(fields, loadDefinition(booking), now, 'ma-chao');

  it('a date 1–3 days ahead of today (Shanghai), and a change at least a day before the booked date', () => {
    expect(() => open({ meetingDate: '2026-11-23', room: '一号会议室' })).toThrow(expect.objectContaining({ field: 'fields.meetingDate', message: expect.stringMatching(/^会议日期须至少提前 1 天/) }));
    expect(() => open({ meetingDate: '2026-11-27', room: '一号会议室' })).toThrow(expect.objectContaining({ field: 'fields.meetingDate', message: expect.stringMatching(/^会议日期最多提前 3 天/) }));
    // 01:00 on Monday in Shanghai is still Sunday in UTC: the day counts in Shanghai, so Monday is today.
    expect(() => open({ meetingDate: '2026-11-23', room: '一号会议室' }, Date.parse('2026-11-22T17:00:00Z'))).toThrow(expect.objectContaining({ field: 'fields.meetingDate' }));
    const { ctx, c } = open({ meetingDate: '2026-11-25', room: '一号会议室' });
    const returned = decide(c, ctx, 'liu-fang', { action: 'return', toStep: 'applicant', comment: '请改期' });
    const later = { ...ctx, now: Date.parse(shanghai('2026-11-24', '10:00')) };
    expect(decide(returned.case, later, 'ma-chao', { action: 'resubmit', fields: { meetingDate: '2026-11-26' } }).case.fields.meetingDate).toBe('2026-11-26');
    // On the meeting's own day it is too late to change it.
    const tooLate = { ...ctx, now: Date.parse(shanghai('2026-11-25', '08:00')) };
    expect(() => decide(returned.case, tooLate, 'ma-chao', { action: 'resubmit', fields: { meetingDate: '2026-11-27' } })).toThrow(expect.objectContaining({ field: 'fields.meetingDate', message: expect.stringMatching(/^变更须在原定会议日期前至少 1 天办理/) }));
  });

  it('a field required when a condition holds', () => {
    expect(() => open({ meetingDate: '2026-11-24', room: '一号会议室', important: true })).toThrow(expect.objectContaining({ field: 'fields.fund', message: expect.stringMatching(/^请填写经费来源/) }));
    expect(open({ meetingDate: '2026-11-24', room: '一号会议室', important: true, fund: '专项经费' }).c.status).toBe('open');
  });

  it('every attendee told at least one way, two for an important meeting, judged when the notice is recorded', () => {
    const { ctx, c } = open({ meetingDate: '2026-11-24', room: '一号会议室', important: true, fund: '办公经费', attendees: ['zhou-tao', 'sun-wei'] });
    expect(() => decide(c, ctx, 'liu-fang', { action: 'approve', fields: { byPhone: ['zhou-tao', 'sun-wei'], byFax: ['zhou-tao'] } })).toThrow(
      expect.objectContaining({ field: 'fields.byPhone', message: expect.stringMatching(/^参会人员中的 sun-wei 须以至少 2 种方式（电话通知、传真通知）告知/) }),
    );
    const done = decide(c, ctx, 'liu-fang', { action: 'approve', fields: { byPhone: ['zhou-tao', 'sun-wei'], byFax: ['zhou-tao', 'sun-wei'] } });
    expect(done.case.status).toBe('completed');
    const ordinary = open({ meetingDate: '2026-11-24', room: '一号会议室', attendees: ['zhou-tao', 'sun-wei'] });
    expect(() => decide(ordinary.c, ordinary.ctx, 'liu-fang', { action: 'approve', fields: { byPhone: ['zhou-tao'] } })).toThrow(expect.objectContaining({ field: 'fields.byPhone' }));
    expect(decide(ordinary.c, ordinary.ctx, 'liu-fang', { action: 'approve', fields: { byPhone: ['zhou-tao'], byFax: ['sun-wei'] } }).case.status).toBe('completed');
  });
});
