import { createMetricsRecorder, type MetricsRecorder } from './emf.js';
import { createLogger, type LogFields, type Logger, type LogThreshold } from './log.js';
import { currentTraceId } from './tracing.js';

export interface ObservabilitySettings {
  readonly logLevel: LogThreshold;
  /** The stage's CloudWatch namespace for the business metrics. */
  readonly metricsNamespace: string;
}

/** What one invocation reports through: a logger bound to its ids, and its metrics. */
export interface Invocation {
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  /** `performance.now()` when it started, for its duration. */
  readonly startedAt: number;
}

/**
 * Per function (API route, queue consumer, webhook sender): starts each invocation's logger and
 * metrics with the fields every line carries (Lambda's request id, the X-Ray trace id, the
 * operation, whether this is the instance's first invocation), and writes its metrics at the end.
 * Made once per function, at module load.
 */
export const invocationReporter = (operation: string, settings: ObservabilitySettings) => {
  const logger = createLogger(settings.logLevel);
  let coldStart = true;
  return {
    start: (fields: { readonly awsRequestId: string; readonly requestId?: string }): Invocation => {
      const log = logger.child({
        ...(fields.requestId === undefined ? {} : { requestId: fields.requestId }),
        awsRequestId: fields.awsRequestId,
        traceId: currentTraceId(),
        operation,
        coldStart,
      });
      coldStart = false;
      return {
        log,
        metrics: createMetricsRecorder(settings.metricsNamespace, operation),
        startedAt: performance.now(),
      };
    },
    /**
     * Writes what the invocation counted as EMF lines: info lines, like the one that ends it, on
     * its logger (or one bound to more, such as the tenant found on the way).
     */
    finish: ({ metrics, log }: Pick<Invocation, 'metrics' | 'log'>): void => {
      for (const document of metrics.takeDocuments()) log.info('metrics', document);
    },
  };
};

export type InvocationReporter = ReturnType<typeof invocationReporter>;

/**
 * One invocation of a function that is not an API route (a queue or stream consumer, the
 * simulator): `work` runs with the invocation's logger and metrics, then one `invocation` line says
 * how it went (what `summary` makes of the result, or the error's name) and how long it took, and
 * the metrics are written. The counterpart of the routes' `request` line.
 */
export const reportInvocation = async <T>(
  reporter: InvocationReporter,
  context: { readonly awsRequestId: string },
  work: (invocation: Invocation) => Promise<T>,
  summary: (result: T) => LogFields,
): Promise<T> => {
  const invocation = reporter.start({ awsRequestId: context.awsRequestId });
  const durationMs = () => Math.round(performance.now() - invocation.startedAt);
  try {
    const result = await work(invocation);
    invocation.log.info('invocation', { ...summary(result), durationMs: durationMs() });
    return result;
  } catch (error) {
    // The name only: an AWS error's message can carry table names and ARNs.
    invocation.log.error('invocation', {
      errorName: error instanceof Error ? error.name : 'Error',
      durationMs: durationMs(),
    });
    throw error;
  } finally {
    reporter.finish(invocation);
  }
};
