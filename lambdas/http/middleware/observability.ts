import { randomUUID } from 'node:crypto';
import { invocationReporter, type ObservabilitySettings } from '../../observability/invocation.js';
import { toAthosError } from '../errorResponse.js';
import type { HttpMiddleware } from './types.js';

/**
 * Names each request and reports how it ended. Before: the request id (`req_` + API Gateway's id,
 * which its access log and its own answers carry bare), and a logger and metrics recorder for the
 * request. After, or on error: one `request` line with the tenant, status, contract code and
 * duration, a refusal counted by its code, and the request's metrics as EMF lines. Used right
 * inside CORS, so it sees the final response, errors included.
 */
export const observability = (operation: string, settings: ObservabilitySettings): HttpMiddleware => {
  const reporter = invocationReporter(operation, settings);
  const startedAt = new WeakMap<object, number>();

  const finish: HttpMiddleware['after'] = (request) => {
    const { context } = request;
    const error = request.error === undefined || request.error === null ? undefined : toAthosError(request.error);
    const status = request.response?.statusCode ?? 500;
    // A key that matched but may not call (revoked, tenant inactive, wrong address) names its tenant.
    const log =
      context.tenantId === undefined && error?.tenantId !== undefined
        ? context.log.child({ tenantId: error.tenantId })
        : context.log;
    if (error && status < 500) context.metrics.requestRefused(error.code);
    const failure = error?.cause ?? request.error;
    log[status >= 500 ? 'error' : 'info']('request', {
      status,
      code: error?.code,
      durationMs: Math.round(performance.now() - (startedAt.get(request) ?? 0)),
      ...(status >= 500 && failure instanceof Error
        ? { errorName: failure.name, errorMessage: failure.message, stack: failure.stack }
        : {}),
    });
    reporter.finish({ metrics: context.metrics, log });
  };

  return {
    before: (request) => {
      const { context } = request;
      context.requestId = `req_${request.event.requestContext?.requestId || randomUUID()}`;
      const invocation = reporter.start({ requestId: context.requestId, awsRequestId: context.awsRequestId });
      startedAt.set(request, invocation.startedAt);
      context.log = invocation.log;
      context.metrics = invocation.metrics;
    },
    after: finish,
    onError: finish,
  };
};
