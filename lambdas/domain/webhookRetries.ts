import { parseDuration } from './durations.js';

/**
 * When a failed delivery is tried again, Svix's way: the first attempt at once, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h after each failure (eight attempts over about 28 hours). Entry n
 * is the wait after attempt n + 1 fails.
 */
export const defaultRetrySchedule: readonly number[] = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'].map(
  (text) => parseDuration(text) as number,
);

/** SQS visibility, which carries the waits, holds a message back at most 12 hours. */
export const maxRetryDelayMs = 12 * 3_600_000;

/** An endpoint that has failed every attempt for this long is disabled (Svix's rule). */
export const failingEndpointLimitMs = 5 * 86_400_000;

/** `5s,5m,30m,…`: the waits after each failure, as many as wanted, each at most 12 hours. */
export const parseRetrySchedule = (text: string): number[] | undefined => {
  const steps = text.split(',').map((step) => parseDuration(step.trim()));
  if (steps.length === 0 || steps.some((step) => step === undefined || step > maxRetryDelayMs)) return undefined;
  return steps as number[];
};

/**
 * `Retry-After` as a wait in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * @returns undefined when absent or unreadable
 */
export const parseRetryAfter = (value: string | undefined, now: Date): number | undefined => {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
};

export type AttemptResult =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly retryAfterMs?: number };

export type NextStep =
  | { readonly action: 'succeed' }
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'fail'; readonly failure: string; readonly disableEndpoint?: string };

/**
 * What follows an attempt.
 * 1. A 2xx is delivered.
 * 2. 410 Gone fails the delivery and disables the endpoint: the receiver says it is gone for good.
 * 3. An endpoint failing for 5 days is disabled, and this delivery fails with it.
 * 4. Otherwise the next step of the schedule, or later if the receiver asked (`Retry-After`);
 *    after the last step the delivery is failed (and stays replayable).
 * @param attempt the attempt just made, from 1
 * @param failingSince since when the endpoint has failed every attempt, counting this one
 */
export const nextStep = (input: {
  result: AttemptResult;
  attempt: number;
  schedule: readonly number[];
  failingSince: string | null;
  now: Date;
}): NextStep => {
  const { result, attempt, schedule, now } = input;
  if (result.kind === 'delivered') return { action: 'succeed' };
  if (result.kind === 'gone') {
    return { action: 'fail', failure: 'the endpoint answered 410 Gone', disableEndpoint: 'answered 410 Gone' };
  }
  if (input.failingSince !== null && now.getTime() - Date.parse(input.failingSince) >= failingEndpointLimitMs) {
    const reason = `failed every attempt for 5 days (since ${input.failingSince})`;
    return { action: 'fail', failure: `the endpoint ${reason}`, disableEndpoint: reason };
  }
  const scheduled = schedule[attempt - 1];
  if (scheduled === undefined) return { action: 'fail', failure: `all ${attempt} attempts failed` };
  return { action: 'retry', delayMs: Math.min(maxRetryDelayMs, Math.max(scheduled, result.retryAfterMs ?? 0)) };
};
