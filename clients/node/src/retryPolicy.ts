/**
 * Which failed attempts are tried again, and after how long.
 *
 * - `repeatable`: asking again cannot change anything (reads). Retried after no answer (connection
 *   failure, timeout) and after 408, 429 and 5xx answers.
 * - `refusedOnly`: asking again could do the work twice (`POST /session` mints a token and counts
 *   it against the monthly quota). Retried only after answers that say no token was issued: 429
 *   (throttled at the gateway) and 503 with `Retry-After`. Never after no answer, since the first
 *   request may have been served.
 */
export type RetryPolicy = 'repeatable' | 'refusedOnly';

export type AttemptOutcome =
  | { readonly answered: true; readonly status: number; readonly retryAfter: string | null }
  | { readonly answered: false };

/** A `Retry-After` longer than this is not waited out in-process; the error is thrown instead. */
export const maxRetryAfterMs = 60_000;
const baseDelayMs = 500;
const maxBackoffMs = 8_000;
const retryAfterJitterMs = 250;

/**
 * @param attempt 0 for the first retry
 * @returns how long to wait before trying again, or undefined when this outcome is not retried
 */
export const retryDelayMs = (
  policy: RetryPolicy,
  outcome: AttemptOutcome,
  attempt: number,
  random: () => number = Math.random,
): number | undefined => {
  if (!isRetried(policy, outcome)) return undefined;
  const retryAfterMs = outcome.answered ? parseRetryAfterMs(outcome.retryAfter) : undefined;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > maxRetryAfterMs) return undefined;
    // At least what the server asked for; the jitter keeps clients told the same thing apart.
    return retryAfterMs + Math.floor(random() * retryAfterJitterMs);
  }
  // Exponential backoff with "equal jitter": between half and all of the capped delay.
  const ceiling = Math.min(maxBackoffMs, baseDelayMs * 2 ** attempt);
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
};

const isRetried = (policy: RetryPolicy, outcome: AttemptOutcome): boolean => {
  if (policy === 'refusedOnly') {
    return outcome.answered && (outcome.status === 429 || (outcome.status === 503 && outcome.retryAfter !== null));
  }
  return !outcome.answered || outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
};

/** `Retry-After` as delay-seconds or as an HTTP date; undefined when absent or unreadable. */
export const parseRetryAfterMs = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};
