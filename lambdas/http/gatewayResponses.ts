import type { ErrorCode } from '../domain/errors.js';
import { retryAfterSeconds } from './errorResponse.js';

/**
 * The answers API Gateway gives by itself, before or instead of a Lambda, in the contract's
 * envelope. The CDK stack turns each into a gateway response; the local server gives the same.
 *
 * Their request id is the bare gateway request id, in the header and the body alike: a gateway
 * response maps a header from `context.requestId` or from a literal, never from the two joined,
 * so it cannot say `req_<id>` as the Lambdas do. Both name the same request.
 */
export interface GatewayError {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export const gatewayErrors = {
  /** REST APIs report an unknown path or method as a missing token; to a caller it is a 404. */
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 404,
    code: 'INVALID_REQUEST',
    message: 'No route matches this method and path',
  },
  THROTTLED: { statusCode: 429, code: 'SERVICE_UNAVAILABLE', message: 'Too many requests; retry after a short wait' },
  QUOTA_EXCEEDED: {
    statusCode: 429,
    code: 'SERVICE_UNAVAILABLE',
    message: 'Too many requests; retry after a short wait',
  },
  REQUEST_TOO_LARGE: { statusCode: 413, code: 'INVALID_REQUEST', message: 'Request is too large' },
  INTEGRATION_TIMEOUT: {
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'The request took too long; retry after a short wait',
  },
  DEFAULT_4XX: { statusCode: 400, code: 'INVALID_REQUEST', message: 'Request was rejected' },
  DEFAULT_5XX: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' },
} as const satisfies Record<string, GatewayError>;

export type GatewayErrorType = keyof typeof gatewayErrors;

/** The envelope body, with the request id filled in by whoever answers. */
export const gatewayErrorBody = (error: GatewayError, requestId: string) =>
  JSON.stringify({ error: { code: error.code, message: error.message, requestId } });

/** Headers every gateway error carries besides CORS and the request id. */
export const gatewayErrorHeaders = (error: GatewayError): Record<string, string> =>
  error.code === 'SERVICE_UNAVAILABLE' ? { 'Retry-After': String(retryAfterSeconds) } : {};
