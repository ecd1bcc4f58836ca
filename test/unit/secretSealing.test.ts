import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createLocalSecretSealer } from '../../lambdas/tokens/secretSealing.js';
import { newWebhookSecret } from '../../lambdas/tokens/webhookSignatures.js';

const keys = (kid: string, key: string, previous?: { kid: string; key: string }[]) =>
  parseKeySet('test', JSON.stringify({ kid, key, ...(previous ? { previous } : {}) }));
const k1 = { kid: 'k1', key: 'first-sealing-key-0123456789-abcdefghij' };
const k2 = { kid: 'k2', key: 'second-sealing-key-0123456789-abcdefghi' };

describe('sealing webhook signing secrets at rest', () => {
  it('stores no trace of the secret, and opens to it again for the same endpoint', async () => {
    const sealer = createLocalSecretSealer(keys(k1.kid, k1.key));
    const secret = newWebhookSecret();
    const sealed = await sealer.seal(secret, 'ep_a');
    expect(sealed).not.toContain(secret.slice('whsec_'.length, 20));
    expect(sealed.startsWith('local:k1.')).toBe(true);
    await expect(sealer.open(sealed, 'ep_a')).resolves.toBe(secret);
  });

  it('will not open a sealed secret copied onto another endpoint, altered, or under another key', async () => {
    const sealer = createLocalSecretSealer(keys(k1.kid, k1.key));
    const sealed = await sealer.seal(newWebhookSecret(), 'ep_a');
    await expect(sealer.open(sealed, 'ep_b')).rejects.toThrow('does not open');
    await expect(sealer.open(`${sealed.slice(0, -2)}AA`, 'ep_a')).rejects.toThrow('does not open');
    await expect(createLocalSecretSealer(keys(k2.kid, k2.key)).open(sealed, 'ep_a')).rejects.toThrow('does not open');
  });

  it('opens secrets sealed under a key that was rotated out but is still listed', async () => {
    const secret = newWebhookSecret();
    const sealed = await createLocalSecretSealer(keys(k1.kid, k1.key)).seal(secret, 'ep_a');
    await expect(createLocalSecretSealer(keys(k2.kid, k2.key, [k1])).open(sealed, 'ep_a')).resolves.toBe(secret);
  });
});
