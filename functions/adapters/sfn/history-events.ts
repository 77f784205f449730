/** Step Functions history events, shaped for people: the type, when, in which state, and what went wrong. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionEvent } from '../../domain/ports.ts';

/** A Lambda error's cause is its JSON error record; a few hundred characters say what happened. */
export const MAX_CAUSE = 1000;

/**
 * Events in the order they happened. Only the "entered" and "exited" events name their state; the
 * task events between them belong to the state entered last, or, at the start of a page, to the
 * state exited next. An event whose state the page does not show has none.
 */
export function peopleEvents(events: readonly HistoryEvent[]): ExecutionEvent[] {
  const stateOf: (string | undefined)[] = [];
  let current: string | undefined;
  for (const [i, e] of events.entries()) {
    if (e.stateEnteredEventDetails) current = e.stateEnteredEventDetails.name;
    stateOf[i] = e.stateExitedEventDetails?.name ?? current;
    if (e.stateExitedEventDetails) current = undefined;
  }
  // Before the page's first "entered" event, look ahead to the state that exits.
  let next: string | undefined;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.stateEnteredEventDetails) next = undefined;
    if (e.stateExitedEventDetails) next = e.stateExitedEventDetails.name;
    stateOf[i] ??= isExecutionEvent(e) ? undefined : next;
  }
  return events.map((e, i) => {
    const failure = failureOf(e);
    return {
      id: e.id!,
      type: e.type!,
      at: e.timestamp!.toISOString(),
      ...(stateOf[i] ? { state: stateOf[i] } : {}),
      ...(failure?.error ? { error: failure.error } : {}),
      ...(failure?.cause ? { cause: failure.cause.slice(0, MAX_CAUSE) } : {}),
    };
  });
}

const isExecutionEvent = (e: HistoryEvent) => String(e.type).startsWith('Execution');

/** The error and cause of whichever failure, timeout or abort the event reports. */
function failureOf(e: HistoryEvent): { error?: string; cause?: string } | undefined {
  return (
    e.taskFailedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.taskStartFailedEventDetails ??
    e.taskSubmitFailedEventDetails ??
    e.lambdaFunctionFailedEventDetails ??
    e.lambdaFunctionTimedOutEventDetails ??
    e.executionFailedEventDetails ??
    e.executionTimedOutEventDetails ??
    e.executionAbortedEventDetails ??
    undefined
  );
}
