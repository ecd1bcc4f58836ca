import { AthosError, type ErrorCode } from '../domain/errors.js';
import { isRetryableAwsError, serviceUnavailable } from '../store/faults.js';

/** The only place a contract code becomes an HTTP status. */
const statusByCode: Record<ErrorCode, number> = {
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

/**
 * Any thrown value as a contract error. Only AthosErrors keep their message. AWS faults that mean
 * "try again" (throttling, capacity, 5xx, timeouts, dropped connections, after the SDK's own
 * retries) and Middy's early timeout are a 503 the client can retry; everything else is a generic
 * 500 whose details stay in the logs.
 */
export const toAthosError = (error: unknown): AthosError => {
  if (error instanceof AthosError) return error;
  if (isRetryableAwsError(error)) return serviceUnavailable(error);
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return new AthosError('SERVICE_UNAVAILABLE', 'The request took too long; retry after a short wait', {
      cause: error,
    });
  }
  return new AthosError('INTERNAL_ERROR', 'Internal error', { cause: error });
};

export const errorResponse = (
  error: AthosError,
  requestId: string,
): { statusCode: number; headers: Record<string, string>; body: string } => ({
  statusCode: statusByCode[error.code],
  headers: error.code === 'SERVICE_UNAVAILABLE' ? { 'Retry-After': String(retryAfterSeconds) } : {},
  body: JSON.stringify({ error: { code: error.code, message: error.message, requestId } }),
});
