/**
 * How the catalogue is offered (新建申请): the group each process is listed under, and who may
 * start one. Whoever else asks is refused (403) and nothing is written: a 科员 does not register
 * an incoming document (收文登记 is the clerk's, 001 §一(一)2), nor draw its number. Running cases
 * are not affected by who may start new ones, so this is kept per process, not per version.
 */
import type { Role } from '../../org/org.ts';

export const GROUPS = {
  documents: { zh: '公文', en: 'Documents' },
  approvals: { zh: '审批', en: 'Approvals' },
  seals: { zh: '印章', en: 'Seals' },
  petitions: { zh: '信访', en: 'Petitions' },
  meetings: { zh: '会议', en: 'Meetings' },
  archive: { zh: '档案', en: 'Archive' },
  logistics: { zh: '后勤', en: 'Logistics' },
  reports: { zh: '报表与督办', en: 'Reports and supervision' },
} as const;
export type Group = keyof typeof GROUPS;

/** Who may start a process: everyone, or those holding one of the roles. */
export type Starters = 'everyone' | { readonly roles: readonly Role[] };

export interface Offering {
  readonly group: Group;
  readonly startedBy: Starters;
}

const OFFICE_KEEPERS: readonly Role[] = ['office-director', 'clerk'];

export const offering: Readonly<Record<string, Offering>> = {
  // 公文: the clerk registers what comes in; any section drafts what goes out.
  'incoming-document': { group: 'documents', startedBy: { roles: ['clerk', 'confidential-clerk', 'office-director'] } },
  'outgoing-document': { group: 'documents', startedBy: 'everyone' },
  'duty-log': { group: 'documents', startedBy: 'everyone' },
  // 审批
  leave: { group: 'approvals', startedBy: 'everyone' },
  expense: { group: 'approvals', startedBy: 'everyone' },
  reception: { group: 'approvals', startedBy: 'everyone' },
  'news-release': { group: 'approvals', startedBy: 'everyone' },
  'media-interview': { group: 'approvals', startedBy: 'everyone' },
  'web-publishing': { group: 'approvals', startedBy: 'everyone' },
  certificate: { group: 'approvals', startedBy: 'everyone' },
  // 印章: anyone asks to use a seal; a section asks for its seal to be made or retired; inspection is the seal keeper's.
  'seal-use': { group: 'seals', startedBy: 'everyone' },
  'seal-carving': { group: 'seals', startedBy: { roles: ['department-head', 'seal-keeper', ...OFFICE_KEEPERS] } },
  'seal-inspection': { group: 'seals', startedBy: { roles: ['seal-keeper', ...OFFICE_KEEPERS] } },
  'seal-retirement': { group: 'seals', startedBy: { roles: ['department-head', 'seal-keeper', ...OFFICE_KEEPERS] } },
  // 信访: the petition desk registers every letter and visit (002 第二篇 §七).
  petition: { group: 'petitions', startedBy: { roles: ['petition-desk', 'office-director'] } },
  'petition-review': { group: 'petitions', startedBy: { roles: ['petition-desk', 'office-director'] } },
  // 会议
  meeting: { group: 'meetings', startedBy: 'everyone' },
  'room-booking': { group: 'meetings', startedBy: 'everyone' },
  'theory-study': { group: 'meetings', startedBy: { roles: [...OFFICE_KEEPERS, 'head', 'deputy'] } },
  // 档案: anyone asks to borrow or see; hand-in and destruction are the archivist's.
  'archive-borrowing': { group: 'archive', startedBy: 'everyone' },
  'confidential-access': { group: 'archive', startedBy: 'everyone' },
  'archive-hand-in': { group: 'archive', startedBy: { roles: ['archivist', ...OFFICE_KEEPERS] } },
  'archive-destruction': { group: 'archive', startedBy: { roles: ['archivist', 'confidential-clerk', 'office-director'] } },
  // 后勤
  'office-supplies': { group: 'logistics', startedBy: 'everyone' },
  'vehicle-use': { group: 'logistics', startedBy: 'everyone' },
  'vehicle-repair': { group: 'logistics', startedBy: { roles: ['department-head', 'staff', ...OFFICE_KEEPERS] } },
  procurement: { group: 'logistics', startedBy: 'everyone' },
  // 报表与督办: reports are opened each month for the sections; leaders and the office assign supervised tasks.
  'monthly-report': { group: 'reports', startedBy: { roles: ['department-head', ...OFFICE_KEEPERS] } },
  'certificate-review': { group: 'reports', startedBy: { roles: OFFICE_KEEPERS } },
  supervision: { group: 'reports', startedBy: { roles: ['head', 'deputy', 'supervisor', ...OFFICE_KEEPERS] } },
};
