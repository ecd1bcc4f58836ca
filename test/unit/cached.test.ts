import { cached } from '../../lambdas/cached.js';

describe('cached values', () => {
  let time = 0;
  const now = () => time;
  beforeEach(() => {
    time = 0;
  });

  it('are made once while fresh, and made again once stale', async () => {
    let made = 0;
    const value = cached(1_000, async () => ++made, now);

    expect(await value()).toBe(1);
    time = 999;
    expect(await value()).toBe(1);
    time = 1_000;
    expect(await value()).toBe(2);
  });

  it('try again after a failed first make', async () => {
    let attempts = 0;
    const value = cached(
      1_000,
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('unreachable');
        return 'keys';
      },
      now,
    );

    await expect(value()).rejects.toThrow('unreachable');
    await expect(value()).resolves.toBe('keys');
  });

  it('keep serving the old value when a refresh fails', async () => {
    let attempts = 0;
    const value = cached(
      1_000,
      async () => {
        attempts++;
        if (attempts === 2) throw new Error('unreachable');
        return `keys-${attempts}`;
      },
      now,
    );

    expect(await value()).toBe('keys-1');
    time = 1_500;
    expect(await value()).toBe('keys-1');
    time = 3_000;
    expect(await value()).toBe('keys-3');
  });
});
