/**
 * 收文 Incoming document (001 §一(一)2; 003 §4, §5; 000 §二.1; 002 第二篇 §六.5): the clerk registers
 * it the day it arrives and it takes a register number (收文登记) → the office director proposes
 * who handles it (拟办: the handling department(s), a lead one when several, and a due date, e.g.
 * "拟请X科在X月X日办复") → a leader instructs (批办: the deputy in charge, or the head when the
 * proposal says so; may route it to other or more departments) → the departments handle it and
 * record what was done and the result (承办), chased while open (催办) → the office closes it (办结)
 * → it is filed (归档). Urgent documents go from registration to instruction the same day, ordinary
 * ones within 3 working days (急件当日完成，一般性文件三个工作日完成).
 */
import type { DefinitionInput } from '../definition.ts';
import { confidentialityField } from './common-fields.ts';

const urgent = { field: 'urgency', op: 'ne', value: 'normal' } as const;

/** 拟办 and 批办 name the same things; 批办 may change them. */
const routing = [
  { key: 'handlingDepartments', type: 'departments', label: { zh: '承办科室', en: 'Handling departments' } },
  { key: 'leadDepartment', type: 'department', label: { zh: '牵头科室', en: 'Lead department' }, help: { zh: '多个科室联合办理时指定', en: 'When several departments handle it' } },
  { key: 'dueDate', type: 'date', label: { zh: '办复期限', en: 'Answer by' } },
] as const;

const instruction = { key: 'instruction', type: 'text', label: { zh: '批办意见', en: 'Instruction' }, required: true, maxLength: 1000, multiline: true } as const;

export const incomingDocument: DefinitionInput = {
  type: 'incoming-document',
  version: 1,
  name: { zh: '收文', en: 'Incoming document' },
  description: { zh: '收文登记、拟办、批办、承办、催办、办结、归档', en: 'Register, propose, instruct, handle, chase, close, file' },
  source: '001 §一(一)2; 003 §4, §5; 000 §二.1; 002 第二篇 §六.5',
  archive: { category: 'documents', retention: '30y' }, // 收文: 30 年
  fields: [
    { key: 'fromOrg', type: 'text', label: { zh: '来文单位', en: 'From' }, required: true, maxLength: 100 },
    { key: 'docNumber', type: 'text', label: { zh: '来文字号', en: 'Their number' }, maxLength: 60 },
    { key: 'receivedOn', type: 'date', label: { zh: '收文日期', en: 'Received on' }, required: true },
    {
      key: 'docCategory',
      type: 'enum',
      label: { zh: '来文类别', en: 'Kind' },
      required: true,
      options: [
        { value: 'superior', label: { zh: '上级来文', en: 'From a superior body' } },
        { value: 'subordinate', label: { zh: '下级来文（请示、报告）', en: 'From a subordinate body' } },
        { value: 'peer', label: { zh: '平行或不相隶属机关来文', en: 'From a peer body' } },
        { value: 'meeting-notice', label: { zh: '会议通知', en: 'Meeting notice' } },
        { value: 'letter', label: { zh: '人民来信', en: 'Letter from the public' } },
        { value: 'other', label: { zh: '其他', en: 'Other' } },
      ],
    },
    {
      key: 'urgency',
      type: 'enum',
      label: { zh: '紧急程度', en: 'Urgency' },
      required: true,
      options: [
        { value: 'normal', label: { zh: '平件', en: 'Normal' } },
        { value: 'urgent', label: { zh: '急件', en: 'Urgent' } },
        { value: 'very-urgent', label: { zh: '特急', en: 'Very urgent' } },
      ],
    },
    confidentialityField,
    { key: 'copies', type: 'number', label: { zh: '份数', en: 'Copies' }, min: 1, max: 1000, step: 1 },
    { key: 'summary', type: 'text', label: { zh: '内容摘要', en: 'Summary' }, maxLength: 1000, multiline: true },
  ],
  // 联合办理的公文，应明确指定牵头科室 (001 §一(一)2(2)).
  checks: [{ check: 'lead-in-list', lead: 'leadDepartment', list: 'handlingDepartments' }],
  steps: [
    { id: 'number', type: 'auto', name: { zh: '编收文号', en: 'Register number' }, action: { do: 'number', kind: '收文' } },
    {
      id: 'register',
      type: 'approve',
      name: { zh: '收文登记（当日）', en: 'Register (the same day)' },
      // The clerk who received it completes the register entry (收文卡) and attaches the scan.
      assignees: [{ rule: 'applicant' }],
      deadline: { sameDay: true, from: 'receivedOn' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已登记', en: 'Registered' },
      marks: { event: 'registered', label: { zh: '登记', en: 'registration' } },
    },
    {
      id: 'propose',
      type: 'approve',
      name: { zh: '办公室拟办', en: 'The office proposes who handles it' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      deadlines: [{ when: urgent, deadline: { sameDay: true, from: 'registered' } }],
      allow: ['return', 'transfer', 'delegate', 'add-signer', 'circulate', 'copy'],
      approveLabel: { zh: '拟办', en: 'Propose' },
      inputs: [
        { ...routing[0], required: true },
        routing[1],
        { ...routing[2], required: true },
        { key: 'proposal', type: 'text', label: { zh: '拟办意见', en: 'Proposal' }, required: true, maxLength: 1000, multiline: true, help: { zh: '如“拟请X科在X月X日办复”', en: 'E.g. “X section to answer by date Y”' } },
        { key: 'toHead', type: 'boolean', label: { zh: '呈局长批示', en: 'For the head’s instruction' } },
      ],
    },
    {
      id: 'instruct',
      type: 'approve',
      name: { zh: '分管领导批办', en: 'The deputy in charge instructs' },
      when: { not: { field: 'toHead', op: 'eq', value: true } },
      assignees: [{ rule: 'deputies-in-charge-of-field', field: 'handlingDepartments' }],
      deadline: { workingDays: 3, from: 'registered' },
      deadlines: [{ when: urgent, deadline: { sameDay: true, from: 'registered' } }],
      allow: ['return', 'transfer', 'delegate', 'add-signer', 'circulate', 'copy'],
      approveLabel: { zh: '批办', en: 'Instruct' },
      inputs: [instruction, ...routing],
    },
    {
      id: 'instruct-head',
      type: 'approve',
      name: { zh: '局长批办', en: 'The head instructs' },
      when: { field: 'toHead', op: 'eq', value: true },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 3, from: 'registered' },
      deadlines: [{ when: urgent, deadline: { sameDay: true, from: 'registered' } }],
      allow: ['return', 'transfer', 'delegate', 'add-signer', 'circulate', 'copy'],
      approveLabel: { zh: '批办', en: 'Instruct' },
      inputs: [instruction, ...routing],
    },
    {
      id: 'handle',
      type: 'countersign',
      name: { zh: '承办科室办理', en: 'The departments handle it' },
      assignees: [{ rule: 'department-heads-in-field', field: 'handlingDepartments' }],
      completion: { mode: 'all' },
      // 拟办's (or 批办's) due date; chased before it and after it (催办), then reported to the superior.
      deadline: { dateField: 'dueDate' },
      chase: { beforeWorkingHours: 7, everyWorkingDays: 1, escalateAfter: 2, escalateTo: 'superior' },
      allow: ['return', 'transfer', 'delegate', 'add-signer', 'circulate'],
      approveLabel: { zh: '已办理', en: 'Handled' },
      inputs: [
        { key: 'handlingProcess', type: 'text', label: { zh: '承办经过', en: 'What was done' }, required: true, maxLength: 2000, multiline: true },
        { key: 'handlingResult', type: 'text', label: { zh: '办理结果', en: 'Result' }, required: true, maxLength: 1000, multiline: true },
      ],
    },
    {
      id: 'close',
      type: 'approve',
      name: { zh: '办结', en: 'Close' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '办结', en: 'Close' },
    },
    { id: 'file', type: 'auto', name: { zh: '归档', en: 'File' }, action: { do: 'file' } },
  ],
  register: {
    name: { zh: '收文登记', en: 'Incoming register' },
    columns: ['receivedOn', 'fromOrg', 'docNumber', 'urgency', 'confidentiality', 'handlingDepartments', 'leadDepartment', 'dueDate', 'handlingResult'],
  },
};
