/**
 * Yearly obligations (DOMAIN.md §9, §10, §11): the archive hand-in by the end of June of the next
 * year (000 §二.2; 004 ch.8), and the November–December review of all certificates and licences
 * producing the renew / recall / new lists (000 证件管理岗). Opened each year by the recurring
 * obligations of the same names.
 */
import type { DefinitionInput } from '../definition.ts';

export const archiveHandIn: DefinitionInput = {
  type: 'archive-hand-in',
  version: 1,
  name: { zh: '年度档案移交', en: 'Yearly archive hand-in' },
  source: '000 §二.2; 004 第八章',
  archive: { category: 'daily', retention: '10y' },
  fields: [
    { key: 'year', type: 'text', label: { zh: '归档年度', en: 'Year filed' }, required: true, maxLength: 4 },
    { key: 'dueOn', type: 'date', label: { zh: '移交期限', en: 'Hand in by' }, required: true },
    { key: 'volumes', type: 'number', label: { zh: '卷数', en: 'Volumes' }, min: 0, max: 100000, step: 1 },
  ],
  steps: [
    {
      id: 'prepare',
      type: 'approve',
      name: { zh: '整理、编目、盖归档章', en: 'Sort, catalogue and stamp the files' },
      assignees: [{ rule: 'applicant' }],
      deadline: { dateField: 'dueOn' },
      allow: ['transfer', 'delegate', 'add-signer'],
      chase: { beforeWorkingHours: 70, everyWorkingDays: 3, escalateAfter: 2, escalateTo: 'office-director' },
    },
    {
      id: 'review',
      type: 'approve',
      name: { zh: '办公室主任审核目录', en: 'The office director reviews the catalogue' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'transfer'],
    },
    { id: 'file', type: 'auto', name: { zh: '移交档案室', en: 'Handed to the archive room' }, action: { do: 'file' } },
  ],
};

export const certificateReview: DefinitionInput = {
  type: 'certificate-review',
  version: 1,
  name: { zh: '年度证照审验', en: 'Yearly certificate review' },
  source: '000 证件管理岗; 004 第二章',
  archive: { category: 'daily', retention: '10y' },
  fields: [
    { key: 'year', type: 'text', label: { zh: '审验年度', en: 'Year' }, required: true, maxLength: 4 },
    { key: 'dueOn', type: 'date', label: { zh: '完成期限', en: 'Finish by' }, required: true },
    { key: 'renew', type: 'text', label: { zh: '需换证名单', en: 'To renew' }, maxLength: 2000, multiline: true },
    { key: 'recall', type: 'text', label: { zh: '需收回名单（已离岗）', en: 'To recall (people who left)' }, maxLength: 2000, multiline: true },
    { key: 'planned', type: 'text', label: { zh: '明年新办计划', en: 'New ones for next year' }, maxLength: 2000, multiline: true },
  ],
  steps: [
    {
      id: 'review',
      type: 'approve',
      name: { zh: '逐一审验，提出换证、收回、新办名单', en: 'Review each; list those to renew, recall and issue' },
      assignees: [{ rule: 'applicant' }],
      deadline: { dateField: 'dueOn' },
      allow: ['transfer', 'delegate'],
      chase: { beforeWorkingHours: 35, everyWorkingDays: 3, escalateAfter: 2, escalateTo: 'office-director' },
    },
    {
      id: 'approve',
      type: 'approve',
      name: { zh: '办公室主任审定', en: 'The office director approves the lists' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 3 },
      allow: ['return', 'transfer'],
    },
  ],
};

/**
 * Version 2: the lists are what the review produces, so the clerk enters them when the review is
 * done (renew the expiring, recall those of people who left, plan next year's), and the case is
 * filed once the office director approves them.
 */
export const certificateReviewV2: DefinitionInput = {
  ...certificateReview,
  version: 2,
  fields: certificateReview.fields.filter((f) => f.key === 'year' || f.key === 'dueOn'),
  steps: [
    {
      ...certificateReview.steps[0]!,
      inputs: [
        { key: 'reviewedCount', type: 'number', label: { zh: '审验证件数', en: 'Certificates reviewed' }, required: true, min: 0, max: 100000, step: 1 },
        { key: 'renew', type: 'people', label: { zh: '需换证人员', en: 'To renew' }, max: 500 },
        { key: 'recall', type: 'people', label: { zh: '需收回证件人员（已离岗）', en: 'To recall (people who left)' }, max: 500 },
        { key: 'planned', type: 'text', label: { zh: '明年新办计划', en: 'New ones for next year' }, maxLength: 2000, multiline: true },
      ],
    } as DefinitionInput['steps'][number],
    certificateReview.steps[1]!,
    { id: 'file', type: 'auto', name: { zh: '存档', en: 'File' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '证照审验登记', en: 'Certificate reviews' }, columns: ['year', 'reviewedCount', 'renew', 'recall', 'planned'] },
};
