import { AthosError } from '../domain/errors.js';
import { errorBody, errorHeaders, statusByCode } from './errorStatus.js';

/**
 * Any thrown value as a contract error. AthosErrors pass as they are: whoever knew the fact chose
 * the code (the store turns AWS faults that mean "try again" into SERVICE_UNAVAILABLE; the chain
 * does the same when it runs out of time). Anything else is a generic 500 whose details stay in
 * the logs.
 */
export const toAthosError = (error: unknown): AthosError =>
  error instanceof AthosError ? error : new AthosError('INTERNAL_ERROR', 'Internal error', { cause: error });

export const errorResponse = (
  error: AthosError,
  requestId: string,
): { statusCode: number; headers: Record<string, string>; body: string } => ({
  statusCode: statusByCode[error.code],
  headers: errorHeaders(error.code),
  body: errorBody(error.code, error.message, requestId),
});
