/**
 * 信访 Petition (002 第二篇 §七; 003 §18, §19; DOMAIN.md §6), with its legal deadlines: register
 * within 3 working days of receipt (a visit the same day); decide within 15 days of receipt whether
 * it is accepted and tell the petitioner in writing; the handling department answers within 7 days
 * whether it accepts; resolve within 60 days of acceptance, extendable once by 30 days with the
 * approval of the deputy in charge and a written reason; reply in writing. Every letter is
 * registered, every visit recorded, every case has a result and a file.
 */
import type { DefinitionInput } from '../definition.ts';

export const petition: DefinitionInput = {
  type: 'petition',
  version: 1,
  name: { zh: '信访件', en: 'Petition' },
  source: '002 第二篇 §七; 003 §18, §19',
  archive: { category: 'documents', retention: '30y' }, // 信访件: 30 年
  // Not accepted is a result too: the reason (the written notice's content) is in the trail, and it is filed.
  fileWhenClosed: true,
  fields: [
    {
      key: 'channel',
      type: 'enum',
      label: { zh: '信访形式', en: 'How it came' },
      required: true,
      options: [
        { value: 'letter', label: { zh: '来信', en: 'Letter' } },
        { value: 'visit', label: { zh: '来访', en: 'Visit' } },
        { value: 'online', label: { zh: '网上信访', en: 'Online' } },
        { value: 'phone', label: { zh: '来电', en: 'Phone' } },
      ],
    },
    { key: 'receivedOn', type: 'date', label: { zh: '收到日期', en: 'Received on' }, required: true },
    { key: 'petitioner', type: 'text', label: { zh: '信访人', en: 'Petitioner' }, required: true, maxLength: 60 },
    { key: 'contact', type: 'text', label: { zh: '联系方式', en: 'Contact' }, maxLength: 100 },
    { key: 'summary', type: 'text', label: { zh: '信访事项', en: 'What it is about' }, required: true, maxLength: 2000, multiline: true },
    { key: 'handlingDepartment', type: 'department', label: { zh: '承办部门', en: 'Handling department' }, required: true },
  ],
  steps: [
    {
      id: 'register-visit',
      type: 'approve',
      name: { zh: '来访当日登记', en: 'Record the visit the same day' },
      when: { field: 'channel', op: 'eq', value: 'visit' },
      // The petition desk that opened the case completes its registration.
      assignees: [{ rule: 'applicant' }],
      deadline: { sameDay: true, from: 'receivedOn' },
      allow: ['transfer'],
      approveLabel: { zh: '已登记', en: 'Recorded' },
    },
    {
      id: 'register',
      type: 'approve',
      name: { zh: '3个工作日内登记', en: 'Register within 3 working days' },
      when: { field: 'channel', op: 'ne', value: 'visit' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 3, from: 'receivedOn' },
      allow: ['transfer'],
      approveLabel: { zh: '已登记', en: 'Registered' },
    },
    {
      id: 'accept',
      type: 'approve',
      name: { zh: '15日内决定是否受理并书面告知', en: 'Decide on acceptance within 15 days, in writing' },
      assignees: [{ rule: 'department-head-of-applicant' }],
      deadline: { days: 15, from: 'receivedOn' },
      allow: ['reject', 'return', 'transfer'],
      approveLabel: { zh: '受理', en: 'Accept' },
      marks: { event: 'accepted', label: { zh: '受理', en: 'acceptance' } },
      chase: { everyWorkingDays: 2, escalateAfter: 2, escalateTo: 'superior' },
    },
    {
      id: 'department-answer',
      type: 'countersign',
      name: { zh: '承办部门7日内答复是否受理', en: 'The handling department answers within 7 days' },
      assignees: [{ rule: 'department-heads-in-field', field: 'handlingDepartment' }],
      completion: { mode: 'all' },
      deadline: { days: 7 },
      allow: ['return', 'transfer'],
      chase: { everyWorkingDays: 1, escalateAfter: 2, escalateTo: 'superior' },
    },
    {
      id: 'resolve',
      type: 'approve',
      name: { zh: '受理之日起60日内办结', en: 'Resolve within 60 days of acceptance' },
      assignees: [{ rule: 'department-heads-in-field', field: 'handlingDepartment' }],
      deadline: { days: 60, from: 'accepted' },
      extension: { days: 30, by: [{ rule: 'deputies-in-charge-of-field', field: 'handlingDepartment' }] },
      allow: ['transfer', 'delegate', 'add-signer', 'circulate', 'return'],
      approveLabel: { zh: '办结', en: 'Resolved' },
      chase: { beforeWorkingHours: 40, everyWorkingDays: 5, escalateAfter: 2, escalateTo: 'superior' },
    },
    {
      id: 'reply',
      type: 'approve',
      name: { zh: '书面答复信访人', en: 'Reply to the petitioner in writing' },
      assignees: [{ rule: 'applicant' }, { rule: 'role', role: 'petition-desk' }],
      deadline: { workingDays: 3 },
      allow: ['transfer'],
      approveLabel: { zh: '已书面答复', en: 'Replied' },
    },
    { id: 'file', type: 'auto', name: { zh: '归档', en: 'File' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '信访登记簿', en: 'Petition register' }, columns: ['receivedOn', 'channel', 'petitioner', 'summary', 'handlingDepartment'] },
};

/** 信访复查: asked within 30 days of the written reply, answered within 30 days. */
export const petitionReview: DefinitionInput = {
  type: 'petition-review',
  version: 1,
  name: { zh: '信访复查', en: 'Petition review' },
  source: '002 第二篇 §七; DOMAIN.md §6',
  archive: { category: 'documents', retention: '30y' },
  fields: [
    { key: 'originalCase', type: 'text', label: { zh: '原信访件编号', en: 'Original petition case' }, required: true, maxLength: 60 },
    { key: 'repliedOn', type: 'date', label: { zh: '原书面答复日期', en: 'Written reply of' }, required: true },
    { key: 'requestedOn', type: 'date', label: { zh: '申请复查日期', en: 'Review asked on' }, required: true },
    { key: 'reason', type: 'text', label: { zh: '复查理由', en: 'Why' }, required: true, maxLength: 2000, multiline: true },
  ],
  checks: [
    { check: 'date-order', from: 'repliedOn', to: 'requestedOn' },
    { check: 'within-days', from: 'repliedOn', to: 'requestedOn', days: 30 },
  ],
  steps: [
    {
      id: 'review',
      type: 'approve',
      name: { zh: '30日内作出复查意见', en: 'Answer the review within 30 days' },
      assignees: [{ rule: 'head' }],
      deadline: { days: 30, from: 'requestedOn' },
      allow: ['reject', 'transfer', 'delegate', 'add-signer'],
      approveLabel: { zh: '复查完毕', en: 'Reviewed' },
    },
    { id: 'file', type: 'auto', name: { zh: '归档', en: 'File' }, action: { do: 'file' } },
  ],
};

/**
 * Version 2 records what the seeds ask of every petition: the handling department's result (处理
 * 有结果), the leader in charge reviewing the answer before it goes out (领导审核同意, 003 §18),
 * and the day of the written reply (the review's 30 days count from it). Version 1 stays for the
 * cases that started on it.
 */
export const petitionV2: DefinitionInput = {
  ...petition,
  version: 2,
  steps: petition.steps.flatMap((s) => {
    if (s.id === 'resolve') {
      return [
        { ...s, inputs: [{ key: 'result', type: 'text' as const, label: { zh: '办理结果', en: 'Result' }, required: true, maxLength: 2000, multiline: true }] },
        {
          id: 'leader-review',
          type: 'approve' as const,
          name: { zh: '分管领导审核答复意见', en: 'The deputy in charge reviews the answer' },
          assignees: [{ rule: 'deputies-in-charge-of-field' as const, field: 'handlingDepartment' }],
          deadline: { workingDays: 3 },
          allow: ['return' as const, 'transfer' as const, 'delegate' as const],
          approveLabel: { zh: '同意答复', en: 'Agree' },
        },
      ];
    }
    if (s.id === 'reply') return [{ ...s, inputs: [{ key: 'repliedOn', type: 'date' as const, label: { zh: '书面答复日期', en: 'Replied on' }, required: true }] }];
    return [s];
  }),
  register: { name: { zh: '信访登记簿', en: 'Petition register' }, columns: ['receivedOn', 'channel', 'petitioner', 'summary', 'handlingDepartment', 'result', 'repliedOn'] },
};
