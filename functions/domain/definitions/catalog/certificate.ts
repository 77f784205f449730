/**
 * 证照 Certificates and licences (000 证件管理岗; 004 第二章 证照管理): a certificate is asked for
 * (new, renewed or changed) for a holder in a post, reviewed by the office, obtained, checked and
 * registered with its number, issue date and expiry (领证时间、证件的有效期). Each November–December
 * review (`certificate-review`) lists those to renew, to recall and to issue next year.
 */
import type { DefinitionInput } from '../definition.ts';

export const certificate: DefinitionInput = {
  type: 'certificate',
  version: 1,
  name: { zh: '证照办理登记', en: 'Certificate' },
  source: '000 证件管理岗; 004 第二章 证照管理',
  archive: { category: 'daily', retention: '10y' },
  fields: [
    { key: 'holder', type: 'person', label: { zh: '持证人', en: 'Holder' }, required: true },
    { key: 'post', type: 'text', label: { zh: '职务、岗位', en: 'Post' }, required: true, maxLength: 60 },
    {
      key: 'certificateKind',
      type: 'enum',
      label: { zh: '证件类别', en: 'Kind' },
      required: true,
      options: [
        { value: 'enforcement', label: { zh: '行政执法证', en: 'Law-enforcement certificate' } },
        { value: 'inspection', label: { zh: '行政执法检查证', en: 'Inspection certificate' } },
        { value: 'licence', label: { zh: '单位证照（许可证、执照）', en: 'Licence of the bureau' } },
        { value: 'other', label: { zh: '其他', en: 'Other' } },
      ],
    },
    {
      key: 'action',
      type: 'enum',
      label: { zh: '办理事项', en: 'What' },
      required: true,
      options: [
        { value: 'new', label: { zh: '新办', en: 'New' } },
        { value: 'renew', label: { zh: '到期换证', en: 'Renewal' } },
        { value: 'change', label: { zh: '变更', en: 'Change' } },
      ],
    },
    { key: 'reason', type: 'text', label: { zh: '事由', en: 'Why' }, maxLength: 500, multiline: true },
  ],
  checks: [{ check: 'date-order', from: 'issuedOn', to: 'expiresOn' }],
  steps: [
    {
      id: 'review',
      type: 'approve',
      name: { zh: '办公室审核', en: 'The office reviews' },
      assignees: [{ rule: 'office-director' }],
      deadline: { workingDays: 2 },
      allow: ['return', 'reject', 'transfer'],
    },
    {
      id: 'obtain',
      type: 'approve',
      name: { zh: '领取、核对、登记', en: 'Obtain, check and register' },
      assignees: [{ rule: 'role', role: 'clerk' }],
      deadline: { workingDays: 10 },
      allow: ['transfer', 'delegate'],
      approveLabel: { zh: '已登记', en: 'Registered' },
      inputs: [
        { key: 'certificateNumber', type: 'text', label: { zh: '证件编号', en: 'Number' }, required: true, maxLength: 60 },
        { key: 'issuedOn', type: 'date', label: { zh: '领证日期', en: 'Issued on' }, required: true },
        { key: 'expiresOn', type: 'date', label: { zh: '有效期至', en: 'Valid until' }, required: true },
      ],
    },
    { id: 'file', type: 'auto', name: { zh: '复印件存档', en: 'File the copy' }, action: { do: 'file' } },
  ],
  register: { name: { zh: '证照登记', en: 'Certificate register' }, columns: ['holder', 'post', 'certificateKind', 'certificateNumber', 'issuedOn', 'expiresOn', 'action'] },
};
