/**
 * 办事 The office's smaller processes, on the same engine: office supplies requested and issued
 * (000 §二.7; 004 第五章), vehicle use and vehicle repair (002 第二篇 §8; 002 第一篇 计划财务科
 * ⑶③; 004 第十章), reception approval (002 第二篇 §2; 002 第一篇 办公室 ⑵③) and procurement
 * (001 §二(三) 采购工作流程).
 */
import type { DefinitionInput } from '../definition.ts';
import { applicantIsBureauLeader, applicantIsLeader } from './conditions.ts';

type Step = DefinitionInput['steps'][number];

const sectionHead: Step = {
  id: 'section-head',
  type: 'approve',
  name: { zh: '科室负责人审批', en: 'The section head approves' },
  when: { not: applicantIsLeader },
  assignees: [{ rule: 'department-head-of-applicant' }],
  deadline: { workingDays: 1 },
};

const deputy: Step = {
  id: 'deputy',
  type: 'approve',
  name: { zh: '分管领导审批', en: 'The deputy in charge approves' },
  when: { not: applicantIsBureauLeader },
  assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
  deadline: { workingDays: 1 },
};

const paymentMethod: DefinitionInput['fields'][number] = {
  key: 'paymentMethod',
  type: 'enum',
  label: { zh: '付款方式', en: 'Paid by' },
  required: true,
  options: [
    { value: 'cash', label: { zh: '出纳报销（现金）', en: 'Cash' } },
    { value: 'transfer', label: { zh: '财务转账', en: 'Bank transfer' } },
  ],
};

/** 办公用品领用: fill in the request card, the section head approves, the office issues (000 §二.7). */
export const officeSupplies: DefinitionInput = {
  type: 'office-supplies',
  version: 1,
  name: { zh: '办公用品领用', en: 'Office supplies' },
  source: '000 §二.7; 004 第五章',
  fields: [
    { key: 'item', type: 'text', label: { zh: '品名', en: 'Item' }, required: true, maxLength: 100 },
    { key: 'spec', type: 'text', label: { zh: '规格型号', en: 'Specification' }, maxLength: 100 },
    { key: 'quantity', type: 'number', label: { zh: '数量', en: 'Quantity' }, required: true, min: 1, max: 10000, step: 1 },
    { key: 'unit', type: 'text', label: { zh: '单位', en: 'Unit' }, maxLength: 10 },
    { key: 'purpose', type: 'text', label: { zh: '用途', en: 'For' }, maxLength: 500 },
  ],
  steps: [
    sectionHead,
    {
      id: 'issue',
      type: 'approve',
      name: { zh: '办公室发放', en: 'The office issues them' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 2 },
      // Out of stock: returned, or refused until bought (采购).
      allow: ['return', 'reject', 'transfer', 'delegate'],
      approveLabel: { zh: '已发放', en: 'Issued' },
      inputs: [{ key: 'issuedQuantity', type: 'number', label: { zh: '实发数量', en: 'Issued' }, required: true, min: 1, max: 10000, step: 1 }],
    },
  ],
  register: { name: { zh: '办公用品领用登记', en: 'Supplies issued' }, columns: ['item', 'spec', 'quantity', 'issuedQuantity', 'unit'] },
};

/** 用车: other people's use of the car needs a leader's consent; the office assigns it (由办公室派车). */
export const vehicleUse: DefinitionInput = {
  type: 'vehicle-use',
  version: 1,
  name: { zh: '用车申请', en: 'Vehicle use' },
  source: '002 第二篇 §8; 004 第十章 车辆使用',
  fields: [
    { key: 'useDate', type: 'date', label: { zh: '用车日期', en: 'On' }, required: true },
    { key: 'startTime', type: 'text', label: { zh: '出车时间', en: 'Leaves at' }, required: true, maxLength: 5 },
    { key: 'destination', type: 'text', label: { zh: '目的地', en: 'To' }, required: true, maxLength: 100 },
    { key: 'passengers', type: 'number', label: { zh: '乘车人数', en: 'Passengers' }, required: true, min: 1, max: 50, step: 1 },
    { key: 'purpose', type: 'text', label: { zh: '用车事由', en: 'Why' }, required: true, maxLength: 500 },
  ],
  steps: [
    sectionHead,
    {
      id: 'dispatch',
      type: 'approve',
      name: { zh: '办公室派车', en: 'The office assigns a car' },
      assignees: [{ rule: 'office-director' }],
      deadline: { dateField: 'useDate' },
      allow: ['reject', 'return', 'transfer', 'delegate'],
      approveLabel: { zh: '已派车', en: 'Assigned' },
      inputs: [
        { key: 'vehicle', type: 'text', label: { zh: '车牌号', en: 'Car' }, required: true, maxLength: 20 },
        { key: 'driver', type: 'text', label: { zh: '驾驶员', en: 'Driver' }, required: true, maxLength: 40 },
      ],
    },
    {
      id: 'return',
      type: 'approve',
      name: { zh: '还车登记', en: 'Car returned' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 1 },
      allow: ['transfer'],
      approveLabel: { zh: '已还车', en: 'Returned' },
      inputs: [
        { key: 'mileage', type: 'number', label: { zh: '行驶里程（公里）', en: 'Distance (km)' }, required: true, min: 0, max: 100000, step: 0.1 },
        { key: 'returnedOn', type: 'date', label: { zh: '还车日期', en: 'Returned on' }, required: true },
      ],
    },
  ],
  checks: [{ check: 'date-order', from: 'useDate', to: 'returnedOn' }],
  register: { name: { zh: '车辆使用登记', en: 'Vehicle log' }, columns: ['useDate', 'destination', 'vehicle', 'driver', 'mileage'] },
};

/**
 * 车辆维修 (修理费, 002 第一篇 计划财务科 ⑶③): the driver proposes the repair beforehand → the office
 * and finance verify it on site → repaired, with the invoice → the accountant checks → the office
 * signs → a leader approves → the cashier pays.
 */
export const vehicleRepair: DefinitionInput = {
  type: 'vehicle-repair',
  version: 1,
  name: { zh: '车辆维修', en: 'Vehicle repair' },
  source: '002 第一篇 计划财务科 ⑶③; 004 第十章 车辆维修',
  fields: [
    { key: 'vehicle', type: 'text', label: { zh: '车牌号', en: 'Car' }, required: true, maxLength: 20 },
    { key: 'problem', type: 'text', label: { zh: '故障及维修建议', en: 'Fault and proposed repair' }, required: true, maxLength: 1000, multiline: true },
    { key: 'estimatedCost', type: 'money', label: { zh: '预计费用（元）', en: 'Estimate (yuan)' }, required: true, max: 1_000_000 },
    { key: 'garage', type: 'text', label: { zh: '维修单位', en: 'Garage' }, maxLength: 100 },
  ],
  steps: [
    {
      id: 'verify',
      type: 'countersign',
      name: { zh: '办公室及财务实地核定', en: 'The office and finance verify on site' },
      assignees: [{ rule: 'office-director' }, { rule: 'role', role: 'finance' }],
      completion: { mode: 'all' },
      deadline: { workingDays: 2 },
      allow: ['return', 'reject', 'transfer', 'delegate'],
      approveLabel: { zh: '核定', en: 'Verified' },
    },
    {
      id: 'repair',
      type: 'approve',
      name: { zh: '维修并出具正式发票', en: 'Repaired, with the invoice' },
      assignees: [{ rule: 'applicant' }],
      allow: ['transfer'],
      approveLabel: { zh: '已维修', en: 'Repaired' },
      inputs: [
        { key: 'actualCost', type: 'money', label: { zh: '实际费用（元）', en: 'Cost (yuan)' }, required: true, max: 1_000_000 },
        { key: 'invoices', type: 'number', label: { zh: '票据张数', en: 'Receipts' }, required: true, min: 1, max: 100, step: 1 },
      ],
    },
    {
      id: 'finance-review',
      type: 'approve',
      name: { zh: '会计审核', en: 'The accountant checks' },
      assignees: [{ rule: 'role', role: 'finance' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'transfer'],
    },
    {
      id: 'office-sign',
      type: 'approve',
      name: { zh: '办公室签章', en: 'The office signs' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'delegate'],
    },
    {
      id: 'leader',
      type: 'approve',
      name: { zh: '局领导审批', en: 'A leader approves' },
      assignees: [{ rule: 'deputy-in-charge-of-role', role: 'office-director' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'reject'],
    },
    {
      id: 'pay',
      type: 'approve',
      name: { zh: '出纳报销或财务转账', en: 'Paid' },
      assignees: [{ rule: 'role', role: 'finance' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '已付款', en: 'Paid' },
      inputs: [paymentMethod],
    },
  ],
  register: { name: { zh: '车辆维修登记', en: 'Vehicle repairs' }, columns: ['vehicle', 'problem', 'estimatedCost', 'actualCost', 'paymentMethod'] },
};

/** 接待: the department asks → the deputy in charge gives an opinion → the head approves → the office arranges it. */
export const reception: DefinitionInput = {
  type: 'reception',
  version: 1,
  name: { zh: '公务接待审批', en: 'Reception' },
  source: '002 第二篇 §2; 002 第一篇 办公室 ⑵③',
  fields: [
    { key: 'guestOrg', type: 'text', label: { zh: '来宾单位', en: 'Visitors from' }, required: true, maxLength: 100 },
    { key: 'guests', type: 'number', label: { zh: '来宾人数', en: 'Visitors' }, required: true, min: 1, max: 500, step: 1 },
    { key: 'visitDate', type: 'date', label: { zh: '接待日期', en: 'On' }, required: true },
    { key: 'purpose', type: 'text', label: { zh: '来访事由', en: 'Purpose' }, required: true, maxLength: 500, multiline: true },
    { key: 'meal', type: 'boolean', label: { zh: '需安排工作餐', en: 'Working meal' } },
    { key: 'estimatedCost', type: 'money', label: { zh: '预计费用（元）', en: 'Estimate (yuan)' }, max: 1_000_000 },
  ],
  steps: [
    { ...deputy, name: { zh: '分管领导提出意见', en: 'The deputy in charge gives an opinion' } },
    {
      id: 'head',
      type: 'approve',
      name: { zh: '局长批准', en: 'The head approves' },
      when: { not: { applicantRole: 'head' } },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'arrange',
      type: 'approve',
      name: { zh: '办公室办理', en: 'The office arranges it' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { dateField: 'visitDate' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已接待', en: 'Received' },
      inputs: [
        { key: 'arrangements', type: 'text', label: { zh: '接待安排', en: 'Arrangements' }, required: true, maxLength: 1000, multiline: true },
        { key: 'actualCost', type: 'money', label: { zh: '实际费用（元）', en: 'Cost (yuan)' }, max: 1_000_000 },
      ],
    },
  ],
  register: { name: { zh: '公务接待登记', en: 'Receptions' }, columns: ['visitDate', 'guestOrg', 'guests', 'meal', 'estimatedCost', 'actualCost'] },
};

/**
 * 采购 (001 §二(三)): the department's written request with its budget → finance checks the
 * budget → the deputy in charge approves, the head too for large or tendered purchases → market
 * survey and contract (the office) → installation and acceptance → settled by finance.
 */
export const procurement: DefinitionInput = {
  type: 'procurement',
  version: 1,
  name: { zh: '采购申请', en: 'Procurement' },
  source: '001 §二(三); 004 第四章 办公设备采购',
  fields: [
    { key: 'item', type: 'text', label: { zh: '采购项目', en: 'What' }, required: true, maxLength: 200 },
    { key: 'specs', type: 'text', label: { zh: '颜色、规格、材质、技术参数', en: 'Specification' }, maxLength: 1000, multiline: true },
    { key: 'quantity', type: 'number', label: { zh: '数量', en: 'Quantity' }, required: true, min: 1, max: 100000, step: 1 },
    { key: 'budget', type: 'money', label: { zh: '经费预算（元）', en: 'Budget (yuan)' }, required: true, max: 100_000_000 },
    {
      key: 'method',
      type: 'enum',
      label: { zh: '采购方式', en: 'Method' },
      required: true,
      options: [
        { value: 'ordinary', label: { zh: '普通采购', en: 'Ordinary' } },
        { value: 'tender', label: { zh: '招标采购', en: 'Tender' } },
      ],
    },
    { key: 'reason', type: 'text', label: { zh: '采购理由', en: 'Why' }, required: true, maxLength: 1000, multiline: true },
  ],
  steps: [
    { ...sectionHead, name: { zh: '采购单位领导签字', en: 'The section head signs' } },
    {
      id: 'budget-check',
      type: 'approve',
      name: { zh: '财务审核经费预算', en: 'Finance checks the budget' },
      assignees: [{ rule: 'role', role: 'finance' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'reject', 'transfer'],
      inputs: [{ key: 'budgetItem', type: 'text', label: { zh: '预算科目', en: 'Budget line' }, required: true, maxLength: 100 }],
    },
    deputy,
    {
      id: 'head',
      type: 'approve',
      name: { zh: '局长审批（大额、招标）', en: 'The head approves (large or tendered)' },
      when: { all: [{ not: { applicantRole: 'head' } }, { any: [{ field: 'budget', op: 'gt', value: 50000 }, { field: 'method', op: 'eq', value: 'tender' }] }] },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 2 },
    },
    {
      id: 'purchase',
      type: 'approve',
      name: { zh: '市场调查、订立采购合同', en: 'Survey the market and sign the contract' },
      assignees: [{ rule: 'office-director' }],
      allow: ['transfer', 'delegate', 'return'],
      approveLabel: { zh: '已订立合同', en: 'Contracted' },
      inputs: [
        { key: 'supplier', type: 'text', label: { zh: '供应商', en: 'Supplier' }, required: true, maxLength: 100 },
        { key: 'contractNumber', type: 'text', label: { zh: '合同编号', en: 'Contract number' }, maxLength: 60 },
        { key: 'contractAmount', type: 'money', label: { zh: '合同金额（元）', en: 'Contract amount (yuan)' }, required: true, max: 100_000_000 },
      ],
    },
    {
      id: 'accept',
      type: 'approve',
      name: { zh: '安装验收', en: 'Installed and accepted' },
      assignees: [{ rule: 'applicant' }],
      allow: ['transfer'],
      approveLabel: { zh: '验收合格', en: 'Accepted' },
      inputs: [
        { key: 'acceptedOn', type: 'date', label: { zh: '验收日期', en: 'Accepted on' }, required: true },
        { key: 'acceptanceNotes', type: 'text', label: { zh: '验收情况', en: 'Acceptance' }, maxLength: 1000, multiline: true },
      ],
    },
    {
      id: 'settle',
      type: 'approve',
      name: { zh: '财务结算', en: 'Finance settles' },
      assignees: [{ rule: 'role', role: 'finance' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '已结算', en: 'Settled' },
      inputs: [{ key: 'paidAmount', type: 'money', label: { zh: '结算金额（元）', en: 'Paid (yuan)' }, required: true, max: 100_000_000 }],
    },
  ],
  register: { name: { zh: '采购登记', en: 'Purchases' }, columns: ['item', 'quantity', 'budget', 'method', 'supplier', 'contractAmount', 'paidAmount'] },
};
