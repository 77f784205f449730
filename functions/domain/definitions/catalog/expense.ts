/**
 * 报销 Expense reimbursement (003 §20, §21; 002 第一篇 计划财务科): claimant → department leader →
 * finance review → leader in charge of the department → leader in charge of finance → pay.
 * Special funds (专项经费) are charged to the department's fund. Over-budget or incomplete claims
 * are returned, not paid (003 财务管理岗). A leader in charge of both departments signs once.
 */
import type { DefinitionInput } from '../definition.ts';
import { applicantIsBureauLeader, applicantIsLeader } from './conditions.ts';

export const expense: DefinitionInput = {
  type: 'expense',
  version: 1,
  name: { zh: '费用报销', en: 'Expense claim' },
  source: '003 §20, §21',
  fields: [
    {
      key: 'category',
      type: 'enum',
      label: { zh: '费用类别', en: 'Category' },
      required: true,
      options: [
        { value: 'travel', label: { zh: '差旅费', en: 'Travel' } },
        { value: 'office', label: { zh: '办公费', en: 'Office' } },
        { value: 'meeting', label: { zh: '会议费', en: 'Meetings' } },
        { value: 'reception', label: { zh: '接待费', en: 'Reception' } },
        { value: 'training', label: { zh: '培训费', en: 'Training' } },
        { value: 'special-fund', label: { zh: '专项经费', en: 'Special fund' } },
        { value: 'other', label: { zh: '其他', en: 'Other' } },
      ],
    },
    { key: 'amount', type: 'money', label: { zh: '报销金额（元）', en: 'Amount (yuan)' }, required: true, max: 10_000_000 },
    { key: 'specialFund', type: 'text', label: { zh: '专项经费名称', en: 'Special fund' }, maxLength: 100, help: { zh: '专项经费列支时填写', en: 'When charged to a special fund' } },
    { key: 'invoices', type: 'number', label: { zh: '票据张数', en: 'Receipts' }, required: true, min: 0, max: 1000, step: 1 },
    { key: 'payee', type: 'text', label: { zh: '收款人', en: 'Payee' }, required: true, maxLength: 100 },
    { key: 'description', type: 'text', label: { zh: '报销事由', en: 'What for' }, required: true, maxLength: 1000, multiline: true },
  ],
  steps: [
    {
      id: 'department-leader',
      type: 'approve',
      name: { zh: '科室负责人审核', en: 'Department leader reviews' },
      when: { not: applicantIsLeader },
      assignees: [{ rule: 'department-head-of-applicant' }],
      deadline: { workingDays: 2 },
    },
    {
      id: 'finance-review',
      type: 'approve',
      name: { zh: '财务审核', en: 'Finance reviews' },
      assignees: [{ rule: 'role', role: 'finance' }],
      deadline: { workingDays: 2 },
      approveLabel: { zh: '审核通过', en: 'Checked' },
    },
    {
      id: 'deputy',
      type: 'approve',
      name: { zh: '分管领导审批', en: 'Deputy in charge approves' },
      when: { not: applicantIsBureauLeader },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 2 },
    },
    {
      id: 'finance-deputy',
      type: 'approve',
      name: { zh: '分管财务领导审批', en: 'Deputy in charge of finance approves' },
      assignees: [{ rule: 'deputy-in-charge-of-role', role: 'finance' }],
      skipWhenAlreadySigned: true,
      deadline: { workingDays: 2 },
    },
    {
      id: 'pay',
      type: 'approve',
      name: { zh: '出纳付款', en: 'Cashier pays' },
      assignees: [{ rule: 'role', role: 'finance' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '已付款', en: 'Paid' },
    },
  ],
  register: { name: { zh: '报销登记', en: 'Expense register' }, columns: ['category', 'amount', 'payee', 'specialFund'] },
};

/**
 * Version 2 separates the two expenditure flows of 003: ordinary spending is charged to the
 * office's funds (§20 机关财务开支: department leader → finance reviews → the leader in charge of
 * the department → the leader in charge of finance → paid, 从机关经费列支); a special fund (§21
 * 专项经费开支: department leader → finance confirms → the leader in charge of finance → 核算中心
 * 核销报账 → 科室专项经费列支) is charged to the named department's fund, without the department's
 * deputy. The cashier records how it was paid.
 */
const specialFund = { field: 'category', op: 'eq', value: 'special-fund' } as const;

export const expenseV2: DefinitionInput = {
  ...expense,
  version: 2,
  source: '003 §20, §21; 002 第一篇 计划财务科',
  fields: [
    ...expense.fields,
    { key: 'fundDepartment', type: 'department', label: { zh: '列支专项经费的科室', en: 'Department whose fund pays' }, help: { zh: '专项经费列支时填写', en: 'When charged to a special fund' } },
  ],
  checks: [
    { check: 'required-when', field: 'specialFund', when: specialFund },
    { check: 'required-when', field: 'fundDepartment', when: specialFund },
  ],
  steps: expense.steps.map((s) => {
    if (s.id === 'finance-review') return { ...s, name: { zh: '财务审核（专项经费：财务室确认）', en: 'Finance reviews (special fund: confirms)' } };
    if (s.id === 'deputy') return { ...s, when: { all: [{ not: applicantIsBureauLeader }, { not: specialFund }] } };
    if (s.id === 'pay') {
      return {
        ...s,
        name: { zh: '出纳付款、核销报账', en: 'Paid and written off' },
        inputs: [
          {
            key: 'paymentMethod',
            type: 'enum' as const,
            label: { zh: '付款方式', en: 'Paid by' },
            required: true,
            options: [
              { value: 'cash', label: { zh: '出纳报销（现金）', en: 'Cash' } },
              { value: 'transfer', label: { zh: '财务转账', en: 'Bank transfer' } },
            ],
          },
        ],
      };
    }
    return s;
  }),
  register: { name: { zh: '报销登记', en: 'Expense register' }, columns: ['category', 'amount', 'payee', 'specialFund', 'fundDepartment', 'paymentMethod'] },
};
