import {
  defaultRetrySchedule,
  maxRetryDelayMs,
  nextStep,
  parseRetryAfter,
  parseRetrySchedule,
} from '../../lambdas/domain/webhookRetries.js';

const now = new Date('2026-06-05T12:00:00Z');
const failed = { kind: 'failed' } as const;
const step = (input: Partial<Parameters<typeof nextStep>[0]>) =>
  nextStep({ result: failed, attempt: 1, schedule: defaultRetrySchedule, failingSince: null, now, ...input });

describe('the retry schedule', () => {
  it('waits as Svix does: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => step({ attempt }));
    expect(waits.map((next) => (next.action === 'retry' ? next.delayMs / 1000 : next.action))).toEqual([
      5, 300, 1_800, 7_200, 18_000, 36_000, 36_000,
    ]);
  });

  it('fails the delivery for good after the eighth attempt', () => {
    expect(step({ attempt: 8 })).toEqual({ action: 'fail', failure: 'all 8 attempts failed' });
  });

  it('delivers on a 2xx, and clears nothing else', () => {
    expect(step({ result: { kind: 'delivered' } })).toEqual({ action: 'succeed' });
  });

  it('disables the endpoint on 410 Gone, on the first attempt already', () => {
    expect(step({ result: { kind: 'gone' } })).toMatchObject({ action: 'fail', disableEndpoint: 'answered 410 Gone' });
  });

  it('waits at least as long as Retry-After asks, at most 12 hours', () => {
    expect(step({ result: { kind: 'failed', retryAfterMs: 60_000 } })).toEqual({ action: 'retry', delayMs: 60_000 });
    expect(step({ result: { kind: 'failed', retryAfterMs: 1_000 } })).toEqual({ action: 'retry', delayMs: 5_000 });
    expect(step({ result: { kind: 'failed', retryAfterMs: 86_400_000 } })).toEqual({
      action: 'retry',
      delayMs: maxRetryDelayMs,
    });
  });

  it('disables an endpoint that has failed every attempt for 5 days, and not a moment before', () => {
    const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
    expect(step({ failingSince: since(5 * 86_400_000 - 1) })).toMatchObject({ action: 'retry' });
    expect(step({ failingSince: since(5 * 86_400_000) })).toMatchObject({
      action: 'fail',
      disableEndpoint: expect.stringContaining('5 days'),
    });
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores anything else', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 05 Jun 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Fri, 05 Jun 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('takes a shortened schedule from a setting, refusing waits SQS cannot hold', () => {
    expect(parseRetrySchedule('1s,2s,500ms')).toEqual([1_000, 2_000, 500]);
    expect(parseRetrySchedule('13h')).toBeUndefined();
    expect(parseRetrySchedule('soon')).toBeUndefined();
  });
});
