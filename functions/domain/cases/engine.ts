/**
 * The workflow engine's rules, pure: how a case opens, enters steps, takes each decision and
 * runs its automatic steps. No I/O: callers load the case, the definition version and the org,
 * apply one function, and write the result with its trail entries in one transaction.
 *
 * This module is the engine's public face; each responsibility lives in engine/: access,
 * validation, routing, completion, decisions/ (one file per kind), automatic steps, chasing,
 * attachments.
 */
export type { Action, Command, EngineContext, Outcome } from './engine/context.ts';
export { canAttach, canView, canViewFacts, isClassified, viewersOf } from './engine/access.ts';
export { openCase } from './engine/open-case.ts';
export { decide } from './engine/decisions/decide.ts';
export { availableActions } from './engine/available-actions.ts';
export { pendingAutomaticStep, runAutomaticStep } from './engine/automatic-steps.ts';
export { mayChase, stepOverdue, waitingOn } from './engine/chasing.ts';
export { attachFile, recordDownload } from './engine/attachments.ts';
export { inboxRowsOf, type InboxChange, type InboxRow } from './engine/inbox.ts';
