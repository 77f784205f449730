/**
 * The process catalogue as written: every definition the system offers, in the order it offers
 * them. Validated and completed with the schema's defaults by `npm run catalog` into catalog.json,
 * which is what the functions load (index.ts); a unit test fails when the two differ.
 */
import type { DefinitionInput } from '../definition.ts';
import { expense } from './expense.ts';
import { leave, leaveV2 } from './leave.ts';
import { outgoingDocument } from './outgoing-document.ts';
import { sealUse } from './seal-use.ts';
import { petition, petitionReview } from './petition.ts';
import { supervision } from './supervision.ts';
import { monthlyReport } from './monthly-report.ts';
import { archiveHandIn, certificateReview, certificateReviewV2 } from './yearly-obligations.ts';
import { incomingDocument } from './incoming-document.ts';
import { outgoingDocumentV2, outgoingDocumentV3 } from './outgoing-document.ts';
import { sealUseV2 } from './seal-use.ts';
import { sealCarving, sealInspection, sealRetirement } from './seal-life-cycle.ts';
import { expenseV2 } from './expense.ts';
import { petitionV2 } from './petition.ts';
import { supervisionV2 } from './supervision.ts';
import { monthlyReportV2 } from './monthly-report.ts';
import { meeting, roomBooking, theoryStudy } from './meetings.ts';
import { certificate } from './certificate.ts';
import { officeSupplies, procurement, reception, vehicleRepair, vehicleUse } from './office-affairs.ts';
import { mediaInterview, newsRelease, webPublishing } from './publicity.ts';
import { dutyLog } from './duty-log.ts';
import { archiveBorrowing, archiveDestruction, confidentialAccess } from './archive-requests.ts';

export const catalogInputs: readonly DefinitionInput[] = [
  leave,
  sealUse,
  expense,
  outgoingDocument,
  petition,
  petitionReview,
  supervision,
  monthlyReport,
  archiveHandIn,
  certificateReview,
  // Later versions: the first ones stay for the cases that started on them.
  outgoingDocumentV2,
  sealUseV2,
  expenseV2,
  petitionV2,
  supervisionV2,
  monthlyReportV2,
  certificateReviewV2,
  // DOMAIN.md §1–§12, the rest of the catalogue.
  incomingDocument,
  sealCarving,
  sealInspection,
  sealRetirement,
  meeting,
  roomBooking,
  theoryStudy,
  certificate,
  officeSupplies,
  vehicleUse,
  vehicleRepair,
  reception,
  procurement,
  newsRelease,
  mediaInterview,
  webPublishing,
  dutyLog,
  confidentialAccess,
  archiveBorrowing,
  archiveDestruction,
  // Days worked out from the dates; document numbers with the organisation's own code.
  leaveV2,
  outgoingDocumentV3,
];
