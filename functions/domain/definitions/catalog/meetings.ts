/**
 * 办会 Meetings (001 §一(二), §二; 003 §2, §3; 002 第一篇 办公室 ⑴; 002 第二篇 §九):
 *  - a meeting: topic and attendees → approval (the deputy in charge, then the head) → venue →
 *    notice, recorded per person and channel, important meetings by two (双保险: 电话与传真) →
 *    materials → sign-in and attendance count → minutes drafted within 3 days → approved by the
 *    chair (会议纪要由会议主持人签发) → distributed → filed;
 *  - a meeting-room booking, 1–3 days ahead, changed at least a day ahead (001 §二(二));
 *  - the theory study group's monthly study around the 20th, its members told 3 days before.
 */
import type { DefinitionInput } from '../definition.ts';
import { applicantIsBureauLeader } from './conditions.ts';

const important = { field: 'important', op: 'eq', value: true } as const;
const channels = ['byPhone', 'byFax', 'bySms', 'inWriting'];

export const meeting: DefinitionInput = {
  type: 'meeting',
  version: 1,
  name: { zh: '会议', en: 'Meeting' },
  description: { zh: '议题、与会人员、报批、会场、通知、材料、签到、纪要、分发、归档', en: 'Topic to filing' },
  source: '001 §一(二); 003 §2; 002 第一篇 办公室 ⑴',
  archive: { category: 'documents', retention: '30y' }, // 会议记录、纪要: 30 年
  fields: [
    { key: 'topic', type: 'text', label: { zh: '会议议题', en: 'Topic' }, required: true, maxLength: 500, multiline: true },
    {
      key: 'meetingKind',
      type: 'enum',
      label: { zh: '会议类别', en: 'Kind' },
      required: true,
      options: [
        { value: 'bureau-affairs', label: { zh: '局务会', en: 'Bureau affairs meeting' } },
        { value: 'head-office', label: { zh: '局长办公会', en: 'Head’s office meeting' } },
        { value: 'special', label: { zh: '专题会议', en: 'Special meeting' } },
        { value: 'other', label: { zh: '其他会议', en: 'Other' } },
      ],
    },
    { key: 'important', type: 'boolean', label: { zh: '重要会议', en: 'Important' }, help: { zh: '重要会议须以两种方式通知', en: 'Important meetings are notified two ways' } },
    { key: 'meetingDate', type: 'date', label: { zh: '会议日期', en: 'Date' }, required: true },
    { key: 'startTime', type: 'text', label: { zh: '开始时间', en: 'Starts at' }, required: true, maxLength: 5, help: { zh: '如 09:00', en: 'E.g. 09:00' } },
    { key: 'chair', type: 'person', label: { zh: '会议主持人', en: 'Chair' }, required: true },
    { key: 'attendees', type: 'people', label: { zh: '与会人员', en: 'Attendees' }, required: true, max: 200 },
    { key: 'agenda', type: 'text', label: { zh: '会议议程', en: 'Agenda' }, maxLength: 2000, multiline: true },
  ],
  checks: [
    // Every attendee is told, and of an important meeting by two channels (001 §一(二)2(1)).
    { check: 'each-in', field: 'attendees', in: channels, atLeast: 1 },
    { check: 'each-in', field: 'attendees', in: channels, atLeast: 2, when: important },
  ],
  steps: [
    {
      id: 'deputy',
      type: 'approve',
      name: { zh: '分管领导同意', en: 'The deputy in charge agrees' },
      when: { not: applicantIsBureauLeader },
      assignees: [{ rule: 'deputy-in-charge-of-applicant-department' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'head',
      type: 'approve',
      name: { zh: '局长审定', en: 'The head approves' },
      when: { not: { applicantRole: 'head' } },
      assignees: [{ rule: 'head' }],
      deadline: { workingDays: 1 },
    },
    {
      id: 'venue',
      type: 'approve',
      name: { zh: '选择会场', en: 'Choose the venue' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { dateField: 'meetingDate' },
      allow: ['transfer', 'delegate', 'return'],
      approveLabel: { zh: '已落实会场', en: 'Venue set' },
      inputs: [{ key: 'venue', type: 'text', label: { zh: '会场', en: 'Venue' }, required: true, maxLength: 100 }],
    },
    {
      id: 'notice',
      type: 'approve',
      name: { zh: '下发会议通知并登记', en: 'Send the notice and record it' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { dateField: 'meetingDate' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已通知', en: 'Notified' },
      // Who was told, how (the channel lists) and when (the day, and the trail entry's time).
      inputs: [
        { key: 'byPhone', type: 'people', label: { zh: '电话通知', en: 'Told by phone' }, max: 200 },
        { key: 'byFax', type: 'people', label: { zh: '传真通知', en: 'Told by fax' }, max: 200 },
        { key: 'bySms', type: 'people', label: { zh: '短信通知', en: 'Told by text message' }, max: 200 },
        { key: 'inWriting', type: 'people', label: { zh: '书面通知', en: 'Told in writing' }, max: 200 },
        { key: 'notifiedOn', type: 'date', label: { zh: '通知日期', en: 'Told on' }, required: true },
      ],
    },
    {
      id: 'materials',
      type: 'approve',
      name: { zh: '准备会议文件和材料', en: 'Prepare the papers' },
      assignees: [{ rule: 'applicant' }],
      deadline: { dateField: 'meetingDate' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已准备', en: 'Ready' },
    },
    {
      id: 'sign-in',
      type: 'approve',
      name: { zh: '签到、统计到会情况', en: 'Sign-in and attendance count' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { dateField: 'meetingDate' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已签到统计', en: 'Counted' },
      marks: { event: 'held', label: { zh: '会议召开', en: 'the meeting' } },
      inputs: [
        { key: 'present', type: 'people', label: { zh: '到会人员', en: 'Present' }, required: true, max: 200 },
        { key: 'attendanceCount', type: 'number', label: { zh: '到会人数', en: 'Attendance' }, required: true, min: 0, max: 1000, step: 1 },
        { key: 'absences', type: 'text', label: { zh: '缺席人员及原因', en: 'Absent, and why' }, maxLength: 500, multiline: true },
      ],
    },
    {
      id: 'minutes',
      type: 'approve',
      name: { zh: '起草会议纪要（3天内）', en: 'Draft the minutes (within 3 days)' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      // 会议纪要 (3天内完成起草), 003 §2.
      deadline: { days: 3, from: 'held' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已起草', en: 'Drafted' },
      inputs: [{ key: 'minutesSummary', type: 'text', label: { zh: '纪要要点', en: 'Minutes in brief' }, required: true, maxLength: 2000, multiline: true }],
    },
    {
      id: 'minutes-approval',
      type: 'approve',
      name: { zh: '主持人签发会议纪要', en: 'The chair approves the minutes' },
      assignees: [{ rule: 'person-in-field', field: 'chair' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'delegate'],
      approveLabel: { zh: '签发', en: 'Approve' },
    },
    {
      id: 'distribute',
      type: 'approve',
      name: { zh: '分发会议纪要', en: 'Distribute the minutes' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 1 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已分发', en: 'Distributed' },
      inputs: [{ key: 'distributedTo', type: 'people', label: { zh: '分发范围', en: 'Sent to' }, required: true, max: 200 }],
    },
    { id: 'file', type: 'auto', name: { zh: '会议记录、资料归档', en: 'File the record and papers' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '会议登记', en: 'Meetings' }, columns: ['meetingDate', 'topic', 'meetingKind', 'chair', 'venue', 'attendanceCount'] },
};

export const roomBooking: DefinitionInput = {
  type: 'room-booking',
  version: 1,
  name: { zh: '会议室预约', en: 'Meeting-room booking' },
  description: { zh: '提前1–3天预约，变更须提前一天', en: 'Book 1–3 days ahead; change at least a day ahead' },
  source: '001 §二(二)',
  fields: [
    { key: 'meetingDate', type: 'date', label: { zh: '会议日期', en: 'Date' }, required: true },
    { key: 'startTime', type: 'text', label: { zh: '开始时间', en: 'From' }, required: true, maxLength: 5 },
    { key: 'endTime', type: 'text', label: { zh: '结束时间', en: 'To' }, required: true, maxLength: 5 },
    {
      key: 'room',
      type: 'enum',
      label: { zh: '会议室', en: 'Room' },
      required: true,
      options: [
        { value: 'large', label: { zh: '大会议室', en: 'Large room' } },
        { value: 'room-1', label: { zh: '一号会议室', en: 'Room 1' } },
        { value: 'room-2', label: { zh: '二号会议室', en: 'Room 2' } },
      ],
    },
    { key: 'attendeeCount', type: 'number', label: { zh: '与会人数', en: 'People' }, required: true, min: 1, max: 1000, step: 1 },
    { key: 'podiumCount', type: 'number', label: { zh: '主席台人数', en: 'On the podium' }, min: 0, max: 50, step: 1 },
    {
      key: 'level',
      type: 'enum',
      label: { zh: '会议规格', en: 'Level' },
      required: true,
      options: [
        { value: 'ordinary', label: { zh: '一般会议', en: 'Ordinary' } },
        { value: 'first', label: { zh: '一级规格（填写重要会议督查清单）', en: 'First level' } },
      ],
    },
    { key: 'mainLeader', type: 'text', label: { zh: '与会主要领导', en: 'Leading attendee' }, maxLength: 60 },
    { key: 'banner', type: 'text', label: { zh: '会标内容', en: 'Banner' }, maxLength: 100 },
    { key: 'requirements', type: 'text', label: { zh: '会场布置要求', en: 'Set-up' }, maxLength: 500, multiline: true, help: { zh: '鲜花、果盘、欢迎标牌、领导铭牌、座位牌等', en: 'Flowers, name plates, seating…' } },
  ],
  // 提前1-3天联系会议室使用意向；会议变更或调整，须提前一天 (001 §二(二)2(2)).
  checks: [{ check: 'days-ahead', field: 'meetingDate', min: 1, max: 3 }],
  steps: [
    {
      id: 'confirm',
      type: 'approve',
      name: { zh: '衔接会务、办理使用手续', en: 'Confirm and book' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingHours: 4 },
      allow: ['return', 'reject', 'transfer'],
      approveLabel: { zh: '已安排', en: 'Booked' },
      inputs: [
        // The room actually given, when another than asked for.
        {
          key: 'room',
          type: 'enum',
          label: { zh: '会议室', en: 'Room' },
          options: [
            { value: 'large', label: { zh: '大会议室', en: 'Large room' } },
            { value: 'room-1', label: { zh: '一号会议室', en: 'Room 1' } },
            { value: 'room-2', label: { zh: '二号会议室', en: 'Room 2' } },
          ],
        },
        { key: 'serviceNotes', type: 'text', label: { zh: '会务服务安排', en: 'Service arrangements' }, maxLength: 500, multiline: true },
      ],
    },
    {
      id: 'prepare',
      type: 'approve',
      name: { zh: '会前布置、督查', en: 'Set up and check before the meeting' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { dateField: 'meetingDate' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已布置', en: 'Set up' },
    },
    {
      id: 'after',
      type: 'approve',
      name: { zh: '会后清点、检查、征求意见', en: 'Clear up, check and ask for feedback' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 1 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已清点', en: 'Checked' },
      inputs: [
        { key: 'damage', type: 'text', label: { zh: '物品损坏情况', en: 'Damage' }, required: true, maxLength: 500 },
        { key: 'feedback', type: 'text', label: { zh: '使用单位意见', en: 'Feedback' }, maxLength: 500, multiline: true },
      ],
    },
  ],
  register: { name: { zh: '会议室使用登记', en: 'Room bookings' }, columns: ['meetingDate', 'startTime', 'endTime', 'room', 'attendeeCount', 'level'] },
};

/** Opened every month by the recurring obligation of the same name, for the clerk. */
export const theoryStudy: DefinitionInput = {
  type: 'theory-study',
  version: 1,
  name: { zh: '理论中心组学习', en: 'Theory study group' },
  source: '002 第二篇 §九',
  archive: { category: 'daily', retention: '10y' }, // 学习记录: 10 年
  fields: [
    { key: 'period', type: 'text', label: { zh: '学习月份（年月）', en: 'Month' }, required: true, maxLength: 7 },
    { key: 'studyDate', type: 'date', label: { zh: '学习日期', en: 'Study day' }, required: true, help: { zh: '每月20号前后', en: 'Around the 20th' } },
    { key: 'topic', type: 'text', label: { zh: '学习内容', en: 'Topic' }, maxLength: 500, multiline: true },
  ],
  steps: [
    {
      id: 'notice',
      type: 'approve',
      name: { zh: '提前三天告知成员', en: 'Tell the members 3 days before' },
      assignees: [{ rule: 'applicant' }],
      // The study is around the 20th: the members know by the 17th.
      deadline: { beforeDayOfMonth: 18, periodField: 'period' },
      chase: { beforeWorkingHours: 7, everyWorkingDays: 1, escalateAfter: 1, escalateTo: 'office-director' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已通知', en: 'Told' },
      inputs: [
        { key: 'notified', type: 'people', label: { zh: '已通知成员', en: 'Members told' }, required: true, max: 100 },
        { key: 'studyDate', type: 'date', label: { zh: '学习日期', en: 'Study day' } },
        { key: 'topic', type: 'text', label: { zh: '学习内容', en: 'Topic' }, maxLength: 500, multiline: true },
      ],
    },
    {
      id: 'study',
      type: 'approve',
      name: { zh: '集中学习、签到记录', en: 'Study together: sign-in and record' },
      assignees: [{ rule: 'applicant' }],
      deadline: { dateField: 'studyDate' },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已记录', en: 'Recorded' },
      // 集中学习签到本、记录本 (三簿): who came, how many.
      inputs: [
        { key: 'present', type: 'people', label: { zh: '参学人员', en: 'Present' }, required: true, max: 100 },
        { key: 'attendanceCount', type: 'number', label: { zh: '参学人数', en: 'Attendance' }, required: true, min: 0, max: 1000, step: 1 },
        { key: 'record', type: 'text', label: { zh: '学习记录', en: 'Record' }, maxLength: 2000, multiline: true },
      ],
    },
    { id: 'file', type: 'auto', name: { zh: '立卷归档', en: 'File' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '理论学习登记', en: 'Theory study' }, columns: ['period', 'studyDate', 'topic', 'attendanceCount'] },
};
