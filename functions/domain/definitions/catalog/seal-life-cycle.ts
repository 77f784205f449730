/**
 * The seal life cycle (印章管理, 004 第二章 印章管理流程、印章刻制管理流程; 003 权力清单 印章管理权):
 * a new seal is asked for, reviewed by the office and approved by the head, applied for at the
 * police under their rules (当地公安机关印章管理规定), carved and registered with its number, name
 * and the day it comes into use (编号、名称、启用时间); seals are inspected periodically (定期检查:
 * damage, use within the rules); a seal taken out of use is approved the same way and its
 * retirement registered (停用).
 */
import type { DefinitionInput } from '../definition.ts';
import { sealUse } from './seal-use.ts';

const sealType = { ...sealUse.fields.find((f) => f.key === 'sealType')!, key: 'sealType' };

const approvals: DefinitionInput['steps'] = [
  {
    id: 'office',
    type: 'approve',
    name: { zh: '办公室审核', en: 'The office reviews' },
    assignees: [{ rule: 'office-director' }],
    deadline: { workingDays: 2 },
    allow: ['return', 'reject', 'transfer'],
  },
  {
    id: 'head',
    type: 'approve',
    name: { zh: '局长审批', en: 'The head approves' },
    assignees: [{ rule: 'head' }],
    deadline: { workingDays: 3 },
    allow: ['return', 'reject', 'delegate'],
  },
];

export const sealCarving: DefinitionInput = {
  type: 'seal-carving',
  version: 1,
  name: { zh: '印章刻制', en: 'New seal' },
  source: '004 第二章 印章管理、印章刻制',
  archive: { category: 'daily', retention: 'permanent' }, // 印模: 永久
  fields: [
    { key: 'sealName', type: 'text', label: { zh: '印章名称', en: 'Seal name' }, required: true, maxLength: 100 },
    sealType,
    { key: 'reason', type: 'text', label: { zh: '刻制事由', en: 'Why' }, required: true, maxLength: 500, multiline: true },
  ],
  steps: [
    ...approvals,
    {
      id: 'police',
      type: 'approve',
      name: { zh: '向公安机关申请刻制', en: 'Apply to the police for carving' },
      assignees: [{ rule: 'role', role: 'seal-keeper' }],
      deadline: { workingDays: 3 },
      allow: ['transfer'],
      approveLabel: { zh: '已申请', en: 'Applied' },
      inputs: [{ key: 'appliedOn', type: 'date', label: { zh: '申请日期', en: 'Applied on' }, required: true }],
    },
    {
      id: 'register',
      type: 'approve',
      name: { zh: '刻制完成，登记启用', en: 'Carved: register and bring into use' },
      assignees: [{ rule: 'role', role: 'seal-keeper' }],
      allow: ['transfer'],
      approveLabel: { zh: '已登记', en: 'Registered' },
      inputs: [
        { key: 'sealNumber', type: 'text', label: { zh: '印章编号', en: 'Seal number' }, required: true, maxLength: 40 },
        { key: 'inUseOn', type: 'date', label: { zh: '启用日期', en: 'In use from' }, required: true },
        { key: 'custodian', type: 'person', label: { zh: '保管人', en: 'Kept by' }, required: true },
      ],
    },
    { id: 'file', type: 'auto', name: { zh: '印模存档', en: 'File the impression' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '印章登记', en: 'Seal register' }, columns: ['sealNumber', 'sealName', 'sealType', 'inUseOn', 'custodian'] },
};

export const sealInspection: DefinitionInput = {
  type: 'seal-inspection',
  version: 1,
  name: { zh: '印章定期检查', en: 'Seal inspection' },
  source: '004 第二章 印章管理 (6)',
  archive: { category: 'daily', retention: '10y' },
  fields: [
    { key: 'period', type: 'text', label: { zh: '检查期间', en: 'Period' }, required: true, maxLength: 20, help: { zh: '如 2026年第四季度', en: 'E.g. 2026 Q4' } },
    { key: 'scope', type: 'text', label: { zh: '检查范围', en: 'Seals inspected' }, maxLength: 500, multiline: true },
  ],
  steps: [
    {
      id: 'inspect',
      type: 'approve',
      name: { zh: '检查印章及用印登记', en: 'Inspect the seals and the register' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 5 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已检查', en: 'Inspected' },
      inputs: [
        { key: 'sealsChecked', type: 'number', label: { zh: '检查印章枚数', en: 'Seals checked' }, required: true, min: 1, max: 1000, step: 1 },
        { key: 'damaged', type: 'boolean', label: { zh: '发现损坏', en: 'Damage found' }, required: true },
        { key: 'irregularUse', type: 'boolean', label: { zh: '发现违规用印', en: 'Use outside the rules' }, required: true },
        { key: 'findings', type: 'text', label: { zh: '检查情况及处理', en: 'Findings and action' }, required: true, maxLength: 2000, multiline: true },
      ],
    },
    {
      id: 'review',
      type: 'approve',
      name: { zh: '办公室主任审阅', en: 'The office director reviews' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'transfer'],
    },
    { id: 'file', type: 'auto', name: { zh: '存档', en: 'File' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '印章检查记录', en: 'Seal inspections' }, columns: ['period', 'sealsChecked', 'damaged', 'irregularUse', 'findings'] },
};

export const sealRetirement: DefinitionInput = {
  type: 'seal-retirement',
  version: 1,
  name: { zh: '印章停用', en: 'Seal retirement' },
  source: '004 第二章 印章管理 (1)(4)(7)',
  archive: { category: 'daily', retention: 'permanent' }, // 印章缴销: 永久
  fields: [
    { key: 'sealNumber', type: 'text', label: { zh: '印章编号', en: 'Seal number' }, required: true, maxLength: 40 },
    { key: 'sealName', type: 'text', label: { zh: '印章名称', en: 'Seal name' }, required: true, maxLength: 100 },
    { key: 'reason', type: 'text', label: { zh: '停用原因', en: 'Why' }, required: true, maxLength: 500, multiline: true },
  ],
  steps: [
    ...approvals,
    {
      id: 'retire',
      type: 'approve',
      name: { zh: '停用登记、处置', en: 'Register the retirement and dispose of it' },
      assignees: [{ rule: 'role', role: 'seal-keeper' }],
      deadline: { workingDays: 3 },
      allow: ['transfer'],
      approveLabel: { zh: '已停用', en: 'Retired' },
      inputs: [
        { key: 'retiredOn', type: 'date', label: { zh: '停用日期', en: 'Out of use from' }, required: true },
        {
          key: 'disposal',
          type: 'enum',
          label: { zh: '处置方式', en: 'Disposal' },
          required: true,
          options: [
            { value: 'returned', label: { zh: '交回公安机关', en: 'Returned to the police' } },
            { value: 'destroyed', label: { zh: '销毁', en: 'Destroyed' } },
            { value: 'sealed', label: { zh: '封存', en: 'Kept sealed' } },
          ],
        },
      ],
    },
    { id: 'file', type: 'auto', name: { zh: '存档', en: 'File' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '印章停用登记', en: 'Retired seals' }, columns: ['sealNumber', 'sealName', 'retiredOn', 'disposal'] },
};
