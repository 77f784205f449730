/**
 * 宣传与信息公开 (003 §13, §14, §16): a news release is checked by the office (政策导向、文字内容)
 * and by a leader (政策把关) before it goes out; a media interview is verified (content, manner,
 * time, place, people) and approved before it is arranged; website information is reviewed by
 * the office within a working day, signed off by the head when it concerns the leadership's
 * activities, published within a working day and its draft filed.
 */
import type { DefinitionInput } from '../definition.ts';
import { applicantIsBureauLeader } from './conditions.ts';

export const newsRelease: DefinitionInput = {
  type: 'news-release',
  version: 1,
  name: { zh: '新闻稿审批', en: 'News release' },
  source: '003 §13',
  fields: [
    {
      key: 'newsKind',
      type: 'enum',
      label: { zh: '稿件类别', en: 'Kind' },
      required: true,
      options: [
        { value: 'policy', label: { zh: '政策、法规宣传解读', en: 'Policy' } },
        { value: 'work', label: { zh: '工作动态', en: 'News of the work' } },
        { value: 'leadership', label: { zh: '领导活动', en: 'The leadership’s activities' } },
      ],
    },
    { key: 'outlet', type: 'text', label: { zh: '拟发布媒体', en: 'To be published in' }, required: true, maxLength: 100 },
    { key: 'summary', type: 'text', label: { zh: '稿件摘要', en: 'Summary' }, required: true, maxLength: 2000, multiline: true },
  ],
  steps: [
    {
      id: 'office-review',
      type: 'approve',
      name: { zh: '办公室初步审核', en: 'The office checks it' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject', 'transfer'],
    },
    {
      id: 'leader-review',
      type: 'approve',
      name: { zh: '分管领导审核、会核', en: 'The deputy in charge checks the policy' },
      when: { not: applicantIsBureauLeader },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject', 'add-signer'],
    },
    {
      id: 'publish',
      type: 'approve',
      name: { zh: '对外发布', en: 'Publish' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 1 },
      allow: ['transfer'],
      approveLabel: { zh: '已发布', en: 'Published' },
      inputs: [
        { key: 'publishedOn', type: 'date', label: { zh: '发布日期', en: 'Published on' }, required: true },
        { key: 'publishedWhere', type: 'text', label: { zh: '发布媒体及版面（网址）', en: 'Where' }, required: true, maxLength: 300 },
      ],
    },
  ],
  register: { name: { zh: '新闻稿发布登记', en: 'News releases' }, columns: ['newsKind', 'outlet', 'publishedOn', 'publishedWhere'] },
};

export const mediaInterview: DefinitionInput = {
  type: 'media-interview',
  version: 1,
  name: { zh: '新闻采访审批', en: 'Media interview' },
  source: '003 §14',
  fields: [
    {
      key: 'initiatedBy',
      type: 'enum',
      label: { zh: '采访来由', en: 'Asked by' },
      required: true,
      options: [
        { value: 'media', label: { zh: '媒体申请', en: 'The media' } },
        { value: 'bureau', label: { zh: '本局邀请', en: 'The bureau' } },
      ],
    },
    { key: 'outlet', type: 'text', label: { zh: '媒体名称', en: 'Outlet' }, required: true, maxLength: 100 },
    { key: 'reporters', type: 'text', label: { zh: '记者', en: 'Reporters' }, required: true, maxLength: 200 },
    { key: 'topic', type: 'text', label: { zh: '采访内容', en: 'About' }, required: true, maxLength: 1000, multiline: true },
    { key: 'interviewDate', type: 'date', label: { zh: '采访日期', en: 'On' }, required: true },
    { key: 'place', type: 'text', label: { zh: '采访地点', en: 'Where' }, maxLength: 100 },
    { key: 'interviewees', type: 'people', label: { zh: '受访人员', en: 'Interviewees' }, max: 20 },
  ],
  steps: [
    {
      id: 'verify',
      type: 'approve',
      name: { zh: '办公室核实采访事项', en: 'The office verifies it' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject', 'transfer'],
      inputs: [{ key: 'verification', type: 'text', label: { zh: '核实意见（内容、方式、时间、地点、人员）', en: 'What was verified' }, required: true, maxLength: 1000, multiline: true }],
    },
    {
      id: 'approve',
      type: 'approve',
      name: { zh: '局领导批示', en: 'The head decides' },
      when: { not: { applicantRole: 'head' } },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject', 'delegate'],
    },
    {
      id: 'arrange',
      type: 'approve',
      name: { zh: '按批示安排采访', en: 'Arrange it as decided' },
      assignees: [{ rule: 'applicant' }],
      deadline: { dateField: 'interviewDate' },
      allow: ['transfer'],
      approveLabel: { zh: '采访已完成', en: 'Held' },
      inputs: [{ key: 'heldOn', type: 'date', label: { zh: '采访日期', en: 'Held on' }, required: true }],
    },
  ],
  register: { name: { zh: '新闻采访登记', en: 'Interviews' }, columns: ['interviewDate', 'outlet', 'reporters', 'topic', 'heldOn'] },
};

export const webPublishing: DefinitionInput = {
  type: 'web-publishing',
  version: 1,
  name: { zh: '网站信息发布', en: 'Website publishing' },
  source: '003 §16',
  archive: { category: 'information', retention: '10y' }, // 信息底稿: 10 年
  fields: [
    { key: 'column', type: 'text', label: { zh: '栏目', en: 'Section of the site' }, required: true, maxLength: 60 },
    {
      key: 'infoKind',
      type: 'enum',
      label: { zh: '信息类别', en: 'Kind' },
      required: true,
      options: [
        { value: 'general', label: { zh: '一般信息（室领导签发）', en: 'General (the office signs off)' } },
        { value: 'leadership', label: { zh: '涉及局领导活动的重要信息（局领导签发）', en: 'About the leadership (the head signs off)' } },
      ],
    },
    { key: 'summary', type: 'text', label: { zh: '信息内容摘要', en: 'Summary' }, required: true, maxLength: 2000, multiline: true },
  ],
  steps: [
    {
      id: 'review',
      type: 'approve',
      name: { zh: '室领导审核（1个工作日内）', en: 'The office reviews (1 working day)' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject', 'transfer'],
      approveLabel: { zh: '审核签发', en: 'Reviewed' },
    },
    {
      id: 'sign-off-head',
      type: 'approve',
      name: { zh: '局领导签发', en: 'The head signs off' },
      when: { field: 'infoKind', op: 'eq', value: 'leadership' },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 1 },
      allow: ['return', 'reject'],
      approveLabel: { zh: '签发', en: 'Sign off' },
    },
    {
      id: 'publish',
      type: 'approve',
      name: { zh: '网站发布（1个工作日内）', en: 'Publish (1 working day)' },
      assignees: [{ rule: 'applicant' }],
      deadline: { workingDays: 1 },
      chase: { beforeWorkingHours: 2, everyWorkingDays: 1, escalateAfter: 1, escalateTo: 'office-director' },
      allow: ['transfer'],
      approveLabel: { zh: '已发布', en: 'Published' },
      inputs: [
        { key: 'url', type: 'text', label: { zh: '发布网址', en: 'Address' }, required: true, maxLength: 300 },
        { key: 'publishedOn', type: 'date', label: { zh: '发布日期', en: 'Published on' }, required: true },
      ],
    },
    { id: 'file', type: 'auto', name: { zh: '信息底稿归档', en: 'File the draft' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '网站信息发布登记', en: 'Website publishing' }, columns: ['column', 'infoKind', 'publishedOn', 'url'] },
};
