import type { ErrorCode } from '../domain/errors.js';
import { errorBody, errorHeaders, statusByCode } from './errorStatus.js';

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

/**
 * The status comes from the code, as for the Lambdas' answers, except where the gateway's HTTP
 * status says more than the code can; each such case is named where it is set.
 */
const gatewayError = (code: ErrorCode, message: string, statusCode = statusByCode[code]): GatewayError => ({
  statusCode,
  code,
  message,
});

const tooManyRequests = 'Too many requests; retry after a short wait';

export const gatewayErrors = {
  /** REST APIs report an unknown path or method as a missing token; to a caller it is a 404. */
  MISSING_AUTHENTICATION_TOKEN: gatewayError('INVALID_REQUEST', 'No route matches this method and path', 404),
  /**
   * Throttling is 429 (the contract's TooManyRequests answer), the status HTTP clients back off on;
   * the code stays SERVICE_UNAVAILABLE, with Retry-After like every SERVICE_UNAVAILABLE.
   */
  THROTTLED: gatewayError('SERVICE_UNAVAILABLE', tooManyRequests, 429),
  QUOTA_EXCEEDED: gatewayError('SERVICE_UNAVAILABLE', tooManyRequests, 429),
  /** Over the gateway's payload cap: 413, the contract's PayloadTooLarge answer. */
  REQUEST_TOO_LARGE: gatewayError('INVALID_REQUEST', 'Request is too large', 413),
  INTEGRATION_TIMEOUT: gatewayError('SERVICE_UNAVAILABLE', 'The request took too long; retry after a short wait'),
  DEFAULT_4XX: gatewayError('INVALID_REQUEST', 'Request was rejected'),
  DEFAULT_5XX: gatewayError('INTERNAL_ERROR', 'Internal error'),
} satisfies Record<string, GatewayError>;

export type GatewayErrorType = keyof typeof gatewayErrors;

/** The envelope body, with the request id filled in by whoever answers. */
export const gatewayErrorBody = (error: GatewayError, requestId: string) =>
  errorBody(error.code, error.message, requestId);

/** Headers every gateway error carries besides CORS and the request id. */
export const gatewayErrorHeaders = (error: GatewayError): Record<string, string> => errorHeaders(error.code);
