/**
 * Every local invocation in a scope of its own, as Lambda runs the concurrent invocations of one
 * environment (AWS_LAMBDA_MAX_CONCURRENCY set, the runtime's InvokeStore over AsyncLocalStorage).
 * Powertools keeps what an invocation appends to the logger (its handler, case, step, person) in
 * that scope. Here, where every handler shares one process and one logger, a line logged by one
 * invocation would otherwise carry the keys another appended while both ran.
 */
import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';

/** Runs `invoke` in a fresh invocation scope with a request id of its own. */
export type InvocationScope = <T>(invoke: () => T) => T;

export async function invocationScope(): Promise<InvocationScope> {
  // The store first: with the variable set (Powertools reads it on each use), a log line finding no store would throw.
  const store = await InvokeStore.getInstanceAsync(true);
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
  return (invoke) => store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: randomUUID() }, invoke);
}
