import type { APIGatewayProxyResult } from 'aws-lambda';
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
 * contract's envelope. Used inside the observability step (which names the request and logs how it
 * ended), so that step sees the envelope's status.
 */
export const responseEnvelope = (): HttpMiddleware => {
  const headersFor = (requestId: string) => ({ ...commonHeaders, 'X-Athos-Request-Id': requestId });
  return {
    after: (request) => {
      const response = request.response as APIGatewayProxyResult;
      request.response = { ...response, headers: { ...response.headers, ...headersFor(request.context.requestId) } };
    },
    onError: (request) => {
      const { requestId } = request.context;
      const response = errorResponse(toAthosError(request.error), requestId);
      request.response = { ...response, headers: { ...response.headers, ...headersFor(requestId) } };
    },
  };
};
