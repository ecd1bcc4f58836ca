import { maxRetryAfterMs, parseRetryAfterMs, retryDelayMs } from '../../clients/node/src/retryPolicy.js';

const answer = (status: number, retryAfter: string | null = null) => ({ answered: true as const, status, retryAfter });
const noAnswer = { answered: false as const };
const lowest = () => 0;
const highest = () => 0.999_999;

describe('which failures are retried', () => {
  it.each([
    ['no answer', noAnswer],
    ['408', answer(408)],
    ['429', answer(429)],
    ['500', answer(500)],
    ['502', answer(502)],
    ['503', answer(503)],
    ['504', answer(504)],
  ])('a repeatable request is retried after %s', (_case, outcome) => {
    expect(retryDelayMs('repeatable', outcome, 0)).toEqual(expect.any(Number));
  });

  it.each([
    ['400', answer(400)],
    ['401', answer(401)],
    ['403', answer(403)],
    ['404', answer(404)],
  ])('no request is retried after %s', (_case, outcome) => {
    expect(retryDelayMs('repeatable', outcome, 0)).toBeUndefined();
    expect(retryDelayMs('refusedOnly', outcome, 0)).toBeUndefined();
  });

  it.each([
    ['429', answer(429)],
    ['429 with Retry-After', answer(429, '1')],
    ['503 with Retry-After', answer(503, '2')],
  ])('a session mint is retried after %s: no token was issued', (_case, outcome) => {
    expect(retryDelayMs('refusedOnly', outcome, 0)).toEqual(expect.any(Number));
  });

  it.each([
    ['no answer (a timeout or a broken connection)', noAnswer],
    ['503 without Retry-After', answer(503)],
    ['500', answer(500)],
    ['502', answer(502)],
    ['504', answer(504)],
  ])('a session mint is not retried after %s: a token may have been minted', (_case, outcome) => {
    expect(retryDelayMs('refusedOnly', outcome, 0)).toBeUndefined();
  });
});

describe('how long a retry waits', () => {
  it('backs off exponentially, between half and all of 0.5 s × 2^attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs('repeatable', noAnswer, attempt, lowest))).toEqual([
      250, 500, 1_000, 2_000,
    ]);
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs('repeatable', noAnswer, attempt, highest))).toEqual([
      499, 999, 1_999, 3_999,
    ]);
  });

  it('caps the backoff at 8 s', () => {
    expect(retryDelayMs('repeatable', noAnswer, 20, highest)).toBe(7_999);
  });

  it('waits at least Retry-After, plus up to a quarter second of jitter', () => {
    expect(retryDelayMs('repeatable', answer(503, '2'), 0, lowest)).toBe(2_000);
    expect(retryDelayMs('repeatable', answer(503, '2'), 0, highest)).toBe(2_249);
    expect(retryDelayMs('refusedOnly', answer(429, '7'), 3, lowest)).toBe(7_000);
  });

  it('gives up instead of waiting out a Retry-After over a minute', () => {
    expect(retryDelayMs('repeatable', answer(503, String(maxRetryAfterMs / 1000 + 1)), 0)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores anything else', () => {
    const now = Date.parse('2026-06-05T18:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3_000);
    expect(parseRetryAfterMs('Fri, 05 Jun 2026 18:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfterMs('Fri, 05 Jun 2026 17:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it('backs off as usual when Retry-After is unreadable', () => {
    expect(retryDelayMs('repeatable', answer(503, 'soon'), 1, lowest)).toBe(500);
  });
});
