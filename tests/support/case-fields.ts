/** The fields of cases the tests and benches open, as the seeds' forms would be filled in. */

/** 收文: a superior's notice, registered on Monday 23 November 2026. */
export const incomingDocument = (over: Record<string, unknown> = {}) => ({
  fromOrg: '市机关事务管理局',
  docNumber: '市机管发〔2026〕45号',
  receivedOn: '2026-11-23',
  docCategory: 'superior',
  urgency: 'normal',
  confidentiality: 'internal',
  copies: 2,
  summary: '关于开展年终安全检查的通知',
  ...over,
});

/** 发文: a 发-class document to every section, countersigned by administrative affairs. */
export const outgoingDocument = (over: Record<string, unknown> = {}) => ({
  docClass: 'document',
  docKind: '发',
  mainRecipients: '各科室',
  coDepartments: ['admin-affairs'],
  urgency: 'normal',
  confidentiality: 'internal',
  copies: 20,
  ...over,
});

/** 信访: a letter received on Friday 20 November 2026, for administrative affairs. */
export const petition = (over: Record<string, unknown> = {}) => ({
  channel: 'letter',
  receivedOn: '2026-11-20',
  petitioner: '张某',
  contact: '138****0000',
  summary: '反映机关宿舍小区物业服务不到位',
  handlingDepartment: 'admin-affairs',
  ...over,
});
