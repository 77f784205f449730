/**
 * 值班 Duty (001 §一(三)4; 003 §22, §23): what the person on duty receives — calls, faxes, notices of
 * outside meetings, urgent reports — is recorded and registered, then handled like a document.
 * On an ordinary day (日常值班) the office director proposes who handles it (拟办), then a leader
 * instructs (呈局领导批示); at night and on holidays (夜间及节假日值班) the leader is told first and
 * the office proposes afterwards. It is handed on (转办), chased (催办) and closed (办结).
 */
import type { DefinitionInput } from '../definition.ts';

const offHours = { field: 'dutyKind', op: 'ne', value: 'daily' } as const;
const urgent = { field: 'urgent', op: 'eq', value: true } as const;
const instruction = { key: 'instruction', type: 'text', label: { zh: '领导批示', en: 'Instruction' }, required: true, maxLength: 1000, multiline: true } as const;

export const dutyLog: DefinitionInput = {
  type: 'duty-log',
  version: 1,
  name: { zh: '值班记录', en: 'Duty log' },
  description: { zh: '日常值班、夜间及节假日值班：登记、拟办、批示、转办、催办、办结', en: 'Day, night and holiday duty' },
  source: '001 §一(三)4; 003 §22, §23',
  fields: [
    {
      key: 'dutyKind',
      type: 'enum',
      label: { zh: '值班类别', en: 'Duty' },
      required: true,
      options: [
        { value: 'daily', label: { zh: '日常值班', en: 'Day duty' } },
        { value: 'night', label: { zh: '夜间值班', en: 'Night duty' } },
        { value: 'holiday', label: { zh: '节假日值班', en: 'Holiday duty' } },
      ],
    },
    { key: 'dutyDate', type: 'date', label: { zh: '值班日期', en: 'On' }, required: true },
    {
      key: 'channel',
      type: 'enum',
      label: { zh: '来源', en: 'Came by' },
      required: true,
      options: [
        { value: 'phone', label: { zh: '来电', en: 'Phone' } },
        { value: 'fax', label: { zh: '传真', en: 'Fax' } },
        { value: 'document', label: { zh: '文电', en: 'Telegram or document' } },
        { value: 'meeting-notice', label: { zh: '局外会议（活动）通知', en: 'Outside meeting notice' } },
        { value: 'visit', label: { zh: '来访', en: 'Visit' } },
      ],
    },
    { key: 'source', type: 'text', label: { zh: '来电（来文）单位及人员', en: 'From' }, required: true, maxLength: 100 },
    { key: 'content', type: 'text', label: { zh: '内容记录', en: 'What was said' }, required: true, maxLength: 2000, multiline: true },
    { key: 'urgent', type: 'boolean', label: { zh: '紧急重大情况', en: 'Urgent and serious' } },
  ],
  checks: [{ check: 'lead-in-list', lead: 'leadDepartment', list: 'handlingDepartments' }],
  steps: [
    {
      id: 'instruct-first',
      type: 'approve',
      name: { zh: '呈局领导批示（夜间及节假日）', en: 'To a leader first (night and holidays)' },
      when: offHours,
      assignees: [{ rule: 'head' }],
      deadline: { workingHours: 2 },
      deadlines: [{ when: urgent, deadline: { workingHours: 1 } }],
      allow: ['delegate', 'add-signer', 'circulate'],
      approveLabel: { zh: '批示', en: 'Instruct' },
      inputs: [instruction],
    },
    {
      id: 'propose',
      type: 'approve',
      name: { zh: '办公室领导拟办', en: 'The office proposes who handles it' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      deadlines: [{ when: urgent, deadline: { sameDay: true } }],
      allow: ['return', 'transfer', 'delegate', 'circulate'],
      approveLabel: { zh: '拟办', en: 'Propose' },
      inputs: [
        { key: 'handlingDepartments', type: 'departments', label: { zh: '转办科室', en: 'Handed to' }, required: true },
        { key: 'leadDepartment', type: 'department', label: { zh: '牵头科室', en: 'Lead department' } },
        { key: 'dueDate', type: 'date', label: { zh: '办理期限', en: 'Due' }, required: true },
        { key: 'proposal', type: 'text', label: { zh: '拟办意见', en: 'Proposal' }, required: true, maxLength: 1000, multiline: true },
      ],
    },
    {
      id: 'instruct',
      type: 'approve',
      name: { zh: '呈局领导批示', en: 'A leader instructs' },
      when: { not: offHours },
      assignees: [{ rule: 'deputies-in-charge-of-field', field: 'handlingDepartments' }],
      deadline: { workingDays: 1 },
      deadlines: [{ when: urgent, deadline: { sameDay: true } }],
      allow: ['return', 'delegate', 'add-signer', 'circulate'],
      approveLabel: { zh: '批示', en: 'Instruct' },
      inputs: [instruction],
    },
    {
      id: 'handle',
      type: 'countersign',
      name: { zh: '转办科室办理', en: 'The departments handle it' },
      assignees: [{ rule: 'department-heads-in-field', field: 'handlingDepartments' }],
      completion: { mode: 'all' },
      deadline: { dateField: 'dueDate' },
      chase: { everyWorkingDays: 1, escalateAfter: 2, escalateTo: 'office-director' },
      allow: ['return', 'transfer', 'delegate', 'add-signer'],
      approveLabel: { zh: '已办理', en: 'Handled' },
      inputs: [{ key: 'handlingResult', type: 'text', label: { zh: '办理结果', en: 'Result' }, required: true, maxLength: 1000, multiline: true }],
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
  ],
  register: { name: { zh: '值班记录', en: 'Duty log' }, columns: ['dutyDate', 'dutyKind', 'channel', 'source', 'content', 'handlingDepartments', 'handlingResult'] },
};
