/**
 * 月度报表 Monthly reports (000 §二.3): each month the office collects the reports of the
 * county bureaus, checks and consolidates them and submits them before the 28th. The nine kinds
 * are the seed's own. Created every month by the recurring obligation of the same name.
 */
import type { DefinitionInput } from '../definition.ts';

export const REPORT_KINDS = [
  '全国烟草专卖案件查处情况月报表（国烟专表1）',
  '全国烟草打假月报表（国烟专表2）',
  '全国烟草打假月报表附表',
  '全国烟草专卖管理情况月报表（国烟专表3）',
  '假冒外国品牌卷烟案件统计汇总表',
  '案件查处情况统计月报表',
  '专卖管理费用开支情况统计报表',
  '案件查处真品卷烟情况月报表',
  '一般程序案件案卷文书信息月登记表',
];

export const monthlyReport: DefinitionInput = {
  type: 'monthly-report',
  version: 1,
  name: { zh: '月度报表报送', en: 'Monthly reports' },
  source: '000 §二.3',
  archive: { category: 'reports', retention: '10y' }, // 月报: 10 年
  fields: [
    { key: 'period', type: 'text', label: { zh: '报告期（年月）', en: 'Period (year-month)' }, required: true, maxLength: 7 },
    { key: 'notes', type: 'text', label: { zh: '说明', en: 'Notes' }, maxLength: 2000, multiline: true },
  ],
  steps: [
    {
      id: 'compile',
      type: 'approve',
      name: { zh: '收集、审核、汇总九类报表', en: 'Collect, check and consolidate the nine reports' },
      // The clerk the obligation opened the case for does the work.
      assignees: [{ rule: 'applicant' }],
      deadline: { beforeDayOfMonth: 25, periodField: 'period' },
      allow: ['transfer', 'delegate', 'add-signer'],
      approveLabel: { zh: '已汇总', en: 'Consolidated' },
      chase: { beforeWorkingHours: 16, everyWorkingDays: 1, escalateAfter: 1, escalateTo: 'office-director' },
    },
    {
      id: 'submit',
      type: 'approve',
      name: { zh: '每月28日前上报', en: 'Submit before the 28th' },
      assignees: [{ rule: 'office-director' }],
      deadline: { beforeDayOfMonth: 28, periodField: 'period' },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '已上报', en: 'Submitted' },
      chase: { beforeWorkingHours: 8, everyWorkingDays: 1 },
    },
  ],
};

/** The nine reports as the clerk ticks them off: collected, checked and consolidated (漏报 shows as no). */
const REPORT_KEYS = ['caseInvestigation', 'antiCounterfeit', 'antiCounterfeitAnnex', 'monopolyManagement', 'foreignBrandFakes', 'caseStatistics', 'managementCosts', 'genuineCigarettes', 'caseFileRegister'];

/**
 * Version 2: the clerk records each of the nine reports when compiling (000 §二.3), the office
 * director the day they were submitted, and the printed set is filed with the report archives
 * (打印归入本科室报表类档案, 000 §四).
 */
export const monthlyReportV2: DefinitionInput = {
  ...monthlyReport,
  version: 2,
  steps: [
    {
      ...monthlyReport.steps[0]!,
      inputs: REPORT_KINDS.map((kind, i) => ({
        key: REPORT_KEYS[i]!,
        type: 'boolean' as const,
        label: { zh: kind, en: `Report ${i + 1} of 9` },
        required: true,
        help: { zh: '已收集、审核、汇总', en: 'Collected, checked, consolidated' },
      })),
    } as DefinitionInput['steps'][number],
    { ...monthlyReport.steps[1]!, inputs: [{ key: 'submittedOn', type: 'date', label: { zh: '上报日期', en: 'Submitted on' }, required: true }] } as DefinitionInput['steps'][number],
    { id: 'file', type: 'auto', name: { zh: '打印归入报表类档案', en: 'File with the reports' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '月度报表报送登记', en: 'Monthly reports' }, columns: ['period', 'submittedOn'] },
};
