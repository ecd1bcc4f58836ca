import { generateApiKey, hashApiKey, parseApiKey } from '../../lambdas/domain/apiKeys.js';
import { newTenantId } from '../../lambdas/domain/ids.js';

const tenantId = newTenantId();

describe('API keys', () => {
  it('look like ath_live_ keys and carry their tenant', () => {
    const key = generateApiKey(tenantId);

    expect(key).toMatch(/^ath_live_[0-9A-Za-z]{65}$/);
    expect(parseApiKey(key)).toEqual({
      tenantId,
      mode: 'live',
      hash: hashApiKey(key),
      displayPrefix: `${key.slice(0, 15)}…${key.slice(-4)}`,
    });
  });

  it('are different every time', () => {
    const keys = new Set(Array.from({ length: 1_000 }, () => generateApiKey(tenantId)));
    expect(keys.size).toBe(1_000);
  });

  it('carry at least 128 bits of randomness in their secret part', () => {
    const secretCharacters = 65 - 16 - 6;
    expect(secretCharacters * Math.log2(62)).toBeGreaterThanOrEqual(128);
  });

  it('are refused when any single character is changed (checksum)', () => {
    const key = generateApiKey(tenantId);
    let accepted = 0;
    for (let i = 'ath_live_'.length; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a';
      if (parseApiKey(key.slice(0, i) + replacement + key.slice(i + 1))) accepted++;
    }
    expect(accepted).toBe(0);
  });

  it.each([
    '',
    'ath_live_',
    'ath_test_' + 'a'.repeat(65),
    'ath_live_' + 'a'.repeat(64),
    'ath_live_' + '!'.repeat(65),
    'x'.repeat(10_000),
  ])('refuses %p', (candidate) => {
    expect(parseApiKey(candidate)).toBeUndefined();
  });
});
