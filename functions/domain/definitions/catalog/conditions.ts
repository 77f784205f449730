/** Conditions several processes share. */

/** The applicant leads a section or the bureau: they ask the next level up, not a section head. */
export const applicantIsLeader = {
  any: [{ applicantRole: 'department-head' }, { applicantRole: 'office-director' }, { applicantRole: 'deputy' }, { applicantRole: 'head' }],
} as const;

/** The applicant is a deputy or the head. */
export const applicantIsBureauLeader = { any: [{ applicantRole: 'deputy' }, { applicantRole: 'head' }] } as const;
