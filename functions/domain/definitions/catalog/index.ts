/** The process catalogue: every definition the system offers, validated when loaded. */
import { loadDefinition, type Definition, type DefinitionInput } from '../definition.ts';
import { expense } from './expense.ts';
import { leave } from './leave.ts';
import { outgoingDocument } from './outgoing-document.ts';
import { sealUse } from './seal-use.ts';
import { petition, petitionReview } from './petition.ts';
import { supervision } from './supervision.ts';
import { monthlyReport } from './monthly-report.ts';
import { archiveHandIn, certificateReview } from './yearly-obligations.ts';
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
  confidentialAccess,
  archiveBorrowing,
  archiveDestruction,
];

/** Every version of every definition, by `type@version`; a running case keeps its version. */
export const catalog: ReadonlyMap<string, Definition> = new Map(catalogInputs.map((input) => {
  const d = loadDefinition(input);
  return [`${d.type}@${d.version}`, d];
}));

export function latestDefinitions(): Definition[] {
  const latest = new Map<string, Definition>();
  for (const d of catalog.values()) if ((latest.get(d.type)?.version ?? 0) < d.version) latest.set(d.type, d);
  return [...latest.values()];
}
