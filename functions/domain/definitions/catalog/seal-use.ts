/**
 * 用印 Seal use (003 §6; 001 §(三)3; 002 §10): the applicant fills the request → their section
 * head → the deputy in charge (the office director may sign for an absent deputy: a stand-in in
 * the org chart) → the seal keeper checks and stamps; the stub stays in the seal-use register
 * (用印登记簿). Outgoing documents are stamped within 1–2 working days.
 */
import type { DefinitionInput } from '../definition.ts';
import { applicantIsBureauLeader, applicantIsLeader } from './conditions.ts';

export const sealUse: DefinitionInput = {
  type: 'seal-use',
  version: 1,
  name: { zh: '用印申请', en: 'Seal use' },
  source: '003 §6; 001 §(三)3',
  fields: [
    {
      key: 'sealType',
      type: 'enum',
      label: { zh: '印章名称', en: 'Seal' },
      required: true,
      options: [
        { value: 'official', label: { zh: '单位公章', en: 'Official seal' } },
        { value: 'party', label: { zh: '党组织印章', en: 'Party organisation seal' } },
        { value: 'contract', label: { zh: '合同专用章', en: 'Contract seal' } },
        { value: 'finance', label: { zh: '财务专用章', en: 'Finance seal' } },
        { value: 'legal-rep', label: { zh: '法定代表人名章', en: 'Legal representative seal' } },
      ],
    },
    { key: 'documentTitle', type: 'text', label: { zh: '用印文件名称', en: 'Document' }, required: true, maxLength: 200 },
    { key: 'copies', type: 'number', label: { zh: '份数', en: 'Copies' }, required: true, min: 1, max: 1000, step: 1 },
    { key: 'recipient', type: 'text', label: { zh: '报送单位', en: 'Sent to' }, required: true, maxLength: 100 },
    { key: 'purpose', type: 'text', label: { zh: '用印事由', en: 'Purpose' }, required: true, maxLength: 500, multiline: true },
  ],
  steps: [
    {
      id: 'section-head',
      type: 'approve',
      name: { zh: '科室负责人审核', en: 'Section head reviews' },
      when: { not: applicantIsLeader },
      assignees: [{ rule: 'department-head-of-applicant' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'deputy',
      type: 'approve',
      name: { zh: '分管领导审批', en: 'Deputy in charge approves' },
      when: { not: applicantIsBureauLeader },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'stamp',
      type: 'approve',
      name: { zh: '印章管理员核对盖章', en: 'Seal keeper checks and stamps' },
      assignees: [{ rule: 'role', role: 'seal-keeper' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'reject', 'transfer'],
      approveLabel: { zh: '已盖章', en: 'Stamped' },
    },
  ],
  register: { name: { zh: '用印登记簿', en: 'Seal-use register' }, columns: ['sealType', 'documentTitle', 'copies', 'recipient'] },
};

/**
 * Version 2: the seal keeper records how many times it was stamped (the stub in 用印登记簿 says
 * so), on the spot for ordinary requests and within 1–2 working days for outgoing documents
 * (检验符合用印情况后当时盖章；办发文用印一般在1-2个工作日内盖章, 003 §6).
 */
export const sealUseV2: DefinitionInput = {
  ...sealUse,
  version: 2,
  fields: [...sealUse.fields, { key: 'forOutgoing', type: 'boolean', label: { zh: '发文用印', en: 'For an outgoing document' } }],
  steps: [
    ...sealUse.steps.filter((s) => s.id !== 'stamp'),
    {
      id: 'stamp',
      type: 'approve',
      name: { zh: '印章管理员核对盖章', en: 'Seal keeper checks and stamps' },
      assignees: [{ rule: 'role', role: 'seal-keeper' }],
      deadline: { sameDay: true },
      deadlines: [{ when: { field: 'forOutgoing', op: 'eq', value: true }, deadline: { workingDays: 2 } }],
      allow: ['return', 'reject', 'transfer'],
      approveLabel: { zh: '已盖章', en: 'Stamped' },
      inputs: [{ key: 'stampCount', type: 'number', label: { zh: '盖章次数', en: 'Times stamped' }, required: true, min: 1, max: 10000, step: 1 }],
    },
  ],
  register: { name: { zh: '用印登记簿', en: 'Seal-use register' }, columns: ['sealType', 'documentTitle', 'copies', 'recipient', 'stampCount'] },
};
