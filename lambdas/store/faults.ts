import { AthosError } from '../domain/errors.js';

/**
 * DynamoDB errors that mean "the same request may succeed later": throttling, capacity, server
 * faults, timeouts, dropped connections. The API answers them with 503 SERVICE_UNAVAILABLE (see
 * `http/errorResponse.ts`); the AWS message stays in `cause`, for logs only.
 */
const retryableNames = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);
const retryableSocketCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface AwsLikeError {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export const isRetryableAwsError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $retryable, $metadata } = error as AwsLikeError;
  return (
    Boolean($retryable) ||
    (name !== undefined && retryableNames.has(name)) ||
    (code !== undefined && retryableSocketCodes.has(code)) ||
    ($metadata?.httpStatusCode ?? 0) >= 500
  );
};

export const serviceUnavailable = (cause: unknown): AthosError =>
  new AthosError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable; retry after a short wait', { cause });
