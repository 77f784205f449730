/**
 * 督办 Supervision (004 ch.1; 001 §(三)2): a task with its method, deadline and responsible
 * person is followed up; when late it is chased a first and a second time, then reported to the
 * leader, then chased a final time naming the consequences; the office checks the result and
 * reports back to the leader who assigned it.
 */
import type { DefinitionInput } from '../definition.ts';

export const supervision: DefinitionInput = {
  type: 'supervision',
  version: 1,
  name: { zh: '督办事项', en: 'Supervised task' },
  source: '004 第一章; 001 §(三)2',
  fields: [
    { key: 'task', type: 'text', label: { zh: '督办事项', en: 'Task' }, required: true, maxLength: 500, multiline: true },
    { key: 'method', type: 'text', label: { zh: '办理要求', en: 'How' }, maxLength: 1000, multiline: true },
    { key: 'responsible', type: 'person', label: { zh: '责任人', en: 'Responsible' }, required: true },
    { key: 'deadline', type: 'date', label: { zh: '办结时限', en: 'Deadline' }, required: true },
    { key: 'leader', type: 'person', label: { zh: '交办领导', en: 'Assigned by' }, required: true },
  ],
  steps: [
    {
      id: 'handle',
      type: 'approve',
      name: { zh: '责任人办理', en: 'The responsible person does it' },
      assignees: [{ rule: 'person-in-field', field: 'responsible' }],
      deadline: { dateField: 'deadline' },
      allow: ['transfer', 'delegate', 'add-signer', 'circulate'],
      approveLabel: { zh: '已办结', en: 'Done' },
      // First chase, second chase, report to the leader, final chase.
      chase: { beforeWorkingHours: 8, everyWorkingDays: 2, escalateAfter: 2, escalateTo: { field: 'leader' }, afterEscalation: 1 },
    },
    {
      id: 'check',
      type: 'approve',
      name: { zh: '办公室核查办理结果', en: 'The office checks the result' },
      // Whoever in the office opened the supervision checks its result.
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'transfer'],
      approveLabel: { zh: '核查通过', en: 'Checked' },
    },
    {
      id: 'report',
      type: 'auto',
      name: { zh: '向交办领导反馈', en: 'Report back to the leader' },
      action: { do: 'notify', to: [{ rule: 'person-in-field', field: 'leader' }], message: { zh: '督办事项已办结并核查', en: 'The supervised task is done and checked' } },
    },
  ],
};

/**
 * Version 2: the responsible person records how the task was done (承办结果, 004 ch.1 督办审查
 * 复命), which the office checks before it reports back; the register lists supervised tasks.
 */
export const supervisionV2: DefinitionInput = {
  ...supervision,
  version: 2,
  steps: supervision.steps.map((s) =>
    s.id === 'handle' ? { ...s, inputs: [{ key: 'result', type: 'text' as const, label: { zh: '办理情况', en: 'How it was done' }, required: true, maxLength: 2000, multiline: true }] } : s,
  ),
  register: { name: { zh: '督办事项登记', en: 'Supervised tasks' }, columns: ['task', 'responsible', 'deadline', 'leader', 'result'] },
};
