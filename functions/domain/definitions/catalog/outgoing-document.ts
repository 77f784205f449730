/**
 * 发文 Outgoing document (001 §一(一)1; 003 §4): the department drafts (拟稿) → related
 * departments countersign the draft (会稿, all must agree) → the office reviews (核稿) → a leader
 * signs it off (签发; the head for important ones) → the office numbers it (编号, one of four
 * kinds: 浏后勤发, 浏后勤字, 浏后勤函, 浏后勤会纪) → the department checks the proof (校对) → the
 * office checks the proof again (复核) → printing, sealing and dispatch (印制、封发) → filing (存档).
 */
import type { DefinitionInput } from '../definition.ts';

export const DOCUMENT_KINDS = ['浏后勤发', '浏后勤字', '浏后勤函', '浏后勤会纪'] as const;

export const outgoingDocument: DefinitionInput = {
  type: 'outgoing-document',
  version: 1,
  name: { zh: '发文', en: 'Outgoing document' },
  source: '001 §一(一)1; 003 §4',
  fields: [
    {
      key: 'docKind',
      type: 'enum',
      label: { zh: '发文字号类别', en: 'Document kind' },
      required: true,
      options: [
        { value: '浏后勤发', label: { zh: '浏后勤发（正式发文）', en: 'Formal document' } },
        { value: '浏后勤字', label: { zh: '浏后勤字', en: 'Letter-style document' } },
        { value: '浏后勤函', label: { zh: '浏后勤函（函件）', en: 'Letter' } },
        { value: '浏后勤会纪', label: { zh: '浏后勤会纪（会议纪要）', en: 'Meeting minutes' } },
      ],
    },
    { key: 'mainRecipients', type: 'text', label: { zh: '主送', en: 'To' }, required: true, maxLength: 300 },
    { key: 'copyTo', type: 'text', label: { zh: '抄送', en: 'Copy to' }, maxLength: 300 },
    { key: 'coDepartments', type: 'departments', label: { zh: '会稿部门', en: 'Departments countersigning the draft' } },
    { key: 'important', type: 'boolean', label: { zh: '重要文件（局长签发）', en: 'Important (signed off by the head)' } },
    {
      key: 'urgency',
      type: 'enum',
      label: { zh: '紧急程度', en: 'Urgency' },
      required: true,
      options: [
        { value: 'normal', label: { zh: '平件', en: 'Normal' } },
        { value: 'urgent', label: { zh: '加急', en: 'Urgent' } },
        { value: 'very-urgent', label: { zh: '特急', en: 'Very urgent' } },
      ],
    },
    {
      key: 'confidentiality',
      type: 'enum',
      label: { zh: '密级', en: 'Confidentiality' },
      required: true,
      options: [
        { value: 'public', label: { zh: '公开', en: 'Public' } },
        { value: 'internal', label: { zh: '内部', en: 'Internal' } },
        { value: 'secret', label: { zh: '秘密', en: 'Secret' } },
        { value: 'confidential', label: { zh: '机密', en: 'Confidential' } },
      ],
    },
    { key: 'copies', type: 'number', label: { zh: '印制份数', en: 'Copies to print' }, min: 1, max: 10000, step: 1 },
  ],
  steps: [
    {
      id: 'countersign',
      type: 'countersign',
      name: { zh: '相关科室会稿', en: 'Related departments countersign' },
      assignees: [{ rule: 'department-heads-in-field', field: 'coDepartments' }],
      completion: { mode: 'all' },
      deadline: { workingDays: 2 },
    },
    {
      id: 'review',
      type: 'approve',
      name: { zh: '办公室核稿', en: 'Office reviews the draft' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'sign-off-deputy',
      type: 'approve',
      name: { zh: '分管领导签发', en: 'Deputy in charge signs off' },
      when: { not: { field: 'important', op: 'eq', value: true } },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 2 },
      approveLabel: { zh: '签发', en: 'Sign off' },
    },
    {
      id: 'sign-off-head',
      type: 'approve',
      name: { zh: '局长签发', en: 'Head signs off' },
      when: { field: 'important', op: 'eq', value: true },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 2 },
      approveLabel: { zh: '签发', en: 'Sign off' },
    },
    { id: 'number', type: 'auto', name: { zh: '办公室编号', en: 'Office numbers it' }, action: { do: 'number', kindFromField: 'docKind' } },
    {
      id: 'proof',
      type: 'approve',
      name: { zh: '拟稿科室校对', en: 'Drafting department checks the proof' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 1 },
      allow: ['transfer'],
      approveLabel: { zh: '校对完成', en: 'Proof checked' },
    },
    {
      id: 'proof-check',
      type: 'approve',
      name: { zh: '办公室复核样稿', en: 'Office re-checks the proof' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'transfer'],
    },
    {
      id: 'dispatch',
      type: 'approve',
      name: { zh: '印制、封发', en: 'Print, seal and dispatch' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 2 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已发出', en: 'Dispatched' },
    },
    { id: 'file', type: 'auto', name: { zh: '办公室存档', en: 'Office files it' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '发文登记', en: 'Outgoing register' }, columns: ['docKind', 'mainRecipients', 'urgency', 'confidentiality', 'copies'] },
};
