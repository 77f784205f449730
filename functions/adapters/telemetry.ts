/**
 * Logs, metrics and traces through Powertools for AWS Lambda, one of each per container.
 * - Logger: structured JSON in Lambda (request id, case, step, execution and person on every
 *   line of an invocation); locally the same lines as one readable line each.
 * - Metrics: CloudWatch EMF in namespace `Bangong` (dimension `service`), published at the end of
 *   each invocation that counted something. Outside Lambda counts are logged at DEBUG instead.
 * - Tracer: X-Ray, in Lambda only (not even loaded elsewhere); aws.ts captures every SDK client
 *   with it.
 */
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { FailureCounter, LogContext, Telemetry, WorkCounter } from '../domain/telemetry.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from './telemetry-names.ts';

const inLambda = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);

/** Keys every line has anyway, left out of the readable form. */
const QUIET_KEYS = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id', 'cold_start', 'function_arn', 'function_memory_size', 'function_request_id', 'function_name']);

/** A value printed as it is; anything else is printed as JSON. */
const PLAIN = /^[\w.:/@#{}+-]*$/;

/** Locally: `12:03:04.567 INFO  Decision saved caseId=… personId=…`, errors with their stack below. */
class ReadableLogger extends Logger {
  protected override printLog(_level: number, log: LogItem): void {
    const attributes = log.getAttributes() as Record<string, unknown>;
    const time = String(attributes.timestamp ?? new Date().toISOString()).slice(11, 23);
    const level = String(attributes.level ?? '').padEnd(5);
    const keys = Object.entries(attributes)
      .filter(([key, value]) => !QUIET_KEYS.has(key) && key !== 'error' && value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' && PLAIN.test(value) ? value : JSON.stringify(value)}`);
    const error = attributes.error as { stack?: string; message?: string } | undefined;
    // A message is ours; a value may come from a request, so one with spaces or control characters is quoted (no forged lines).
    const line = [time, level, JSON.stringify(String(attributes.message ?? '')).slice(1, -1), ...keys].join(' ');
    const text = error ? `${line}\n  ${error.stack ?? error.message ?? String(error)}` : line;
    if (attributes.level === 'ERROR' || attributes.level === 'WARN' || attributes.level === 'CRITICAL') console.error(text);
    else console.log(text);
  }
}

/**
 * INFO in Lambda; elsewhere only what went wrong (tests, benches: a line per request is I/O on the
 * path they measure) unless POWERTOOLS_LOG_LEVEL asks for more, as `npm start` does (INFO).
 */
const logLevel = (process.env.POWERTOOLS_LOG_LEVEL ?? (inLambda ? 'INFO' : 'WARN')) as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export const logger: Logger = inLambda ? new Logger({ serviceName: SERVICE_NAME, logLevel }) : new ReadableLogger({ serviceName: SERVICE_NAME, logLevel });

export const metrics: Metrics | undefined = inLambda ? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger }) : undefined;

/**
 * X-Ray where a trace can go: in Lambda, unless POWERTOOLS_TRACE_ENABLED=false. Elsewhere (the
 * local system, tests, benches) the X-Ray SDK is not even loaded: its context tracking hooks every
 * promise the process makes (cls-hooked: an init and a destroy hook each), for traces nobody sends.
 */
const tracing = inLambda && process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';

export const tracer: Tracer | undefined = tracing ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: SERVICE_NAME }) : undefined;

/** The keys of a context that are set, for the logger and as X-Ray annotations. */
function present(context: LogContext): Record<string, string> {
  return Object.fromEntries(Object.entries(context).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}

function count(counter: WorkCounter | FailureCounter, value: number): void {
  if (metrics) metrics.addMetric(counter, MetricUnit.Count, value);
  else logger.debug('count', { counter, value });
}

/**
 * An AWS service's error is logged by name, code and request id only: its message may quote what
 * was sent (SES names the recipients). Errors of our own keep their message and stack.
 */
function loggable(error: unknown): unknown {
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } } | null)?.$metadata;
  if (!(error instanceof Error) || !metadata) return error;
  return { name: error.name, code: (error as { Code?: string }).Code, httpStatusCode: metadata.httpStatusCode, requestId: metadata.requestId };
}

export const telemetry: Telemetry = {
  annotate(context) {
    const keys = present(context);
    logger.appendKeys(keys);
    if (tracer?.isTracingEnabled()) for (const [key, value] of Object.entries(keys)) tracer.putAnnotation(key, value);
  },
  info(message, detail) {
    logger.info(message, { ...detail });
  },
  count(counter, value = 1) {
    count(counter, value);
  },
  survived(counter, message, error, detail) {
    logger.error(message, { counter, ...detail, ...(error === undefined ? {} : { error: loggable(error) }) });
    count(counter, 1);
  },
};
