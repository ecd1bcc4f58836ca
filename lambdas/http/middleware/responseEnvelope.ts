import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Log } from '../../log.js';
import { errorResponse, toAthosError } from '../errorResponse.js';
import type { HttpMiddleware } from './types.js';

const commonHeaders = {
  'Content-Type': 'application/json',
  // Bodies carry session tokens and call data: no cache on the way may keep them.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Every response, success or failure, leaves with `X-Athos-Request-Id`; every failure leaves as the
 * contract's envelope. Used right inside CORS, so it wraps auth and input checks too.
 */
export const responseEnvelope = (operationId: string, log: Log): HttpMiddleware => {
  const startedAt = new WeakMap<object, number>();
  const headersFor = (requestId: string) => ({ ...commonHeaders, 'X-Athos-Request-Id': requestId });

  return {
    before: (request) => {
      startedAt.set(request, performance.now());
      // The gateway's request id, which its access log and its own answers carry bare.
      const gatewayId = request.event.requestContext?.requestId;
      request.context.requestId = `req_${gatewayId || randomUUID()}`;
    },
    after: (request) => {
      const { requestId } = request.context;
      const response = request.response as APIGatewayProxyResult;
      request.response = { ...response, headers: { ...response.headers, ...headersFor(requestId) } };
      log('info', 'request', {
        requestId,
        operationId,
        status: response.statusCode,
        durationMs: Math.round(performance.now() - (startedAt.get(request) ?? 0)),
      });
    },
    onError: (request) => {
      const requestId = request.context.requestId || `req_${randomUUID()}`;
      const error = toAthosError(request.error);
      const response = errorResponse(error, requestId);
      request.response = { ...response, headers: { ...response.headers, ...headersFor(requestId) } };
      const failure = error.cause ?? request.error;
      log(response.statusCode >= 500 ? 'error' : 'info', 'request', {
        requestId,
        operationId,
        status: response.statusCode,
        code: error.code,
        durationMs: Math.round(performance.now() - (startedAt.get(request) ?? 0)),
        ...(response.statusCode >= 500 && failure instanceof Error
          ? { errorName: failure.name, errorMessage: failure.message, stack: failure.stack }
          : {}),
      });
    },
  };
};
