import type { ErrorCode } from '../domain/errors.js';

/**
 * The only place a contract code becomes an HTTP status: the Lambdas' answers and API Gateway's
 * own answers (`gatewayResponses.ts`) both take it from here.
 */
export const statusByCode: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  DRILL_NOT_FOUND: 400,
  INVALID_API_KEY: 401,
  API_KEY_REVOKED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_ALREADY_USED: 401,
  IP_NOT_ALLOWED: 403,
  TENANT_INACTIVE: 403,
  TENANT_QUOTA_EXCEEDED: 403,
  CALL_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export const retryAfterSeconds = 2;

/** What an error answer carries besides CORS and the request id: when to retry, where that helps. */
export const errorHeaders = (code: ErrorCode): Record<string, string> =>
  code === 'SERVICE_UNAVAILABLE' ? { 'Retry-After': String(retryAfterSeconds) } : {};

/** The contract's envelope. */
export const errorBody = (code: ErrorCode, message: string, requestId: string): string =>
  JSON.stringify({ error: { code, message, requestId } });
