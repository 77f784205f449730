/**
 * What every handler runs inside, whatever invokes it (API Gateway, Step Functions, a schedule, a
 * table stream): Powertools' logger with the invocation's context (keys reset between
 * invocations), the X-Ray trace of the handler, the metrics counted during it published when it
 * ends, and an uncaught error logged once, structured, before Lambda sees it.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics, telemetry, tracer } from '../adapters/telemetry.ts';
import type { LogContext } from '../domain/telemetry.ts';

let coldStart = true;

/** Publishes what the invocation counted (nothing is written when it counted nothing). */
function publishMetrics(): void {
  if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
}

type Middleware = middy.MiddlewareObj<unknown, unknown, Error, Context>;

const logging = injectLambdaContext(logger, { resetKeys: true }) as Middleware;
/** The invocation's trace; none where there is no tracer (outside Lambda). */
const tracing = tracer && (captureLambdaHandler(tracer, { captureResponse: false }) as Middleware);
const metricsPublishing: Middleware = {
  before: () => {
    if (coldStart && metrics) metrics.captureColdStartMetric();
    coldStart = false;
  },
  after: publishMetrics,
  onError: publishMetrics,
};

/** Around a task, schedule or stream handler: an error it throws is the trace's error. */
export const observability: Middleware[] = [logging, ...(tracing ? [tracing] : []), metricsPublishing];

/** Where an HTTP handler keeps the error it threw, before the error handlers answer it. */
const ORIGINAL_ERROR = 'bangong.originalError';

/** The innermost middleware of an HTTP handler: remembers what was thrown, for the trace. */
export const rememberError: Middleware = {
  onError: (request) => {
    request.internal = { ...request.internal, [ORIGINAL_ERROR]: request.error };
  },
};

/**
 * Around an HTTP handler: a request answered 4xx is no fault of ours and is not traced as one; a
 * 5xx is traced with the error that was thrown, not the error handler's sanitized answer.
 */
export const httpObservability: Middleware[] = [
  logging,
  ...(tracing
    ? [
        {
          before: tracing.before,
          after: tracing.after,
          onError: (request) => {
            const status = (request.response as { statusCode?: number } | undefined)?.statusCode ?? 500;
            if (status < 500) return tracing.after?.(request);
            const thrown = (request.internal as Record<string, unknown>)[ORIGINAL_ERROR];
            return tracing.onError?.({ ...request, error: thrown instanceof Error ? thrown : request.error });
          },
        } satisfies Middleware,
      ]
    : []),
  metricsPublishing,
];

/** Lambda's context, or what a local caller that gives none (the local scheduler, state machine) stands for it. */
function contextOr(context: Context | undefined, name: string): Context {
  return context ?? ({ functionName: name, awsRequestId: '', getRemainingTimeInMillis: () => 15 * 60_000 } as unknown as Context);
}

/**
 * A handler that is not an HTTP route: `name` says which (a task, a schedule, a stream consumer)
 * and `contextOf` picks the case, step and execution out of its event for every line it logs.
 * Errors that are part of the flow (`expected`, caught by the state machine) are logged as warnings.
 */
export function observed<E, R>(
  name: string,
  run: (event: E, context: Context) => Promise<R>,
  contextOf?: (event: E) => LogContext,
  expected?: (error: Error) => boolean,
) {
  const wrapped = middy<E, R, Error, Context>(async (event: E, context: Context) => {
    logger.appendKeys({ handler: name });
    if (contextOf) telemetry.annotate(contextOf(event));
    return run(event, context);
  })
    .use(observability as middy.MiddlewareObj<E, R, Error, Context>[])
    .use({
      onError: ({ error }) => {
        if (error && expected?.(error)) logger.warn(`${name} ended with ${error.name}`, { error: error.message });
        else logger.error(`${name} failed`, { error });
      },
    });
  return (event: E, context?: Context): Promise<R> => wrapped(event, contextOr(context, name));
}
