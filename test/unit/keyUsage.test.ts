import { keyUsageResolutionMs, throttledKeyUsage } from '../../lambdas/operations/keyUsage.js';

describe('key usage', () => {
  let now = new Date('2026-06-05T18:00:00Z');
  const clock = { now: () => now };
  const recorded: [string, string][] = [];
  let failing = false;
  const store = {
    recordUse: async (hash: string, at: string) => {
      if (failing) throw new Error('ThrottlingException');
      recorded.push([hash, at]);
    },
  };

  beforeEach(() => {
    recorded.length = 0;
    failing = false;
    now = new Date('2026-06-05T18:00:00Z');
  });

  it('is written once per key per resolution, not on every request', async () => {
    const usage = throttledKeyUsage(store, clock);
    await usage.touch('a');
    await usage.touch('a');
    await usage.touch('b');
    now = new Date(now.getTime() + keyUsageResolutionMs);
    await usage.touch('a');

    expect(recorded).toEqual([
      ['a', '2026-06-05T18:00:00.000Z'],
      ['b', '2026-06-05T18:00:00.000Z'],
      ['a', '2026-06-05T18:15:00.000Z'],
    ]);
  });

  it('never fails the request, and tries again on the next one after a failed write', async () => {
    const usage = throttledKeyUsage(store, clock);
    failing = true;
    await expect(usage.touch('a')).resolves.toBeUndefined();
    failing = false;
    await usage.touch('a');

    expect(recorded).toEqual([['a', '2026-06-05T18:00:00.000Z']]);
  });
});
