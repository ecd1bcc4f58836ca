/** The contract's closed list of error codes (`components.schemas.ErrorCode`). */
export const errorCodes = [
  'INVALID_API_KEY',
  'API_KEY_REVOKED',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'TOKEN_ALREADY_USED',
  'IP_NOT_ALLOWED',
  'TENANT_INACTIVE',
  'TENANT_QUOTA_EXCEEDED',
  'INVALID_REQUEST',
  'DRILL_NOT_FOUND',
  'CALL_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * A failure the caller may be told about: it carries a contract code and a message that is safe to
 * show. Thrown where the fact is known; its HTTP status comes from one table (`http/errorStatus.ts`).
 * The `cause`, and the tenant a refusal concerns when it is known, are for logs only and never
 * reach a client.
 */
export class AthosError extends Error {
  override readonly name = 'AthosError';
  readonly tenantId: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; tenantId?: string },
  ) {
    super(message, options);
    this.tenantId = options?.tenantId;
  }
}

/**
 * A dependency failed in a way that the same request may not meet again (throttling, a 5xx, a
 * dropped connection): the caller should retry shortly. The adapter that saw the fault says so.
 */
export const serviceUnavailable = (cause: unknown): AthosError =>
  new AthosError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable; retry after a short wait', { cause });

/** The handler ran out of time before it could answer. */
export const requestTimedOut = (cause?: unknown): AthosError =>
  new AthosError('SERVICE_UNAVAILABLE', 'The request took too long; retry after a short wait', { cause });

/** Refusals that mint and redeem both give: one wording, whichever operation finds the fact. */
export const apiKeyRevoked = (tenantId?: string) =>
  new AthosError('API_KEY_REVOKED', 'API key has been revoked', tenantId === undefined ? {} : { tenantId });
export const tenantInactive = (tenantId?: string) =>
  new AthosError('TENANT_INACTIVE', 'Tenant is inactive', tenantId === undefined ? {} : { tenantId });
