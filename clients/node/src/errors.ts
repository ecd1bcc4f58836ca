import { errorCodeValues } from './generated/openapi.js';
import type { ErrorCode } from './types.js';

/**
 * The API answered, with an error. `code` is one of the contract's codes; branch on it (and on
 * `status`), never on `message`. Quote `requestId` to Athos support.
 */
export class AthosError extends Error {
  override readonly name: string = 'AthosError';
  /** The HTTP status of the answer. */
  readonly status: number;
  readonly code: ErrorCode;
  /** The id Athos gave the request (`X-Athos-Request-Id`); absent only if something else answered. */
  readonly requestId: string | undefined;

  constructor(details: { status: number; code: ErrorCode; message: string; requestId: string | undefined }) {
    super(details.message);
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
  }
}

/** No answer came: the connection could not be made, or broke before the answer was read. */
export class AthosConnectionError extends Error {
  override readonly name: string = 'AthosConnectionError';
}

/** No answer came within `timeoutMs`. A kind of {@link AthosConnectionError}. */
export class AthosTimeoutError extends AthosConnectionError {
  override readonly name: string = 'AthosTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

export type WebhookErrorCode =
  /** A `webhook-id`, `webhook-timestamp` or `webhook-signature` header is missing or malformed. */
  | 'INVALID_HEADERS'
  /** The timestamp is more than five minutes from now: a replay, or a badly wrong clock. */
  | 'STALE_TIMESTAMP'
  /** No signature matches the body with this secret: tampered, or signed with another secret. */
  | 'INVALID_SIGNATURE'
  /** Correctly signed, but not an Athos event. */
  | 'INVALID_PAYLOAD';

/** A webhook delivery failed verification; answer it with a 4xx and do not act on it. */
export class AthosWebhookError extends Error {
  override readonly name: string = 'AthosWebhookError';
  readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const isErrorCode = (value: unknown): value is ErrorCode => (errorCodeValues as readonly unknown[]).includes(value);

/**
 * The error an answer with a non-2xx status stands for. Athos always answers in the contract's
 * envelope; anything else (a proxy's HTML page, say) gets the code its status implies.
 */
export const errorFromAnswer = (status: number, body: unknown, headerRequestId: string | undefined): AthosError => {
  const error = (body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined)?.error;
  if (error && isErrorCode(error.code) && typeof error.message === 'string') {
    return new AthosError({
      status,
      code: error.code,
      message: error.message,
      requestId: typeof error.requestId === 'string' ? error.requestId : headerRequestId,
    });
  }
  return new AthosError({
    status,
    code: codeForStatus(status),
    message: `Unexpected answer: HTTP ${status} without an Athos error body`,
    requestId: headerRequestId,
  });
};

const codeForStatus = (status: number): ErrorCode => {
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'INVALID_REQUEST';
};
