/**
 * 发文 Outgoing document (001 §一(一)1; 003 §4): the department drafts (拟稿) → related
 * departments countersign the draft (会稿, all must agree) → the office reviews (核稿) → a leader
 * signs it off (签发; the head for important ones) → the office numbers it (编号, one of four
 * kinds: 浏后勤发, 浏后勤字, 浏后勤函, 浏后勤会纪) → the department checks the proof (校对) → the
 * office checks the proof again (复核) → printing, sealing and dispatch (印制、封发) → filing (存档).
 */
import type { DefinitionInput } from '../definition.ts';
import { confidentialityField } from './common-fields.ts';
import { applicantIsLeader } from './conditions.ts';

export const DOCUMENT_KINDS = ['浏后勤发', '浏后勤字', '浏后勤函', '浏后勤会纪'] as const;

export const outgoingDocument: DefinitionInput = {
  type: 'outgoing-document',
  version: 1,
  name: { zh: '发文', en: 'Outgoing document' },
  source: '001 §一(一)1; 003 §4',
  archive: { category: 'documents', retention: 'permanent' }, // 本机关发文: 永久
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
    confidentialityField,
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

/**
 * Version 2 follows the seeds' whole sequence: after the office re-checks the proof the drafting
 * department has it printed (印制), the seal keeper stamps it (办公室盖章, within 1–2 working
 * days), the office seals and dispatches it (封发) and files it (存档) (001 §一(一)1; 002 第一篇
 * 办公室 ⑶②; 003 §4). A request to the leadership (请示件, 002 第一篇 办公室 ⑶①) runs drafter →
 * section head (把关) → office director (核稿) → head (签发), then the same numbering, printing,
 * sealing and filing. Version 1 stays for the cases that started on it.
 */
const v1 = (id: string) => outgoingDocument.steps.find((s) => s.id === id)!;

export const outgoingDocumentV2: DefinitionInput = {
  ...outgoingDocument,
  version: 2,
  description: { zh: '拟稿、会稿、核稿、签发、编号、校对、复核、印制、盖章、封发、存档；请示件', en: 'Draft to filing; requests to the leadership' },
  source: '001 §一(一)1; 002 第一篇 办公室 ⑶; 003 §4',
  fields: [
    {
      key: 'docClass',
      type: 'enum',
      label: { zh: '文件类型', en: 'Kind of document' },
      options: [
        { value: 'document', label: { zh: '发文', en: 'Outgoing document' } },
        { value: 'request', label: { zh: '请示件', en: 'Request to the leadership' } },
      ],
      help: { zh: '请示件由科室负责人把关、局长签发', en: 'A request is checked by the section head and signed off by the head' },
    },
    ...outgoingDocument.fields,
  ],
  steps: [
    {
      id: 'section-head',
      type: 'approve',
      name: { zh: '科室负责人把关', en: 'The section head checks the request' },
      when: { all: [{ field: 'docClass', op: 'eq', value: 'request' }, { not: applicantIsLeader }] },
      assignees: [{ rule: 'department-head-of-applicant' }],
      deadline: { workingDays: 1 },
    },
    v1('countersign'),
    v1('review'),
    {
      id: 'sign-off-deputy',
      type: 'approve',
      name: { zh: '分管领导签发', en: 'Deputy in charge signs off' },
      when: { all: [{ not: { field: 'important', op: 'eq', value: true } }, { field: 'docClass', op: 'ne', value: 'request' }] },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 2 },
      approveLabel: { zh: '签发', en: 'Sign off' },
    },
    {
      id: 'sign-off-head',
      type: 'approve',
      name: { zh: '局长签发', en: 'Head signs off' },
      when: { any: [{ field: 'important', op: 'eq', value: true }, { field: 'docClass', op: 'eq', value: 'request' }] },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 2 },
      approveLabel: { zh: '签发', en: 'Sign off' },
    },
    v1('number'),
    v1('proof'),
    v1('proof-check'),
    {
      id: 'print',
      type: 'approve',
      name: { zh: '拟稿科室送交印制', en: 'The drafting department has it printed' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 1 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已印制', en: 'Printed' },
      inputs: [{ key: 'printedCopies', type: 'number', label: { zh: '印制份数', en: 'Copies printed' }, required: true, min: 1, max: 10000, step: 1 }],
    },
    {
      id: 'seal',
      type: 'approve',
      name: { zh: '办公室盖章', en: 'The office stamps it' },
      assignees: [{ rule: 'role', role: 'seal-keeper' }],
      // 办发文用印一般在1-2个工作日内盖章 (003 §6).
      deadline: { workingDays: 2 },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '已盖章', en: 'Stamped' },
      inputs: [{ key: 'stampCount', type: 'number', label: { zh: '盖章份数', en: 'Copies stamped' }, required: true, min: 1, max: 10000, step: 1 }],
    },
    {
      id: 'dispatch',
      type: 'approve',
      name: { zh: '封发', en: 'Seal and dispatch' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 1 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已发出', en: 'Dispatched' },
      inputs: [
        {
          key: 'dispatchMethod',
          type: 'enum',
          label: { zh: '发送方式', en: 'Sent by' },
          required: true,
          options: [
            { value: 'paper', label: { zh: '纸质封发', en: 'Paper' } },
            { value: 'electronic', label: { zh: '电子公文', en: 'Electronic' } },
            { value: 'fax', label: { zh: '传真', en: 'Fax' } },
            { value: 'post', label: { zh: '邮寄', en: 'Post' } },
          ],
        },
      ],
    },
    { id: 'file', type: 'auto', name: { zh: '办公室存档', en: 'Office files it' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '发文登记', en: 'Outgoing register' }, columns: ['docKind', 'docClass', 'mainRecipients', 'urgency', 'confidentiality', 'printedCopies', 'stampCount', 'dispatchMethod'] },
};

/**
 * 发文 v3: the 发文字号 is the organisation's own. The kinds are the seed's four (发、字、函、会纪,
 * 001 §一(一)1) as a template, and the number is the organisation's 机关代字 (its settings, e.g.
 * 示事管 for the demo bureau) with the kind: 示事管发〔2026〕12号. Version 2 stays for its cases.
 */
export const outgoingDocumentV3: DefinitionInput = {
  ...outgoingDocumentV2,
  version: 3,
  fields: outgoingDocumentV2.fields.map((f) =>
    f.key === 'docKind'
      ? {
          ...f,
          label: { zh: '发文字号类别', en: 'Document kind' },
          help: { zh: '字号由本机关代字加类别组成，如“××发〔2026〕1号”', en: 'The number is the organisation’s code with the kind, e.g. “XX Fa [2026] No. 1”' },
          options: [
            { value: '发', label: { zh: '正式发文（发）', en: 'Formal document' } },
            { value: '字', label: { zh: '字号文件（字）', en: 'Letter-style document' } },
            { value: '函', label: { zh: '函件（函）', en: 'Letter' } },
            { value: '会纪', label: { zh: '会议纪要（会纪）', en: 'Meeting minutes' } },
          ],
        }
      : f,
  ),
  steps: outgoingDocumentV2.steps.map((s) => (s.id === 'number' && s.type === 'auto' ? { ...s, action: { do: 'number' as const, kindFromField: 'docKind', withAgencyCode: true } } : s)),
};
