import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';

/**
 * Which AWS SDK errors mean "the same request may succeed later", read from the SDK's own signals:
 * DynamoDB's exception classes for capacity, throttling and conflicts; the `$retryable` trait the
 * SDK sets on errors it would retry; a 5xx or 429 in `$metadata`. Two kinds carry no such signal
 * and are known by what Node and the SDK's HTTP handler give them: a socket's error code, and the
 * name of a timeout. They reach this point after the SDK's own retries.
 */
const retryableExceptions = [
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  InternalServerError,
  TransactionConflictException,
];
const timeoutNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const socketCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface AwsFault {
  readonly name?: string;
  readonly code?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export const isRetryableAwsFault = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  if (retryableExceptions.some((exception) => error instanceof exception)) return true;
  const { name = '', code = '', $retryable, $metadata } = error as AwsFault;
  const status = $metadata?.httpStatusCode ?? 0;
  return $retryable !== undefined || status >= 500 || status === 429 || timeoutNames.has(name) || socketCodes.has(code);
};
