/**
 * 请假 Leave (002 第二篇 §9): staff ask their section head, section heads ask the deputy in
 * charge, deputies ask the head. Up to 1 day the section head approves; over 1 and up to 3 days
 * the deputy in charge; over 3 days the head — and every level on the way signs. Approved leave
 * goes to the office for attendance (交办公室考勤).
 */
import type { DefinitionInput } from '../definition.ts';
import { applicantIsBureauLeader, applicantIsLeader } from './conditions.ts';


export const leave: DefinitionInput = {
  type: 'leave',
  version: 1,
  name: { zh: '请假', en: 'Leave' },
  source: '002 第二篇 §9',
  fields: [
    {
      key: 'leaveType',
      type: 'enum',
      label: { zh: '请假类别', en: 'Kind of leave' },
      required: true,
      options: [
        { value: 'personal', label: { zh: '事假', en: 'Personal' } },
        { value: 'sick', label: { zh: '病假', en: 'Sick' } },
        { value: 'annual', label: { zh: '年休假', en: 'Annual' } },
        { value: 'marriage', label: { zh: '婚假', en: 'Marriage' } },
        { value: 'maternity', label: { zh: '产假', en: 'Maternity' } },
        { value: 'bereavement', label: { zh: '丧假', en: 'Bereavement' } },
        { value: 'compensatory', label: { zh: '调休', en: 'Time off in lieu' } },
      ],
    },
    { key: 'startDate', type: 'date', label: { zh: '开始日期', en: 'From' }, required: true },
    { key: 'endDate', type: 'date', label: { zh: '结束日期', en: 'To' }, required: true },
    { key: 'days', type: 'number', label: { zh: '天数', en: 'Days' }, required: true, min: 0.5, max: 365, step: 0.5, unit: { zh: '天', en: 'days' } },
    { key: 'reason', type: 'text', label: { zh: '请假事由', en: 'Reason' }, required: true, maxLength: 500, multiline: true },
    { key: 'handover', type: 'text', label: { zh: '工作交接', en: 'Handover' }, maxLength: 500, multiline: true },
  ],
  checks: [{ check: 'days-within-dates', days: 'days', from: 'startDate', to: 'endDate' }],
  steps: [
    {
      id: 'section-head',
      type: 'approve',
      name: { zh: '科长审批', en: 'Section head approves' },
      when: { not: applicantIsLeader },
      assignees: [{ rule: 'department-head-of-applicant' }],
      deadline: { workingDays: 1 },
      onTimeout: 'escalate',
    },
    {
      id: 'deputy',
      type: 'approve',
      name: { zh: '分管领导审批', en: 'Deputy in charge approves' },
      when: {
        all: [
          { not: applicantIsBureauLeader },
          { any: [{ field: 'days', op: 'gt', value: 1 }, { applicantRole: 'department-head' }, { applicantRole: 'office-director' }] },
        ],
      },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'head',
      type: 'approve',
      name: { zh: '局长审批', en: 'Head approves' },
      when: {
        all: [{ not: { applicantRole: 'head' } }, { any: [{ field: 'days', op: 'gt', value: 3 }, { applicantRole: 'deputy' }] }],
      },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 2 },
    },
    {
      id: 'attendance',
      type: 'auto',
      name: { zh: '交办公室考勤', en: 'To the office for attendance' },
      action: { do: 'notify', to: [{ rule: 'office-director' }, { rule: 'role', role: 'clerk' }], message: { zh: '请假已批准，请登记考勤', en: 'Leave approved: record it for attendance' } },
    },
  ],
  register: { name: { zh: '请假登记', en: 'Leave register' }, columns: ['leaveType', 'startDate', 'endDate', 'days'] },
};

const half = (key: string, label: { zh: string; en: string }) => ({
  key,
  type: 'enum' as const,
  label,
  options: [
    { value: 'am', label: { zh: '上午', en: 'Morning' } },
    { value: 'pm', label: { zh: '下午', en: 'Afternoon' } },
  ],
});

/**
 * 请假 v2: nobody types the days. They are worked out from the dates on the working calendar
 * (weekends, public holidays and 调休 as the office observes them), a half day off where the leave
 * starts in the afternoon (开始：下午) or ends at noon (结束：上午); 产假 counts every calendar day.
 * The steps read the days worked out, so a leave of two days never reaches the head.
 */
export const leaveV2: DefinitionInput = {
  ...leave,
  version: 2,
  fields: leave.fields.flatMap((f) => {
    if (f.key === 'startDate') return [f, half('startHalf', { zh: '开始于', en: 'Starting' })];
    if (f.key === 'endDate') return [f, half('endHalf', { zh: '结束于', en: 'Ending' })];
    if (f.key === 'days') {
      return [{ ...f, required: false, help: { zh: '按工作日历自动计算（节假日、周末不计）', en: 'Worked out on the working calendar (weekends and holidays not counted)' } }];
    }
    return [f];
  }),
  derive: [
    {
      field: 'days',
      workingDaysBetween: { from: 'startDate', to: 'endDate', fromHalf: 'startHalf', toHalf: 'endHalf' },
      calendarDaysWhen: { field: 'leaveType', op: 'eq', value: 'maternity' },
    },
  ],
};
