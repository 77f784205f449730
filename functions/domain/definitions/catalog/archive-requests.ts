/**
 * Requests about filed items (DOMAIN.md §9; 003 §7–§10; 004 第八章):
 * - 涉密档案查阅: request → the office director reviews → the deputy in charge approves →
 *   provided as approved (a grant for the days approved, then it ends by itself);
 * - 档案借阅: request → the office director approves → the archivist lends → the borrower returns
 *   it by the date promised, chased like any deadline → the archivist checks it back in;
 * - 档案销毁: only after the retention period; the archivist proposes, the office director
 *   reviews (鉴定), the head approves, and the destruction is recorded.
 */
import type { DefinitionInput } from '../definition.ts';

const purpose = { key: 'purpose', type: 'text', label: { zh: '查阅（借阅）事由', en: 'Purpose' }, required: true, maxLength: 500, multiline: true } as const;

export const confidentialAccess: DefinitionInput = {
  type: 'confidential-access',
  version: 1,
  name: { zh: '涉密档案查阅', en: 'Confidential archive access' },
  source: '003 §9, §10; 002 §六.5',
  fields: [
    {
      key: 'documentRef',
      type: 'text',
      label: { zh: '档号或案件编号', en: 'Archive item number or case id' },
      help: { zh: '要查阅的涉密文件的档号（如 2026-D30-OFFICE-0001）或案件编号', en: 'The classified document: its item number or case id' },
      required: true,
      maxLength: 60,
    },
    purpose,
    { key: 'days', type: 'number', label: { zh: '查阅天数', en: 'Days of access' }, required: true, min: 1, max: 30, step: 1, unit: { zh: '天', en: 'days' } },
  ],
  steps: [
    {
      id: 'review',
      type: 'approve',
      name: { zh: '办公室主任审核', en: 'The office director reviews' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject', 'transfer'],
    },
    {
      id: 'approve',
      type: 'approve',
      name: { zh: '分管领导批准', en: 'The deputy in charge approves' },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject'],
    },
    { id: 'grant', type: 'auto', name: { zh: '按批准提供查阅', en: 'Access provided as approved' }, action: { do: 'grant', caseField: 'documentRef', daysField: 'days' } },
  ],
  register: { name: { zh: '涉密档案查阅登记', en: 'Confidential access register' }, columns: ['documentRef', 'purpose', 'days'] },
};

export const archiveBorrowing: DefinitionInput = {
  type: 'archive-borrowing',
  version: 1,
  name: { zh: '档案借阅', en: 'Archive borrowing' },
  source: '003 §8; 004 第八章',
  fields: [
    { key: 'archiveNumber', type: 'text', label: { zh: '档号', en: 'Archive item number' }, required: true, maxLength: 60 },
    {
      key: 'manner',
      type: 'enum',
      label: { zh: '利用方式', en: 'How' },
      required: true,
      options: [
        { value: 'read', label: { zh: '查阅', en: 'Read in the archive room' } },
        { value: 'borrow', label: { zh: '借出', en: 'Borrow' } },
        { value: 'copy', label: { zh: '复制', en: 'Copy' } },
      ],
    },
    purpose,
    { key: 'borrowedOn', type: 'date', label: { zh: '借阅日期', en: 'From' }, required: true },
    { key: 'returnBy', type: 'date', label: { zh: '归还期限', en: 'Return by' }, required: true },
  ],
  checks: [
    { check: 'date-order', from: 'borrowedOn', to: 'returnBy' },
    { check: 'within-days', from: 'borrowedOn', to: 'returnBy', days: 30 },
  ],
  steps: [
    {
      id: 'approve',
      type: 'approve',
      name: { zh: '办公室主任审批', en: 'The office director approves' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject'],
    },
    {
      id: 'lend',
      type: 'approve',
      name: { zh: '档案员提供', en: 'The archivist provides it' },
      approveLabel: { zh: '已提供', en: 'Provided' },
      assignees: [{ rule: 'role', role: 'archivist' }],
      deadline: { workingDays: 1 },
      allow: ['transfer'],
    },
    {
      id: 'return',
      type: 'approve',
      name: { zh: '借阅人归还', en: 'The borrower returns it' },
      approveLabel: { zh: '已归还', en: 'Returned' },
      assignees: [{ rule: 'applicant' }],
      deadline: { dateField: 'returnBy' },
      allow: [],
      // An overdue loan is chased (催还): the borrower, then the office director hears of it.
      chase: { everyWorkingDays: 2, escalateAfter: 2, escalateTo: 'office-director' },
    },
    {
      id: 'check-in',
      type: 'approve',
      name: { zh: '档案员验收入库', en: 'The archivist checks it back in' },
      approveLabel: { zh: '验收入库', en: 'Checked in' },
      assignees: [{ rule: 'role', role: 'archivist' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'transfer'],
    },
  ],
  register: { name: { zh: '档案借阅登记', en: 'Borrowing register' }, columns: ['archiveNumber', 'manner', 'purpose', 'borrowedOn', 'returnBy'] },
};

export const archiveDestruction: DefinitionInput = {
  type: 'archive-destruction',
  version: 1,
  name: { zh: '档案销毁', en: 'Archive destruction' },
  source: '003 §7; 004 第八章',
  fields: [
    { key: 'archiveNumber', type: 'text', label: { zh: '档号', en: 'Archive item number' }, required: true, maxLength: 60 },
    { key: 'reason', type: 'text', label: { zh: '鉴定意见', en: 'Appraisal' }, required: true, maxLength: 500, multiline: true },
    { key: 'method', type: 'enum', label: { zh: '销毁方式', en: 'Method' }, required: true, options: [
      { value: 'shred', label: { zh: '粉碎', en: 'Shredding' } },
      { value: 'pulp', label: { zh: '化浆', en: 'Pulping' } },
      { value: 'delete', label: { zh: '电子删除', en: 'Electronic deletion' } },
    ] },
  ],
  steps: [
    {
      id: 'appraise',
      type: 'approve',
      name: { zh: '办公室主任鉴定', en: 'The office director appraises' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'reject'],
    },
    {
      id: 'approve',
      type: 'approve',
      name: { zh: '局长批准', en: 'The head approves' },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'reject'],
    },
    { id: 'destroy', type: 'auto', name: { zh: '销毁并登记', en: 'Destroyed and recorded' }, action: { do: 'destroy', itemField: 'archiveNumber' } },
  ],
  register: { name: { zh: '档案销毁登记', en: 'Destruction register' }, columns: ['archiveNumber', 'reason', 'method'] },
};
